import { decodeHistogram } from '../metrics/histogram.js';

/**
 * The percentile distribution of a latency histogram on a log percentile axis, as HdrHistogram plots
 * it: x = log10(1 / (1 - p)), so 90% is 1, 99% is 2 … 99.999% is 5. Tails are where coordinated
 * omission hides, so they get as much room as the median.
 */

/** Decades of the axis: up to 99.999%. */
export const DECADES = 5;
/** Points per decade: enough for a smooth curve, few enough for a light page. */
export const STEPS_PER_DECADE = 20;

/** The x grid shared by every distribution chart: 0, 0.05, … 5. */
export function percentileGrid(): number[] {
  const xs: number[] = [];
  for (let i = 0; i <= DECADES * STEPS_PER_DECADE; i++) xs.push(i / STEPS_PER_DECADE);
  return xs;
}

export const percentileOfX = (x: number): number => 100 * (1 - 10 ** -x);

/** A percentile as people write it: 50, 90, 99.9, 99.999. */
export function percentileLabel(x: number): string {
  const p = percentileOfX(x);
  const digits = Math.max(0, Math.ceil(x) - 2);
  return `p${Number(p.toFixed(Math.min(digits + 1, 4)))}`;
}

/** ms at each grid point; null for every point when the histogram is empty. */
export function distributionOf(encoded: string, xs: readonly number[]): Array<number | null> {
  const h = decodeHistogram(encoded);
  if (h.totalCount === 0) return xs.map(() => null);
  return xs.map((x) => h.getValueAtPercentile(percentileOfX(x)) / 1000);
}
