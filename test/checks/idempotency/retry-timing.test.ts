import { describe, expect, it } from 'vitest';
import type { DeliveryResult } from '../../../src/engine/delivery.js';
import { parseRetryAfter, retryDelayMs, withRetries } from '../../../src/engine/retry.js';
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
