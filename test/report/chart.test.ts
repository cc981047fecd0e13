import { encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import {
  type ChartSpec,
  niceTicks,
  renderChart,
  scale,
  seriesPath,
  valueAxis,
} from '../../src/report/chart.js';
import {
  distributionOf,
  percentileGrid,
  percentileLabel,
  percentileOfX,
} from '../../src/report/distribution.js';
import { newHistogram } from './fixtures.js';

describe('axes', () => {
  it('niceTicks steps by 1, 2, 2.5 or 5 powers of ten up to at least the maximum', () => {
    expect(niceTicks(9.3).map((t) => t.v)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(480).map((t) => t.v)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(niceTicks(0)).toEqual([{ v: 0, label: '0' }]);
  });

  it('valueAxis turns logarithmic when values span decades, linear from 0 otherwise', () => {
    const linear = valueAxis('ms', [1, 5, 12, null], String);
    expect(linear.log).toBeUndefined();
    expect(linear.min).toBe(0);
    const log = valueAxis('ms', [0.8, 3, 400, 10_060, null], String);
    expect(log.log).toBe(true);
    expect([log.min, log.max]).toEqual([0.5, 20_000]);
    expect(log.ticks.map((t) => t.v)).toEqual([1, 10, 100, 1000, 10_000]);
    expect(log.label).toBe('ms, log scale');
  });

  it('scale maps the axis ends to the plot edges, inverted for y, and logs when asked', () => {
    const a = { label: '', min: 0, max: 10, ticks: [] };
    expect(scale(0, a, 50, 100, false)).toBe(50);
    expect(scale(10, a, 50, 100, false)).toBe(150);
    expect(scale(10, a, 50, 100, true)).toBe(50);
    const l = { label: '', min: 1, max: 1000, ticks: [], log: true };
    expect(scale(10, l, 0, 300, false)).toBe(100);
    expect(scale(0, l, 0, 300, false)).toBe(0);
  });
});

describe('series', () => {
  const spec: ChartSpec = {
    id: 'c',
    title: 't',
    xs: [0, 1, 2, 3, 4],
    xLabels: ['a', 'b', 'c', 'd', 'e'],
    x: { label: 'x', min: 0, max: 4, ticks: [] },
    y: { label: 'y', min: 0, max: 10, ticks: [] },
    yUnit: '',
    series: [{ name: 's', cls: 's0', ys: [1, 2, null, 4, 5] }],
  };

  it('draws one command per value and starts again after a gap', () => {
    const { d, points } = seriesPath(spec, spec.series[0]!);
    expect(points).toBe(4);
    expect(d.match(/[ML]/g)).toEqual(['M', 'L', 'M', 'L']);
  });

  it('escapes names in the markup', () => {
    const svg = renderChart({ ...spec, title: '<b>', series: [{ name: '"><x', cls: 's0', ys: [1] }] });
    expect(svg).not.toContain('<b>');
    expect(svg).not.toContain('"><x');
  });
});

describe('percentile distribution', () => {
  it('spans 0 to 99.999% on a log axis', () => {
    const xs = percentileGrid();
    expect(xs[0]).toBe(0);
    expect(xs.at(-1)).toBe(5);
    expect(percentileOfX(2)).toBeCloseTo(99, 10);
    expect(percentileLabel(3)).toBe('p99.9');
    expect(percentileLabel(5)).toBe('p99.999');
    expect(percentileLabel(1)).toBe('p90');
  });

  it('reads each point from the decoded histogram, and nothing from an empty one', () => {
    const h = newHistogram();
    for (let v = 1; v <= 1000; v++) h.recordValue(v * 1000); // 1 … 1000 ms
    const xs = [0, 1, 2, 3];
    const ys = distributionOf(encodeIntoCompressedBase64(h), xs) as number[];
    expect(ys.map((y) => Math.round(y))).toEqual([1, 900, 990, 999]);
    expect(distributionOf(encodeIntoCompressedBase64(newHistogram()), xs)).toEqual([null, null, null, null]);
  });
});
