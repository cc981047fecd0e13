import { escapeHtml } from './escape.js';

/**
 * Line charts as inline SVG, drawn at render time: no chart library, no script needed to see them.
 * Each series is one path whose M/L commands are exactly its data points (a null is a gap), and
 * carries `data-points` with that count so tests and readers can check nothing was dropped.
 */

export interface Tick {
  v: number;
  label: string;
}

export interface Axis {
  label: string;
  min: number;
  max: number;
  ticks: Tick[];
  /** Logarithmic (min > 0): for latency spanning decades, so the median and the tail both show. */
  log?: boolean;
}

export interface Series {
  name: string;
  /** CSS class giving the colour (s0…s3). */
  cls: string;
  /** One y per x of the chart; null where there is no value (a gap). */
  ys: Array<number | null>;
}

export interface Band {
  from: number;
  to: number;
  label: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  xs: number[];
  /** How the hover readout names an x (same length as xs). */
  xLabels: string[];
  x: Axis;
  y: Axis;
  /** Unit appended to y values in the readout. */
  yUnit: string;
  series: Series[];
  bands?: Band[];
  /** viewBox size; drawn at about this many CSS pixels so text stays legible. */
  width?: number;
  height?: number;
}

/** What the page script needs for the hover readout: plot area and data, no markup. */
export interface ChartData {
  plot: { l: number; t: number; w: number; h: number };
  x: [number, number];
  y: [number, number];
  ylog: boolean;
  xs: number[];
  xLabels: string[];
  yUnit: string;
  series: Array<{ name: string; cls: string; ys: Array<number | null> }>;
}

const PAD = { l: 64, r: 30, t: 22, b: 44 };

function frame(spec: ChartSpec) {
  const W = spec.width ?? 760;
  const H = spec.height ?? 280;
  return { W, H, PW: W - PAD.l - PAD.r, PH: H - PAD.t - PAD.b };
}

const r2 = (v: number) => Math.round(v * 100) / 100;

export function scale(v: number, a: Axis, from: number, span: number, invert: boolean): number {
  const lo = a.log ? Math.log10(a.min) : a.min;
  const hi = a.log ? Math.log10(a.max) : a.max;
  const at = a.log ? Math.log10(Math.max(v, a.min)) : v;
  const f = hi === lo ? 0 : (at - lo) / (hi - lo);
  return r2(invert ? from + span - f * span : from + f * span);
}

/**
 * A y axis for values from 0 up: logarithmic when the positive values span more than `ratio` (a tail
 * hundreds of times the median would flatten everything else), linear from 0 otherwise.
 */
export function valueAxis(
  label: string,
  values: Array<number | null>,
  format: (v: number) => string,
  ratio = 50,
): Axis {
  const positive = values.filter((v): v is number => v !== null && v > 0);
  const max = Math.max(0, ...positive);
  const min = Math.min(...positive);
  if (positive.length > 0 && max / min > ratio) {
    // Ends on 1-2-5 steps around the data; ticks on every power of ten between.
    const steps = (k: number) => [1, 2, 5].map((m) => Number((m * 10 ** k).toPrecision(6)));
    const k0 = Math.floor(Math.log10(min));
    const k1 = Math.ceil(Math.log10(max));
    const lo = Math.max(...steps(k0).filter((v) => v <= min));
    const hi = Math.min(...[...steps(k1 - 1), 10 ** k1].filter((v) => v >= max));
    const ticks: Tick[] = [];
    for (let k = k0; k <= k1; k++) {
      const v = Number((10 ** k).toPrecision(6));
      if (v >= lo && v <= hi) ticks.push({ v, label: format(v) });
    }
    return { label: `${label}, log scale`, min: lo, max: hi, ticks, log: true };
  }
  const ticks = niceTicks(max, 5, format);
  return { label, min: 0, max: ticks.at(-1)?.v ?? 1, ticks };
}

/** Round steps (1, 2, 2.5, 5 × 10^k) from 0 to at least max. */
export function niceTicks(max: number, count = 5, format: (v: number) => string = String): Axis['ticks'] {
  if (!(max > 0) || !Number.isFinite(max)) return [{ v: 0, label: format(0) }];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((m) => m * mag >= raw) ?? 10) * mag;
  const ticks: Tick[] = [];
  for (let i = 0; i * step < max + step * 0.999; i++)
    ticks.push({ v: r2(i * step * 1e6) / 1e6, label: format(i * step) });
  return ticks;
}

/** The path of one series: M after a gap (or at the start), L otherwise. */
export function seriesPath(spec: ChartSpec, s: Series): { d: string; points: number } {
  const { PW, PH } = frame(spec);
  let d = '';
  let pen = false;
  let points = 0;
  s.ys.forEach((y, i) => {
    const xv = spec.xs[i];
    if (y === null || xv === undefined || !Number.isFinite(y)) {
      pen = false;
      return;
    }
    const px = scale(xv, spec.x, PAD.l, PW, false);
    const py = scale(Math.min(Math.max(y, spec.y.min), spec.y.max), spec.y, PAD.t, PH, true);
    d += `${pen ? 'L' : 'M'}${px} ${py}`;
    pen = true;
    points += 1;
  });
  return { d, points };
}

export function chartData(spec: ChartSpec): ChartData {
  const { PW, PH } = frame(spec);
  return {
    plot: { l: PAD.l, t: PAD.t, w: PW, h: PH },
    x: [spec.x.min, spec.x.max],
    y: [spec.y.min, spec.y.max],
    ylog: spec.y.log === true,
    xs: spec.xs,
    xLabels: spec.xLabels,
    yUnit: spec.yUnit,
    series: spec.series.map((s) => ({ name: s.name, cls: s.cls, ys: s.ys })),
  };
}

/** A figure: title, SVG (axes, bands, one path per series, hidden hover layer) and a legend. */
export function renderChart(spec: ChartSpec): string {
  const e = escapeHtml;
  const { W, H, PW, PH } = frame(spec);
  const out: string[] = [];
  out.push(
    `<svg class="chart" id="${e(spec.id)}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${e(spec.title)}" xmlns="http://www.w3.org/2000/svg">`,
  );
  out.push(`<rect class="plot" x="${PAD.l}" y="${PAD.t}" width="${PW}" height="${PH}"/>`);
  (spec.bands ?? []).forEach((b, i) => {
    const x1 = scale(b.from, spec.x, PAD.l, PW, false);
    const x2 = scale(b.to, spec.x, PAD.l, PW, false);
    out.push(
      `<rect class="band b${i % 2}" x="${x1}" y="${PAD.t}" width="${r2(Math.max(0, x2 - x1))}" height="${PH}"/>` +
        `<text class="band-label" x="${r2(x1 + 4)}" y="${PAD.t - 6}">${e(b.label)}</text>`,
    );
  });
  for (const t of spec.y.ticks) {
    const y = scale(t.v, spec.y, PAD.t, PH, true);
    out.push(
      `<line class="grid" x1="${PAD.l}" x2="${PAD.l + PW}" y1="${y}" y2="${y}"/>` +
        `<text class="tick y" x="${PAD.l - 6}" y="${r2(y + 4)}">${e(t.label)}</text>`,
    );
  }
  for (const t of spec.x.ticks) {
    const x = scale(t.v, spec.x, PAD.l, PW, false);
    out.push(
      `<line class="grid" x1="${x}" x2="${x}" y1="${PAD.t}" y2="${PAD.t + PH}"/>` +
        `<text class="tick x" x="${x}" y="${PAD.t + PH + 16}">${e(t.label)}</text>`,
    );
  }
  out.push(`<text class="axis-label" x="${PAD.l + PW / 2}" y="${H - 6}">${e(spec.x.label)}</text>`);
  out.push(
    `<text class="axis-label" transform="translate(14 ${PAD.t + PH / 2}) rotate(-90)">${e(spec.y.label)}</text>`,
  );
  for (const s of spec.series) {
    const { d, points } = seriesPath(spec, s);
    out.push(`<path class="line ${e(s.cls)}" data-series="${e(s.name)}" data-points="${points}" d="${d}"/>`);
  }
  out.push(
    `<g class="hover" visibility="hidden"><line class="cursor" x1="0" x2="0" y1="${PAD.t}" y2="${PAD.t + PH}"/>` +
      spec.series.map((s) => `<circle class="dot ${e(s.cls)}" r="3.5" cx="0" cy="0"/>`).join('') +
      `<text class="readout" x="${PAD.l + 6}" y="${PAD.t + 14}"></text></g>`,
  );
  out.push('</svg>');
  const legend = spec.series.map((s) => `<span class="key ${e(s.cls)}">${e(s.name)}</span>`).join(' ');
  return `<figure class="chart-box"><figcaption>${e(spec.title)}</figcaption>${out.join('')}<div class="legend">${legend}</div></figure>`;
}
