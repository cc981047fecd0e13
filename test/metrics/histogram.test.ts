import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createHistogram,
  createRecordingHistogram,
  decodeHistogram,
  emptyHistogramEncoded,
  encodeHistogram,
  MAX_TRACKABLE_US,
  mergeEncoded,
  percentilesOf,
  percentilesOfEncoded,
  recordUs,
  release,
} from '../../src/metrics/histogram.js';

function encodedOf(values: number[]): string {
  const h = createRecordingHistogram();
  try {
    for (const v of values) recordUs(h, v);
    return encodeHistogram(h);
  } finally {
    release(h);
  }
}

describe('histograms', () => {
  it('reports percentiles in ms from µs values, within 3 significant digits', () => {
    const h = createRecordingHistogram();
    for (let v = 1; v <= 10_000; v++) recordUs(h, v * 100); // 0.1 ms … 1000 ms, uniform
    const p = percentilesOf(h);
    release(h);
    expect(p.p50).toBeCloseTo(500, -1);
    expect(p.p90).toBeCloseTo(900, -1);
    expect(Math.abs(p.p99 - 990) / 990).toBeLessThan(0.001);
    expect(Math.abs(p.p999 - 999) / 999).toBeLessThan(0.001);
    expect(Math.abs(p.max - 1000) / 1000).toBeLessThan(0.001);
  });

  it('is all zeros when empty', () => {
    expect(percentilesOf(createHistogram())).toEqual({ p50: 0, p90: 0, p99: 0, p999: 0, max: 0 });
    expect(percentilesOfEncoded(emptyHistogramEncoded())).toEqual({
      p50: 0,
      p90: 0,
      p99: 0,
      p999: 0,
      max: 0,
    });
  });

  it('clamps values outside the trackable range instead of throwing', () => {
    const h = createRecordingHistogram();
    recordUs(h, -5);
    recordUs(h, MAX_TRACKABLE_US * 10);
    expect(h.totalCount).toBe(2);
    const p = percentilesOf(h);
    release(h);
    expect(p.max).toBeGreaterThanOrEqual(MAX_TRACKABLE_US / 1000 - 1);
  });

  it('round-trips through the encoding', () => {
    const values = [120, 450, 450, 9_999, 1_000_000, 35_000_000];
    const b64 = encodedOf(values);
    const h = decodeHistogram(b64);
    expect(h.totalCount).toBe(values.length);
    expect(encodeHistogram(h)).toBe(b64);
  });

  it('merging encoded histograms equals recording both sets into one (property)', () => {
    const value = fc.integer({ min: 0, max: 60_000_000 });
    fc.assert(
      fc.property(fc.array(value, { maxLength: 200 }), fc.array(value, { maxLength: 200 }), (a, b) => {
        const merged = mergeEncoded([encodedOf(a), encodedOf(b)]);
        const together = encodedOf([...a, ...b]);
        expect(merged).toBe(together);
        expect(percentilesOfEncoded(merged)).toEqual(percentilesOfEncoded(together));
      }),
      { numRuns: 50 },
    );
  });

  it('merges any number of shards, and none into an empty histogram', () => {
    const shards = [[1, 2, 3], [1000], [], [5_000_000, 7]];
    expect(mergeEncoded(shards.map(encodedOf))).toBe(encodedOf(shards.flat()));
    expect(decodeHistogram(mergeEncoded([])).totalCount).toBe(0);
  });
});
