import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { intendedOffsetMs, meanRate, plannedSends } from '../../src/engine/schedule.js';

describe('open-model schedule', () => {
  it('spaces a constant rate evenly, no per-second batches', () => {
    const s = { r0: 2000, r1: 2000, durationMs: 10_000 };
    expect(plannedSends(s)).toBe(20_000);
    expect(intendedOffsetMs(0, s)).toBe(0);
    expect(intendedOffsetMs(1, s)).toBeCloseTo(0.5, 9);
    expect(intendedOffsetMs(19_999, s)).toBeCloseTo(9999.5, 6);
    expect(meanRate(s)).toBe(2000);
  });

  it('ramps linearly: the count due by t is the integral of the rate', () => {
    const s = { r0: 100, r1: 300, durationMs: 10_000 };
    expect(plannedSends(s)).toBe(2000);
    // N(t) = 100t + 10t²: N(5 s) = 750, so send 750 is due at 5 s exactly.
    expect(intendedOffsetMs(750, s)).toBeCloseTo(5000, 6);
    // Ramping up, gaps shrink.
    const gap = (k: number) => intendedOffsetMs(k + 1, s) - intendedOffsetMs(k, s);
    expect(gap(10)).toBeGreaterThan(gap(1900));
    expect(gap(10)).toBeCloseTo(10, 0);
    expect(gap(1990)).toBeCloseTo(1000 / 300, 1);
  });

  it('ramps down to zero and up from zero', () => {
    const down = { r0: 200, r1: 0, durationMs: 1000 };
    expect(plannedSends(down)).toBe(100);
    expect(intendedOffsetMs(99, down)).toBeLessThan(1000);
    const up = { r0: 0, r1: 200, durationMs: 1000 };
    expect(plannedSends(up)).toBe(100);
    expect(intendedOffsetMs(25, up)).toBeCloseTo(500, 6);
    expect(plannedSends({ r0: 0, r1: 0, durationMs: 1000 })).toBe(0);
  });

  it('is increasing and stays inside the phase for any rates (property)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 5000, noNaN: true }),
        fc.integer({ min: 100, max: 20_000 }),
        (r0, r1, durationMs) => {
          const s = { r0, r1, durationMs };
          const n = plannedSends(s);
          let prev = -1;
          const ks = [...new Set([0, 1, Math.floor(n / 3), Math.floor(n / 2), n - 2, n - 1])].sort(
            (a, b) => a - b,
          );
          for (const k of ks) {
            if (k < 0 || k >= n) continue;
            const t = intendedOffsetMs(k, s);
            expect(t).toBeGreaterThanOrEqual(prev);
            expect(t).toBeLessThan(durationMs + 1e-6);
            prev = t;
          }
          // Near a ramp down to zero the root sits at the parabola's vertex, where float rounding
          // is amplified by √: allow a millionth of the phase (20 µs at most here).
          if (n > 0) expect(intendedOffsetMs(n, s)).toBeGreaterThanOrEqual(durationMs * (1 - 1e-6));
        },
      ),
    );
  });
});
