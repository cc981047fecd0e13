import { type PhaseOutcome, PhaseRecorder, type RecorderSnapshot } from '../metrics/recorder.js';
import type { LoadPhase } from '../scenario/types.js';
import type { Delivery, DeliveryResult } from './delivery.js';
import type { Dispatcher } from './dispatcher.js';
import { intendedOffsetMs, meanRate, plannedSends, type RateSchedule } from './schedule.js';

export type { PhaseOutcome };
/** What a phase returns (the brief's name for it). */
export type PhaseStats = PhaseOutcome;

export interface RunPhaseOptions {
  phase: LoadPhase;
  /** Run start on the monotonic clock; timeseries seconds count from it (default: the phase start). */
  runStartMs?: number;
  /** Multiplies the phase duration (`--time-scale`); rates are unchanged. */
  timeScale?: number;
  /** Open model: more in flight than this and a due send is dropped (counted) instead of queued. */
  maxInflight: number;
  /** Called at send time: a fresh id, body and signature per delivery are the caller's job. */
  makeDelivery: (seq: number, intendedAt: number) => Delivery;
  dispatcher: Pick<Dispatcher, 'send'>;
  /** Where to record (default: a new one for the phase). Finished by the phase. */
  recorder?: PhaseRecorder;
  /** Every result, after it was recorded (keep only what you need: memory must stay flat). */
  onResult?: (r: DeliveryResult) => void;
  /** Aborting stops new sends; in-flight deliveries still finish. */
  signal?: AbortSignal;
  onProgress?: (p: RecorderSnapshot) => void;
  progressIntervalMs?: number;
  /** Longest wait for in-flight deliveries after the last send (they are bounded by their own timeout). */
  drainTimeoutMs?: number;
}

export interface PhaseRun {
  done: Promise<PhaseOutcome>;
  /** Stops scheduling new sends (SIGINT); in-flight deliveries finish and are recorded. */
  stop(): void;
}

/**
 * Runs one load phase. Open model: each send at its exact intended instant from the schedule, woken
 * by a timer and also by completions (cheap precision at high rates); `intendedAt` is always the
 * schedule's instant, never the wake-up time, so queueing shows in the corrected latency.
 * Closed model: `concurrency` senders, each sending the next as soon as its previous one ended.
 */
class PhaseRunner {
  readonly done: Promise<PhaseOutcome>;
  private resolve!: (o: PhaseOutcome) => void;
  private readonly rec: PhaseRecorder;
  private readonly open: boolean;
  private readonly durationMs: number;
  private readonly schedule: RateSchedule;
  private readonly planned: number;
  private readonly maxInflight: number;
  private t0 = 0;
  private endAt = 0;
  /** Next schedule slot (open) and its instant. */
  private k = 0;
  private nextAt = 0;
  /** Open: the instant of the slot before `nextAt` (the gap between the two says how fast sends come). */
  private prevAt = 0;
  private seq = 0;
  private inflight = 0;
  private scheduling = true;
  private stoppedAt = -1;
  private pumping = false;
  private inSend = false;
  /** Closed model: senders whose next send waits for the microtask flush. */
  private pendingClosed = 0;
  private flushQueued = false;
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private finished = false;
  private readonly onDone = (r: DeliveryResult): void => this.handleResult(r);
  private readonly tick = (): void => this.wake();
  private readonly flush = (): void => this.flushClosed();
  private readonly onAbort = (): void => this.stop();

  constructor(private readonly o: RunPhaseOptions) {
    this.done = new Promise((r) => {
      this.resolve = r;
    });
    const p = o.phase;
    this.open = p.model === 'open';
    this.durationMs = Math.max(0, p.durationMs * (o.timeScale ?? 1));
    const r0 = p.rate ?? 0;
    this.schedule = { r0, r1: p.rampTo ?? r0, durationMs: this.durationMs };
    this.planned = this.open ? plannedSends(this.schedule) : 0;
    this.maxInflight = Math.max(1, o.maxInflight);
    this.t0 = performance.now();
    this.rec =
      o.recorder ??
      new PhaseRecorder({
        name: p.name,
        model: p.model,
        runStartMs: o.runStartMs ?? this.t0,
        intendedRate: this.open ? meanRate(this.schedule) : null,
        startMs: this.t0,
      });
  }

  start(): void {
    this.t0 = performance.now();
    this.endAt = this.t0 + this.durationMs;
    if (this.o.signal?.aborted) {
      this.stoppedAt = this.t0;
      this.endScheduling();
      return;
    }
    this.o.signal?.addEventListener('abort', this.onAbort, { once: true });
    if (this.o.onProgress) {
      this.progressTimer = setInterval(
        () => this.o.onProgress?.(this.rec.snapshot()),
        this.o.progressIntervalMs ?? 1000,
      );
      this.progressTimer.unref();
    }
    if (this.open) {
      this.nextAt = this.t0 + intendedOffsetMs(0, this.schedule);
      this.prevAt = this.nextAt;
      this.wake();
    } else {
      const n = Math.max(1, Math.floor(this.o.phase.concurrency ?? 1));
      // The closed model ends on time even if every sender is stuck on a hung request.
      this.timer = setTimeout(this.tick, Math.max(1, Math.ceil(this.durationMs)));
      if (this.durationMs <= 0) return;
      for (let i = 0; i < n && this.scheduling; i++) this.sendNow(performance.now());
    }
  }

  stop(): void {
    if (!this.scheduling) return;
    this.stoppedAt = performance.now();
    this.endScheduling();
  }

  private sendNow(now: number): void {
    const d = this.o.makeDelivery(this.seq++, now);
    this.inflight++;
    this.rec.recordSent(d, now);
    this.inSend = true;
    try {
      this.o.dispatcher.send(d, this.onDone);
    } finally {
      this.inSend = false;
    }
  }

  /** Open model: sends every slot whose instant has passed, then sleeps until the next one. */
  private wake(): void {
    this.timer = undefined;
    this.immediate = undefined;
    if (!this.scheduling) return;
    if (!this.open) {
      // The closed model's only timer is the end of the phase.
      this.endScheduling();
      return;
    }
    this.pump(performance.now());
    if (!this.scheduling) return;
    const delay = this.nextAt - performance.now();
    // Sends less than a millisecond apart (over 1,000/s) poll the loop with setImmediate: a timer
    // cannot wake finer than 1 ms, and a loop that sleeps and wakes for every few sends spends more
    // CPU on waking than polling costs (2-core bench machine, nginx target, 25,000/s: send-lag p99
    // 5.5 ms and 5,000 dropped sends sleeping; 1.4 ms and none polling). Slower schedules sleep: a
    // sub-millisecond wait sleeps 1 ms, and completions wake the pump in between.
    if (delay <= 0 || (delay < 1 && this.nextAt - this.prevAt < 1)) this.immediate = setImmediate(this.tick);
    else this.timer = setTimeout(this.tick, Math.max(1, Math.floor(delay)));
  }

  private pump(now: number): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.scheduling && this.k < this.planned && this.nextAt <= now) {
        const intendedAt = this.nextAt;
        this.prevAt = intendedAt;
        this.k++;
        this.nextAt = this.t0 + intendedOffsetMs(this.k, this.schedule);
        if (this.inflight >= this.maxInflight) {
          this.rec.recordDropped();
          continue;
        }
        const d = this.o.makeDelivery(this.seq++, intendedAt);
        this.inflight++;
        this.rec.recordSent(d, performance.now());
        this.o.dispatcher.send(d, this.onDone);
      }
      if (this.k >= this.planned) this.endScheduling();
    } finally {
      this.pumping = false;
    }
  }

  private handleResult(r: DeliveryResult): void {
    this.inflight--;
    this.rec.record(r);
    this.o.onResult?.(r);
    if (this.scheduling) {
      if (this.open) {
        if (this.nextAt <= r.endedAt) this.pump(r.endedAt);
      } else if (r.endedAt < this.endAt) {
        // Sent from a microtask, not from inside the HTTP client's callback: the connection that
        // just answered is free again by then, and a synchronous error cannot recurse.
        this.pendingClosed++;
        if (!this.flushQueued) {
          this.flushQueued = true;
          // An answer given synchronously (an error before any I/O) must yield to the event loop,
          // or a failing target would spin the closed loop without ever letting timers or signals in.
          if (this.inSend) setImmediate(this.flush);
          else queueMicrotask(this.flush);
        }
      } else {
        this.endScheduling();
      }
    }
    if (!this.scheduling && this.inflight === 0 && this.pendingClosed === 0) this.finish();
  }

  private flushClosed(): void {
    this.flushQueued = false;
    let n = this.pendingClosed;
    this.pendingClosed = 0;
    if (!this.scheduling) {
      if (this.inflight === 0) this.finish();
      return;
    }
    const now = performance.now();
    if (now >= this.endAt) {
      this.endScheduling();
      return;
    }
    while (n-- > 0 && this.scheduling) this.sendNow(now);
  }

  private endScheduling(): void {
    if (!this.scheduling) return;
    this.scheduling = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
    this.o.signal?.removeEventListener('abort', this.onAbort);
    this.pendingClosed = 0;
    if (this.inflight === 0) {
      this.finish();
      return;
    }
    this.drainTimer = setTimeout(() => this.finish(), this.o.drainTimeoutMs ?? 120_000);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    if (this.progressTimer !== undefined) clearInterval(this.progressTimer);
    const ran = this.stoppedAt < 0 ? this.durationMs : Math.min(this.durationMs, this.stoppedAt - this.t0);
    const durationMs = Math.max(0, ran);
    // Stopped early, the intended rate is what the schedule asked for up to the stop.
    const intendedRate = this.open
      ? this.stoppedAt < 0 || durationMs <= 0
        ? meanRate(this.schedule)
        : this.k / (durationMs / 1000)
      : null;
    this.o.onProgress?.(this.rec.snapshot());
    this.resolve(this.rec.finish(durationMs, performance.now(), intendedRate));
  }
}

export function startPhase(o: RunPhaseOptions): PhaseRun {
  const runner = new PhaseRunner(o);
  runner.start();
  return { done: runner.done, stop: () => runner.stop() };
}

export function runPhase(o: RunPhaseOptions): Promise<PhaseOutcome> {
  return startPhase(o).done;
}
