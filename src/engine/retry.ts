import { isFailure } from '../metrics/recorder.js';
import type { RetryCounts } from '../metrics/types.js';
import type { RetryBehaviour } from '../scenario/types.js';
import { rngFor } from '../signing/rng.js';
import type { Header } from '../signing/types.js';
import type { Delivery, DeliveryResult } from './delivery.js';
import type { Dispatcher } from './dispatcher.js';

/**
 * Retries as a provider makes them: how a retry looks (the preset's event-id table), when it is
 * sent (the preset's backoff schedule, time-scaled, with jitter, honouring Retry-After), and the
 * load retrier that re-sends failed load deliveries and counts what became of them.
 */

/**
 * The same event again, as the preset re-sends it (DESIGN.md event-id table): same id and body;
 * re-signed with a fresh timestamp where the preset does that (`resign` returns the new provider
 * headers with the run's extra headers); the preset's retry headers added, `{n}` the retry number.
 */
export function redelivery(
  d: Delivery,
  o: {
    attempt: number;
    behaviour: RetryBehaviour;
    resign: (d: Delivery, timestampSec: number) => Header[];
    intendedAt: number;
    nowSec?: number;
  },
): Delivery {
  const retryNames = new Set(o.behaviour.retryHeaders.map(([n]) => n.toLowerCase()));
  const base = o.behaviour.resign ? o.resign(d, o.nowSec ?? Math.floor(Date.now() / 1000)) : d.headers;
  const headers = base.filter(([n]) => !retryNames.has(n.toLowerCase()));
  for (const [n, v] of o.behaviour.retryHeaders)
    headers.push([n, v.replaceAll('{n}', String(o.attempt - 1))]);
  const { transport: _dropped, ...rest } = d;
  return { ...rest, headers, attempt: o.attempt, intendedAt: o.intendedAt };
}

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowEpochMs: number): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d{1,10}$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  if (Number.isNaN(at) || !/[a-z]/i.test(v)) return undefined;
  return Math.max(0, at - nowEpochMs);
}

/** The Retry-After of a 429 or 503 answer (the statuses that define it), in ms. */
export function retryAfterOf(r: DeliveryResult, nowEpochMs: number): number | undefined {
  if (r.status !== 429 && r.status !== 503) return undefined;
  const h = r.headers?.find(([n]) => n === 'retry-after');
  return parseRetryAfter(h?.[1], nowEpochMs);
}

export interface RetryTiming {
  /** The preset's delays before retry 1, 2, ... (unscaled ms). */
  scheduleMs: readonly number[];
  /** --time-scale: multiplies the schedule and Retry-After alike (the whole retry timeline). */
  timeScale: number;
  /** Each delay varies by up to this share either way (default 0.1), as providers spread retries. */
  jitter?: number;
}

/**
 * The wait before retry `n` (1-based) after answer `r`: the schedule's delay, time-scaled and
 * jittered (`draw` in [0, 1)); at least the answer's Retry-After (time-scaled). Null when the
 * schedule has no retry `n`: the event is exhausted.
 */
export function retryDelayMs(
  n: number,
  r: DeliveryResult,
  t: RetryTiming,
  draw: number,
  nowEpochMs: number = Date.now(),
): number | null {
  const base = t.scheduleMs[n - 1];
  if (base === undefined) return null;
  const jitter = t.jitter ?? 0.1;
  let delay = base * t.timeScale * (1 + jitter * (2 * draw - 1));
  const after = retryAfterOf(r, nowEpochMs);
  if (after !== undefined) delay = Math.max(delay, after * t.timeScale);
  return Math.max(0, Math.round(delay));
}

/** How long the run waits after its last phase for retries still due (wall clock, not scaled). */
export const DEFAULT_RETRY_WINDOW_MS = 30_000;
/** Retries waiting at once; a failure beyond it is counted as not retried (memory stays bounded). */
const MAX_PENDING = 20_000;
/** Deliveries that failed every retry, kept as evidence. */
const MAX_SAMPLES = 5;

export interface LoadRetrierOptions {
  dispatcher: Pick<Dispatcher, 'send'>;
  timing: RetryTiming;
  /** Builds retry `attempt` of a delivery (see `redelivery`). */
  redeliver: (d: Delivery, attempt: number, intendedAt: number) => Delivery;
  /** Seeds the jitter, so a run's retry timeline is reproducible with --seed. */
  seed: number;
  /** Every retry's result (logs). */
  onResult?: (r: DeliveryResult) => void;
}

interface Pending {
  d: Delivery;
  phase: number;
  dueAt: number;
  timer: NodeJS.Timeout;
}

const zero = (): RetryCounts => ({ attempted: 0, recovered: 0, exhausted: 0, notRetried: 0 });

/**
 * Re-sends failed load deliveries on the schedule while the load goes on, and counts per phase what
 * became of each failed event. Retries go straight to the dispatcher, never through a phase
 * recorder: first-attempt figures (rates, status counts, latency) stay first-attempt only.
 */
export class LoadRetrier {
  private readonly perPhase: RetryCounts[] = [];
  private readonly pending = new Set<Pending>();
  private readonly failedSamples: DeliveryResult[] = [];
  private readonly rng;
  private inflight = 0;
  private windowEnd = Number.POSITIVE_INFINITY;
  private cancelled = false;
  private idle: (() => void) | null = null;

  constructor(private readonly o: LoadRetrierOptions) {
    this.rng = rngFor(o.seed, 'load-retry-jitter');
  }

  /** A first attempt of phase `phase` ended: a failure is scheduled for its first retry. */
  offer(r: DeliveryResult, phase: number): void {
    if (isFailure(r)) this.schedule(r, phase);
  }

  counts(phase: number): RetryCounts {
    return { ...(this.perPhase[phase] ?? zero()) };
  }

  /** The last answers of some events that failed every retry. */
  samples(): DeliveryResult[] {
    return [...this.failedSamples];
  }

  /**
   * The load is over: retries due within `windowMs` are still made (and theirs in turn, inside the
   * window); later ones are counted as not retried. Resolves when none is waiting or in flight.
   */
  drain(windowMs: number, signal?: AbortSignal): Promise<void> {
    this.windowEnd = performance.now() + windowMs;
    for (const p of this.pending) if (p.dueAt > this.windowEnd) this.drop(p);
    if (signal?.aborted) this.cancel();
    if (this.pending.size === 0 && this.inflight === 0) return Promise.resolve();
    const onAbort = () => this.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    return new Promise<void>((resolve) => {
      this.idle = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
    });
  }

  /** Interrupted: nothing more is sent; waiting retries are counted as not retried. */
  cancel(): void {
    this.cancelled = true;
    for (const p of this.pending) this.drop(p);
    this.checkIdle();
  }

  private countsOf(phase: number): RetryCounts {
    let c = this.perPhase[phase];
    if (!c) {
      c = zero();
      this.perPhase[phase] = c;
    }
    return c;
  }

  private drop(p: Pending): void {
    clearTimeout(p.timer);
    this.pending.delete(p);
    this.countsOf(p.phase).notRetried++;
  }

  private schedule(r: DeliveryResult, phase: number): void {
    const c = this.countsOf(phase);
    const draw = this.rng.int(1_000_000) / 1_000_000;
    const delay = retryDelayMs(r.delivery.attempt, r, this.o.timing, draw);
    if (delay === null) {
      c.exhausted++;
      if (this.failedSamples.length < MAX_SAMPLES) this.failedSamples.push(r);
      return;
    }
    const dueAt = performance.now() + delay;
    if (this.cancelled || dueAt > this.windowEnd || this.pending.size >= MAX_PENDING) {
      c.notRetried++;
      return;
    }
    const p: Pending = { d: r.delivery, phase, dueAt, timer: undefined as unknown as NodeJS.Timeout };
    p.timer = setTimeout(() => this.fire(p), delay);
    this.pending.add(p);
  }

  private fire(p: Pending): void {
    this.pending.delete(p);
    const c = this.countsOf(p.phase);
    const d = this.o.redeliver(p.d, p.d.attempt + 1, performance.now());
    this.inflight++;
    c.attempted++;
    this.o.dispatcher.send(d, (r) => {
      this.inflight--;
      this.o.onResult?.(r);
      if (isFailure(r)) this.schedule(r, p.phase);
      else c.recovered++;
      this.checkIdle();
    });
  }

  private checkIdle(): void {
    if (this.idle && this.pending.size === 0 && this.inflight === 0) {
      const idle = this.idle;
      this.idle = null;
      idle();
    }
  }
}
