import type { CheckResult } from '../checks/types.js';
import type { PhaseResult } from '../metrics/types.js';
import type { ResultJson } from '../run/result.js';
import { visibleText } from './escape.js';

export interface Style {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;
export const COLOR: Style = {
  green: wrap(32, 39),
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};
const id = (s: string) => s;
export const PLAIN: Style = { green: id, red: id, yellow: id, dim: id, bold: id };

/** Colour only on a TTY and when NO_COLOR is unset (https://no-color.org). */
export function styleFor(stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv = process.env): Style {
  return stream.isTTY && !env['NO_COLOR'] ? COLOR : PLAIN;
}

/**
 * Text that may come from the target must not drive the terminal: control characters, bidi overrides
 * and zero-width characters become visible `\\uXXXX`. Newlines and tabs are kept.
 */
export function safeText(s: string): string {
  return visibleText(s);
}

/** safeText for one line: a newline would start a line a CI runner may read as a workflow command. */
export function oneLine(s: string): string {
  return visibleText(s.replace(/\r?\n/g, '\\n').replace(/\t/g, ' '));
}

const ms = (v: number) =>
  v >= 1000 ? `${(v / 1000).toFixed(2)}s` : v >= 10 ? `${v.toFixed(1)}ms` : `${v.toFixed(2)}ms`;
const pad = (s: string, n: number) => s.padEnd(n);
const lpad = (s: string, n: number) => s.padStart(n);

export function phaseTable(phases: PhaseResult[]): string[] {
  if (phases.length === 0) return [];
  const head = [
    'phase',
    'intended/s',
    'achieved/s',
    'sent',
    'drop',
    'p50',
    'p90',
    'p99',
    'p99.9',
    'max',
    'statuses',
  ];
  const rows = phases.map((p) => {
    const l = p.latency.corrected;
    const statuses = [
      ...Object.entries(p.statusCounts).map(([k, n]) => `${k}:${n}`),
      ...Object.entries(p.errorCounts)
        .filter(([, n]) => n > 0)
        .map(([k, n]) => `${k}:${n}`),
    ].join(' ');
    return [
      p.name,
      p.intendedRate === null ? `closed` : p.intendedRate.toFixed(0),
      p.achievedRate.toFixed(1),
      String(p.sent),
      String(p.dropped),
      ms(l.p50),
      ms(l.p90),
      ms(l.p99),
      ms(l.p999),
      ms(l.max),
      statuses,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 || i === r.length - 1 ? pad(c, widths[i]!) : lpad(c, widths[i]!))).join('  ');
  return [line(head), ...rows.map(line)];
}

function statusMark(c: CheckResult, s: Style): string {
  switch (c.status) {
    case 'pass':
      return s.green('PASS ');
    case 'fail':
      return s.red('FAIL ');
    case 'warn':
      return s.yellow('WARN ');
    case 'error':
      return s.red('ERROR');
    default:
      return s.dim('SKIP ');
  }
}

/** The end-of-run summary: phases, checks, then the verdict as the last line. */
export function renderSummary(r: ResultJson, s: Style, extra: string[] = []): string {
  const out: string[] = [];
  out.push(s.bold(`wh-bench ${r.tool.version}: ${r.scenario.name} (${r.scenario.preset}) → ${r.target.url}`));
  if (r.timeScale !== 1)
    out.push(s.dim(`time scale ${r.timeScale}: provider timeouts and retry schedules compressed`));
  if (r.stopReason) out.push(s.yellow(`stopped early: ${oneLine(r.stopReason)}`));
  const table = phaseTable(r.phases);
  if (table.length > 0) {
    out.push('', s.bold('Load (latency corrected for coordinated omission)'));
    out.push(...table.map((l, i) => (i === 0 ? s.dim(l) : l)));
  }
  out.push('', s.bold('Checks'));
  for (const c of r.checks) {
    const tag = c.required ? '' : s.dim(' (advisory)');
    out.push(`  ${statusMark(c, s)} ${oneLine(c.id)}${tag}: ${oneLine(c.summary)}`);
  }
  if (extra.length > 0) out.push('', ...extra.map((l) => s.dim(l)));
  out.push('', verdictLine(r, s));
  return out.join('\n');
}

export function verdictLine(r: ResultJson, s: Style): string {
  const failed = r.checks.filter((c) => c.required && (c.status === 'fail' || c.status === 'error')).length;
  const passed = r.checks.filter((c) => c.status === 'pass').length;
  if (r.interrupted) return s.yellow(`verdict: INTERRUPTED (partial report) ${r.runId}`);
  return r.verdict === 'pass'
    ? s.green(s.bold(`verdict: PASS (${passed} checks passed) run ${r.runId}`))
    : s.red(s.bold(`verdict: FAIL (${failed} required checks failed) run ${r.runId}`));
}
