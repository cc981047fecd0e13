import { describe, expect, it } from 'vitest';
import { describeOutcome, probeTiming, watchCount } from '../../../src/checks/probe.js';
import { ProbeError } from '../../../src/checks/probe-types.js';

/** A count that follows a timeline: [ms after the first read, count] steps. */
function timeline(steps: Array<[number, number]>) {
  let t0 = -1;
  return {
    reads: 0,
    async read(): Promise<number> {
      this.reads++;
      const now = performance.now();
      if (t0 < 0) t0 = now;
      let n = 0;
      for (const [at, c] of steps) if (now - t0 >= at) n = c;
      return n;
    },
  };
}

const T = { settleMs: 400, windowMs: 120, intervalMs: 10 };

describe('settle semantics', () => {
  it('expectOne: waits for an effect that comes late (within the settle timeout), then watches the window', async () => {
    const r = timeline([[60, 1]]);
    const out = await watchCount(r, 'e', 1, T);
    expect(out).toMatchObject({ ok: true, max: 1, last: 1 });
    expect(out.elapsedMs).toBeGreaterThanOrEqual(60 + T.windowMs);
    expect(out.text).toMatch(/^exactly 1 side effect \(1 after \d+ ms, unchanged for 120 ms\)$/);
  });

  it('expectOne: a second effect inside the window fails, and the count is what the window saw', async () => {
    const out = await watchCount(
      timeline([
        [0, 1],
        [40, 2],
        [80, 3],
      ]),
      'e',
      1,
      T,
    );
    expect(out).toMatchObject({ ok: false, max: 3, last: 3 });
    expect(out.text).toMatch(/^3 side effects \(1 at the first read, 2 after \d+ ms, 3 after \d+ ms\)$/);
  });

  it('expectOne: no effect by the settle timeout fails', async () => {
    const out = await watchCount(timeline([]), 'e', 1, T);
    expect(out).toMatchObject({ ok: false, max: 0 });
    expect(out.elapsedMs).toBeGreaterThanOrEqual(T.settleMs);
    expect(out.text).toBe('no side effect within 400 ms');
  });

  it('expectNone: passes when the count stays 0 to the end of the window', async () => {
    const out = await watchCount(timeline([]), 'e', 0, T);
    expect(out).toMatchObject({ ok: true, max: 0 });
    expect(out.elapsedMs).toBeGreaterThanOrEqual(T.windowMs);
    expect(out.text).toBe('no side effect (watched 120 ms)');
  });

  it('expectNone: an effect that shows up during the window fails', async () => {
    const out = await watchCount(timeline([[50, 1]]), 'e', 0, T);
    expect(out).toMatchObject({ ok: false, max: 1 });
    expect(out.text).toMatch(/^1 side effect for a rejected delivery/);
  });

  it('a probe failure mid-watch is an outcome with the error, not a throw', async () => {
    let n = 0;
    const reader = {
      read: async () => {
        if (++n > 2) throw new ProbeError('the probe answered 503 for e', 'is the probe up?');
        return 0;
      },
    };
    const out = await watchCount(reader, 'e', 1, T);
    expect(out).toMatchObject({ ok: false, error: 'the probe answered 503 for e (is the probe up?)' });
    expect(out.text).toBe('the probe failed: the probe answered 503 for e (is the probe up?)');
  });

  it('a bug in a reader still throws', async () => {
    await expect(
      watchCount({ read: async () => Promise.reject(new TypeError('bug')) }, 'e', 1, T),
    ).rejects.toThrow(TypeError);
  });
});

describe('probe timing', () => {
  it('defaults to settle 5 s and window 1 s, time-scaled, never below 100 ms', () => {
    expect(probeTiming({}, 1)).toMatchObject({ settleMs: 5000, windowMs: 1000 });
    expect(probeTiming({}, 0.1)).toMatchObject({ settleMs: 500, windowMs: 100 });
    expect(probeTiming({}, 0.01)).toMatchObject({ settleMs: 100, windowMs: 100 });
  });

  it("uses the scenario's settle and window as written", () => {
    expect(probeTiming({ settleMs: 2000, windowMs: 50 }, 0.01)).toMatchObject({
      settleMs: 2000,
      windowMs: 50,
    });
  });

  it('describes outcomes without reading the clock', () => {
    const t = probeTiming({}, 1);
    expect(
      describeOutcome(
        { expected: 1, max: 2, last: 2, changes: [{ atMs: 0, count: 2 }], elapsedMs: 1000, reads: 5 },
        t,
      ),
    ).toBe('2 side effects (2 at the first read)');
  });
});
