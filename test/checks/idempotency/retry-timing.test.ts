import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryResult } from '../../../src/engine/delivery.js';
import { LoadRetrier, parseRetryAfter, retryDelayMs } from '../../../src/engine/retry.js';
import { withRetries } from '../../../src/metrics/retry-rates.js';
import type { PhaseResult } from '../../../src/metrics/types.js';

const answer = (status: number, headers: [string, string][] = []): DeliveryResult =>
  ({ status, headers, delivery: { attempt: 1 } }) as unknown as DeliveryResult;

describe('Retry-After', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
  });
});

describe('the wait before a retry', () => {
  const t = { scheduleMs: [60_000, 300_000], timeScale: 0.01 };
  it("is the preset's delay, time-scaled, jittered by at most 10% either way", () => {
    expect(retryDelayMs(1, answer(500), t, 0.5)).toBe(600);
    expect(retryDelayMs(1, answer(500), t, 0)).toBe(540);
    expect(retryDelayMs(1, answer(500), t, 0.999_999)).toBe(660);
    expect(retryDelayMs(2, answer(500), t, 0.5)).toBe(3000);
  });
  it('is null past the end of the schedule: the event is exhausted', () => {
    expect(retryDelayMs(3, answer(500), t, 0.5)).toBeNull();
    expect(retryDelayMs(1, answer(500), { scheduleMs: [], timeScale: 1 }, 0.5)).toBeNull();
  });
  it('honours Retry-After on 429 and 503 (time-scaled too), never on other statuses', () => {
    const ra: [string, string][] = [['retry-after', '120']];
    expect(retryDelayMs(1, answer(429, ra), t, 0.5)).toBe(1200);
    expect(retryDelayMs(1, answer(503, ra), t, 0.5)).toBe(1200);
    expect(retryDelayMs(1, answer(500, ra), t, 0.5)).toBe(600);
    // A shorter Retry-After does not shorten the schedule.
    expect(retryDelayMs(1, answer(429, [['retry-after', '1']]), t, 0.5)).toBe(600);
  });
});

describe('phase success rates', () => {
  it('first-attempt and eventual rates come from first attempts only', () => {
    const p = { completed: 100, statusCounts: { '200': 90, '503': 8, '500': 2 } } as unknown as PhaseResult;
    withRetries(p, { attempted: 12, recovered: 8, exhausted: 2, notRetried: 0 });
    expect(p.firstAttemptSuccessRate).toBeCloseTo(0.9);
    expect(p.eventualSuccessRate).toBeCloseTo(0.98);
    expect(p.retries).toEqual({ attempted: 12, recovered: 8, exhausted: 2, notRetried: 0 });
  });
  it('are null when nothing completed', () => {
    const p = { completed: 0, statusCounts: {} } as unknown as PhaseResult;
    withRetries(p, { attempted: 0, recovered: 0, exhausted: 0, notRetried: 0 });
    expect(p.eventualSuccessRate).toBeNull();
  });
});

describe('the load retrier', () => {
  const failed = (attempt = 1): DeliveryResult =>
    ({
      status: 500,
      headers: [],
      delivery: { eventId: 'evt_1', attempt, headers: [], body: new Uint8Array(), intendedAt: 0 },
    }) as unknown as DeliveryResult;
  /** Answers each send with the next status of the script, on a later tick. */
  const scripted = (statuses: number[]) => {
    const sent: Delivery[] = [];
    return {
      sent,
      send(d: Delivery, cb: (r: DeliveryResult) => void) {
        sent.push(d);
        const status = statuses.shift() ?? 200;
        setImmediate(() => cb({ delivery: d, status, headers: [] } as unknown as DeliveryResult));
      },
    };
  };
  const redeliver = (d: Delivery, attempt: number, intendedAt: number): Delivery => ({
    ...d,
    attempt,
    intendedAt,
  });

  it('retries on the schedule until a 2xx, and counts the recovery per phase', async () => {
    const dispatcher = scripted([503, 200]);
    const r = new LoadRetrier({
      dispatcher,
      timing: { scheduleMs: [10, 10, 10], timeScale: 1 },
      redeliver,
      seed: 1,
    });
    r.offer({ ...failed(), status: 200 }, 0);
    r.offer(failed(), 1);
    await r.drain(5000);
    expect(dispatcher.sent.map((d) => d.attempt)).toEqual([2, 3]);
    expect(r.counts(0)).toEqual({ attempted: 0, recovered: 0, exhausted: 0, notRetried: 0 });
    expect(r.counts(1)).toEqual({ attempted: 2, recovered: 1, exhausted: 0, notRetried: 0 });
  });

  it('counts an event exhausted after the last retry, and keeps its last answer as a sample', async () => {
    const dispatcher = scripted([500, 500]);
    const r = new LoadRetrier({
      dispatcher,
      timing: { scheduleMs: [5, 5], timeScale: 1 },
      redeliver,
      seed: 1,
    });
    r.offer(failed(), 0);
    await r.drain(5000);
    expect(r.counts(0)).toEqual({ attempted: 2, recovered: 0, exhausted: 1, notRetried: 0 });
    expect(r.samples()[0]?.delivery.attempt).toBe(3);
  });

  it('does not wait for retries due after the window, nor after an interrupt', async () => {
    const dispatcher = scripted([]);
    const r = new LoadRetrier({
      dispatcher,
      timing: { scheduleMs: [60_000], timeScale: 1 },
      redeliver,
      seed: 1,
    });
    r.offer(failed(), 0);
    const started = performance.now();
    await r.drain(1000);
    expect(performance.now() - started).toBeLessThan(500);
    expect(r.counts(0)).toEqual({ attempted: 0, recovered: 0, exhausted: 0, notRetried: 1 });

    const s = new LoadRetrier({
      dispatcher,
      timing: { scheduleMs: [500], timeScale: 1 },
      redeliver,
      seed: 1,
    });
    s.offer(failed(), 0);
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    await s.drain(5000, stop.signal);
    expect(s.counts(0).notRetried).toBe(1);
    expect(dispatcher.sent).toHaveLength(0);
  });
});
