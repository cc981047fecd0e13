import type { PhaseResult, TimeseriesPoint } from '../metrics/types.js';
import {
  type Band,
  type ChartData,
  type ChartSpec,
  chartData,
  niceTicks,
  renderChart,
  valueAxis,
} from './chart.js';
import { DECADES, distributionOf, percentileGrid, percentileLabel } from './distribution.js';
import { escapeHtml, escapeUntrustedHtml } from './escape.js';
import {
  errorRatePct,
  fmtDuration,
  fmtMs,
  fmtPct,
  fmtRate,
  type StatusClass,
  statusClasses,
} from './stats.js';

/** The load section: per phase rates, answers and latency distribution; then the run over time. */

const t = escapeUntrustedHtml;
const e = escapeHtml;

/** Charts rendered so far, keyed by SVG id, for the page's hover readout. */
export type ChartRegistry = Record<string, ChartData>;

const axisMs = (v: number) =>
  v >= 1000
    ? `${Number((v / 1000).toFixed(2))}s`
    : v >= 1 || v === 0
      ? `${Number(v.toFixed(2))}`
      : `${Number(v.toPrecision(2))}`;

function chart(spec: ChartSpec, registry: ChartRegistry): string {
  registry[spec.id] = chartData(spec);
  return renderChart(spec);
}

const BAR_W = 600;
const CLASS_KEYS: Array<[StatusClass, string]> = [
  ['2xx', 'k2'],
  ['3xx', 'k3'],
  ['4xx', 'k4'],
  ['5xx', 'k5'],
  ['other', 'kother'],
  ['errors', 'kerr'],
];

/** One horizontal bar split by answer class, each part titled with its count. */
function statusBar(p: PhaseResult): string {
  const classes = statusClasses(p);
  const total = Object.values(classes).reduce((a, b) => a + b, 0);
  if (total === 0) return '';
  let x = 0;
  const rects = CLASS_KEYS.filter(([k]) => classes[k] > 0).map(([k, cls]) => {
    const w = (classes[k] / total) * BAR_W;
    const r = `<rect class="${cls}" x="${x.toFixed(2)}" y="0" width="${w.toFixed(2)}" height="14"><title>${k}: ${classes[k]} (${fmtPct((100 * classes[k]) / total)})</title></rect>`;
    x += w;
    return r;
  });
  return `<svg class="statusbar" viewBox="0 0 ${BAR_W} 14" preserveAspectRatio="none" role="img" aria-label="answers by class">${rects.join('')}</svg>`;
}

function latencyTable(p: PhaseResult): string {
  const row = (label: string, l: PhaseResult['latency']['corrected']) =>
    `<tr><td class="l">${label}</td><td>${fmtMs(l.p50)}</td><td>${fmtMs(l.p90)}</td><td>${fmtMs(l.p99)}</td><td>${fmtMs(l.p999)}</td><td>${fmtMs(l.max)}</td></tr>`;
  return (
    '<table class="latency"><tr><th class="l">latency</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>' +
    row('corrected', p.latency.corrected) +
    row('uncorrected', p.latency.uncorrected) +
    '</table>'
  );
}

function countTable(title: string, counts: Record<string, number>, total: number): string {
  const rows = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([k, n]) =>
        `<tr><td class="l">${t(k)}</td><td>${n}</td><td>${total > 0 ? fmtPct((100 * n) / total) : '–'}</td></tr>`,
    );
  if (rows.length === 0) return '';
  return `<table class="counts"><tr><th class="l">${title}</th><th>count</th><th>share</th></tr>${rows.join('')}</table>`;
}

function distributionChart(p: PhaseResult, index: number, registry: ChartRegistry): string {
  const xs = percentileGrid();
  const corrected = distributionOf(p.histograms.corrected, xs);
  const uncorrected = distributionOf(p.histograms.uncorrected, xs);
  return chart(
    {
      id: `dist-${index}`,
      title: `Latency by percentile: ${p.name}`,
      width: 540,
      height: 300,
      xs,
      xLabels: xs.map(percentileLabel),
      x: {
        label: 'percentile (log scale)',
        min: 0,
        max: DECADES,
        ticks: ['0%', '90%', '99%', '99.9%', '99.99%', '99.999%'].map((label, v) => ({ v, label })),
      },
      y: valueAxis('latency (ms)', [...corrected, ...uncorrected], axisMs),
      yUnit: 'ms',
      series: [
        { name: 'corrected', cls: 's0', ys: corrected },
        { name: 'uncorrected', cls: 's1 dashed', ys: uncorrected },
      ],
    },
    registry,
  );
}

function phaseBlock(p: PhaseResult, index: number, registry: ChartRegistry): string {
  const ratio = p.intendedRate ? (100 * p.achievedRate) / p.intendedRate : null;
  const short = ratio !== null && ratio < 95;
  const errors = errorRatePct(p);
  const rates = [
    `<div>intended<b>${p.intendedRate === null ? 'closed model' : `${fmtRate(p.intendedRate)}/s`}</b></div>`,
    `<div>achieved<b class="${short ? 'bad' : ''}">${fmtRate(p.achievedRate)}/s</b>${ratio !== null ? `<span class="muted">${fmtPct(ratio, 1)} of intended</span>` : ''}</div>`,
    `<div>sent<b>${p.sent}</b></div>`,
    `<div>completed<b>${p.completed}</b></div>`,
    `<div>dropped<b class="${p.dropped > 0 ? 'bad' : ''}">${p.dropped}</b></div>`,
    `<div>errors + non-2xx<b class="${errors > 0 ? 'bad' : ''}">${fmtPct(errors)}</b></div>`,
  ].join('');
  return (
    `<div class="phase" id="phase-${index}"><h3>${t(p.name)} <span class="muted">${e(p.model)} model, ${e(fmtDuration(p.durationMs))}</span></h3>` +
    `<div class="phase-grid"><div><div class="rates">${rates}</div>${statusBar(p)}` +
    `<div class="tables">${latencyTable(p)}${countTable('status', p.statusCounts, p.completed)}${countTable('error', p.errorCounts, p.completed)}</div></div>` +
    `<div>${distributionChart(p, index, registry)}</div></div></div>`
  );
}

/** Phase bands over time: from a phase's first second to the end of its last. */
function phaseBands(points: readonly TimeseriesPoint[]): Band[] {
  const bands: Band[] = [];
  for (const pt of points) {
    const last = bands.at(-1);
    if (last && last.label === pt.phase) last.to = Math.max(last.to, pt.t + 1);
    else bands.push({ from: pt.t, to: pt.t + 1, label: pt.phase });
  }
  return bands;
}

function timeCharts(points: readonly TimeseriesPoint[], registry: ChartRegistry): string {
  if (points.length === 0) return '';
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const xs = sorted.map((p) => p.t + 0.5);
  const xLabels = sorted.map((p) => `${p.t} s (${p.phase})`);
  const tMin = sorted[0]!.t;
  const tMax = sorted.at(-1)!.t + 1;
  const xTicks = niceTicks(tMax - tMin, 8, (v) => `${v + tMin}`).map((tk) => ({
    v: tk.v + tMin,
    label: tk.label,
  }));
  const x = {
    label: 'seconds since start',
    min: tMin,
    max: tMax,
    ticks: xTicks.filter((tk) => tk.v <= tMax),
  };
  const bands = phaseBands(sorted);

  const lat = (f: (p: TimeseriesPoint) => number) => sorted.map((p) => (p.completed > 0 ? f(p) : null));
  const p50 = lat((p) => p.p50);
  const p99 = lat((p) => p.p99);
  const rateMax = Math.max(0, ...sorted.map((p) => Math.max(p.sent, p.completed, p.errors)));
  const rateTicks = niceTicks(rateMax, 5, (v) => `${v}`);
  return (
    chart(
      {
        id: 'latency-over-time',
        title: 'Latency over time (corrected, per second)',
        width: 1040,
        height: 280,
        xs,
        xLabels,
        x,
        y: valueAxis('latency (ms)', [...p50, ...p99], axisMs),
        yUnit: 'ms',
        series: [
          { name: 'p50', cls: 's0', ys: p50 },
          { name: 'p99', cls: 's3', ys: p99 },
        ],
        bands,
      },
      registry,
    ) +
    chart(
      {
        id: 'throughput-over-time',
        title: 'Throughput over time (per second)',
        width: 1040,
        height: 280,
        xs,
        xLabels,
        x,
        y: { label: 'deliveries per second', min: 0, max: rateTicks.at(-1)?.v ?? 1, ticks: rateTicks },
        yUnit: '/s',
        series: [
          { name: 'sent', cls: 's0', ys: sorted.map((p) => p.sent) },
          { name: 'completed', cls: 's2', ys: sorted.map((p) => p.completed) },
          { name: 'errors', cls: 's3', ys: sorted.map((p) => p.errors) },
        ],
        bands,
      },
      registry,
    )
  );
}

export function loadSection(
  phases: readonly PhaseResult[],
  points: readonly TimeseriesPoint[],
  registry: ChartRegistry,
): string {
  if (phases.length === 0)
    return '<p class="muted">No load phase ran (conformance only, or the run stopped before the load).</p>';
  return (
    '<p class="muted">Latency is measured from each delivery\'s intended send time (corrected for coordinated omission) and from the moment it was written (uncorrected).</p>' +
    phases.map((p, i) => phaseBlock(p, i, registry)).join('') +
    (points.length > 0 ? `<h3>Over time</h3>${timeCharts(points, registry)}` : '')
  );
}
