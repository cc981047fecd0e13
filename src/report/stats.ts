import type { CheckResult, CheckStatus } from '../checks/types.js';
import type { PhaseResult } from '../metrics/types.js';

/** Figures every reporter derives the same way from a phase and the check list. */

const is2xx = (code: string) => /^2\d\d$/.test(code);

/** Deliveries of a phase that ended in an error class or a non-2xx answer. */
export function failuresOf(p: PhaseResult): number {
  let n = 0;
  for (const [code, count] of Object.entries(p.statusCounts)) if (!is2xx(code)) n += count;
  for (const count of Object.values(p.errorCounts)) n += count;
  return n;
}

/** Errors and non-2xx answers as a percentage of completed deliveries (0 when nothing completed). */
export function errorRatePct(p: PhaseResult): number {
  return p.completed > 0 ? (100 * failuresOf(p)) / p.completed : 0;
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx' | 'other' | 'errors';

/** Answers grouped by class, then transport errors, for the breakdown bar. */
export function statusClasses(p: PhaseResult): Record<StatusClass, number> {
  const out: Record<StatusClass, number> = { '2xx': 0, '3xx': 0, '4xx': 0, '5xx': 0, other: 0, errors: 0 };
  for (const [code, count] of Object.entries(p.statusCounts)) {
    const k = /^[2-5]\d\d$/.test(code) ? (`${code[0]}xx` as StatusClass) : 'other';
    out[k] += count;
  }
  for (const count of Object.values(p.errorCounts)) out.errors += count;
  return out;
}

export interface CheckCounts {
  requiredFailed: number;
  failed: number;
  errored: number;
  warned: number;
  passed: number;
  skipped: number;
}

export function countChecks(checks: readonly CheckResult[]): CheckCounts {
  const n = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  return {
    requiredFailed: checks.filter((c) => c.required && (c.status === 'fail' || c.status === 'error')).length,
    failed: n('fail'),
    errored: n('error'),
    warned: n('warn'),
    passed: n('pass'),
    skipped: n('skip'),
  };
}

/** A check that fails the gate: required and fail or error. */
export const failsGate = (c: CheckResult): boolean =>
  c.required && (c.status === 'fail' || c.status === 'error');

/** Worst first, stable: what fails the gate, then advisory trouble, then passes, then skips. */
export function worstFirst(checks: readonly CheckResult[]): CheckResult[] {
  const rank = (c: CheckResult) =>
    failsGate(c)
      ? 0
      : c.status === 'warn' || c.status === 'error' || c.status === 'fail'
        ? 1
        : c.status === 'pass'
          ? 2
          : 3;
  return checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => c);
}

export function fmtMs(v: number): string {
  if (v >= 1000) return `${(v / 1000).toFixed(2)} s`;
  if (v >= 10) return `${v.toFixed(1)} ms`;
  return `${v.toFixed(2)} ms`;
}

export function fmtRate(v: number | null): string {
  if (v === null) return '–';
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

export function fmtPct(v: number, digits = 2): string {
  return `${Number(v.toFixed(digits))}%`;
}

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${Number(s.toFixed(1))} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}
