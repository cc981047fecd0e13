import type { CheckStatus } from '../checks/types.js';
import type { PhaseResult } from '../metrics/types.js';
import type { ResultJson } from '../run/result.js';
import { errorRatePct, fmtMs } from './stats.js';
import { oneLine } from './terminal.js';

/**
 * The regression gate between two runs of one scenario: per phase (matched by name) the change in
 * corrected latency, achieved rate and error rate, and the checks whose status changed. Pure: the
 * command prints it and turns `regressions` into the exit code.
 */

export interface CompareLimits {
  /** p99 regresses when it grows by more than this percentage… */
  p99Pct: number;
  /** …and by more than this many milliseconds (both, so tiny p99s do not flap). */
  p99Ms: number;
  /** Achieved rate regresses when it falls by more than this percentage. */
  ratePct: number;
  /** Error rate regresses when it rises by more than this many percentage points. */
  errorPoints: number;
}

export const DEFAULT_LIMITS: CompareLimits = { p99Pct: 20, p99Ms: 5, ratePct: 5, errorPoints: 0.1 };

export interface PhaseFigures {
  p50: number;
  p99: number;
  p999: number;
  achievedRate: number;
  /** Errors and non-2xx answers, % of completed. */
  errorRate: number;
}

export interface Change {
  base: number;
  head: number;
  /** head − base. */
  delta: number;
  /** Relative change in %, null when base is 0. */
  pct: number | null;
}

export interface PhaseComparison {
  name: string;
  presence: 'both' | 'base-only' | 'head-only';
  base: PhaseFigures | null;
  head: PhaseFigures | null;
  changes: Partial<Record<keyof PhaseFigures, Change>>;
  /** The figures past their limit. */
  regressed: Array<keyof PhaseFigures>;
  regressions: string[];
}

export interface CheckChange {
  id: string;
  base: CheckStatus | null;
  head: CheckStatus | null;
  /** Required in head (or in base when the check is gone). */
  required: boolean;
  regression: boolean;
}

export interface Comparison {
  scenario: string;
  base: { runId: string; verdict: string };
  head: { runId: string; verdict: string };
  limits: CompareLimits;
  phases: PhaseComparison[];
  checks: CheckChange[];
  /** Every regression in words; empty means the gate passes. */
  regressions: string[];
}

export function figuresOf(p: PhaseResult): PhaseFigures {
  return {
    p50: p.latency.corrected.p50,
    p99: p.latency.corrected.p99,
    p999: p.latency.corrected.p999,
    achievedRate: p.achievedRate,
    errorRate: errorRatePct(p),
  };
}

function change(base: number, head: number): Change {
  return { base, head, delta: head - base, pct: base === 0 ? null : ((head - base) / base) * 100 };
}

const round = (v: number, d = 2) => Number(v.toFixed(d));

function comparePhase(
  name: string,
  b: PhaseResult | undefined,
  h: PhaseResult | undefined,
  limits: CompareLimits,
): PhaseComparison {
  const base = b ? figuresOf(b) : null;
  const head = h ? figuresOf(h) : null;
  if (!base || !head) {
    return {
      name,
      presence: base ? 'base-only' : 'head-only',
      base,
      head,
      changes: {},
      regressed: [],
      regressions: [],
    };
  }
  const changes = {
    p50: change(base.p50, head.p50),
    p99: change(base.p99, head.p99),
    p999: change(base.p999, head.p999),
    achievedRate: change(base.achievedRate, head.achievedRate),
    errorRate: change(base.errorRate, head.errorRate),
  };
  const regressions: string[] = [];
  const regressed: Array<keyof PhaseFigures> = [];
  const p99 = changes.p99;
  // A p99 from 0 (nothing completed) counts as an infinite relative increase.
  const p99Pct = p99.pct ?? (p99.delta > 0 ? Number.POSITIVE_INFINITY : 0);
  if (p99Pct > limits.p99Pct && p99.delta > limits.p99Ms) {
    regressed.push('p99');
    regressions.push(
      `${name}: p99 ${round(p99.base)} → ${round(p99.head)} ms (+${round(p99.delta)} ms${p99.pct === null ? '' : `, +${round(p99.pct, 1)}%`}; limits ${limits.p99Pct}% and ${limits.p99Ms} ms)`,
    );
  }
  const rate = changes.achievedRate;
  if (rate.pct !== null && rate.pct < -limits.ratePct) {
    regressed.push('achievedRate');
    regressions.push(
      `${name}: achieved rate ${round(rate.base, 1)} → ${round(rate.head, 1)}/s (${round(rate.pct, 1)}%; limit -${limits.ratePct}%)`,
    );
  }
  const err = changes.errorRate;
  if (err.delta > limits.errorPoints) {
    regressed.push('errorRate');
    regressions.push(
      `${name}: error rate ${round(err.base, 3)}% → ${round(err.head, 3)}% (+${round(err.delta, 3)} points; limit ${limits.errorPoints})`,
    );
  }
  return { name, presence: 'both', base, head, changes, regressed, regressions };
}

const failing = (s: CheckStatus | null) => s === 'fail' || s === 'error';

/** Compares two results. Throws nothing: a scenario mismatch is for the caller to refuse first. */
export function compareResults(
  base: ResultJson,
  head: ResultJson,
  limits: CompareLimits = DEFAULT_LIMITS,
): Comparison {
  const names = [...new Set([...base.phases.map((p) => p.name), ...head.phases.map((p) => p.name)])];
  const phases = names.map((n) =>
    comparePhase(
      n,
      base.phases.find((p) => p.name === n),
      head.phases.find((p) => p.name === n),
      limits,
    ),
  );
  const ids = [...new Set([...base.checks.map((c) => c.id), ...head.checks.map((c) => c.id)])];
  const checks: CheckChange[] = [];
  for (const id of ids) {
    const b = base.checks.find((c) => c.id === id);
    const h = head.checks.find((c) => c.id === id);
    const bs = b?.status ?? null;
    const hs = h?.status ?? null;
    if (bs === hs) continue;
    const required = (h ?? b)!.required;
    checks.push({ id, base: bs, head: hs, required, regression: required && bs === 'pass' && failing(hs) });
  }
  const regressions = [
    ...phases.flatMap((p) => p.regressions),
    ...checks.filter((c) => c.regression).map((c) => `${c.id}: ${c.base} → ${c.head} (required)`),
  ];
  return {
    scenario: head.scenario.name,
    base: { runId: base.runId, verdict: base.verdict },
    head: { runId: head.runId, verdict: head.verdict },
    limits,
    phases,
    checks,
    regressions,
  };
}

const ROWS: Array<[keyof PhaseFigures, string, (v: number) => string, (c: Change) => string]> = [
  ['p50', 'p50', fmtMs, pctChange],
  ['p99', 'p99', fmtMs, pctChange],
  ['p999', 'p99.9', fmtMs, pctChange],
  ['achievedRate', 'achieved/s', (v) => v.toFixed(1), pctChange],
  [
    'errorRate',
    'error rate',
    (v) => `${v.toFixed(3)}%`,
    (c) => `${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(3)} pts`,
  ],
];

function pctChange(c: Change): string {
  if (c.pct === null) return c.delta === 0 ? '0%' : 'new';
  return `${c.pct >= 0 ? '+' : ''}${c.pct.toFixed(1)}%`;
}

/** The comparison as a table for people. Names and ids are made visible-safe for a terminal. */
export function renderComparison(c: Comparison): string {
  const out: string[] = [
    `wh-bench compare: ${oneLine(c.scenario)}`,
    `  base ${oneLine(c.base.runId)} (${c.base.verdict})  →  head ${oneLine(c.head.runId)} (${c.head.verdict})`,
  ];
  for (const p of c.phases) {
    out.push('');
    if (p.presence !== 'both') {
      out.push(`phase ${oneLine(p.name)}: only in ${p.presence === 'base-only' ? 'base' : 'head'}`);
      continue;
    }
    out.push(
      `phase ${oneLine(p.name)}`.padEnd(22) +
        'base'.padStart(12) +
        'head'.padStart(12) +
        'change'.padStart(14),
    );
    for (const [key, label, fmt, chg] of ROWS) {
      const ch = p.changes[key];
      if (!ch) continue;
      const flag = p.regressed.includes(key) ? '  REGRESSION' : '';
      out.push(
        `  ${label.padEnd(20)}${fmt(ch.base).padStart(12)}${fmt(ch.head).padStart(12)}${chg(ch).padStart(14)}${flag}`,
      );
    }
  }
  if (c.checks.length > 0) {
    out.push('', 'checks that changed status');
    const w = Math.max(...c.checks.map((x) => x.id.length));
    for (const x of c.checks) {
      const flag = x.regression ? '  REGRESSION' : '';
      out.push(
        `  ${oneLine(x.id).padEnd(w)}  ${(x.base ?? 'absent').padEnd(6)} → ${(x.head ?? 'absent').padEnd(6)}  ${x.required ? 'required' : 'advisory'}${flag}`,
      );
    }
  }
  const l = c.limits;
  out.push('');
  if (c.regressions.length === 0) {
    out.push(
      `no regression (limits: p99 +${l.p99Pct}% and +${l.p99Ms} ms, achieved rate -${l.ratePct}%, error rate +${l.errorPoints} points, required checks pass → fail)`,
    );
  } else {
    out.push(`${c.regressions.length} regression${c.regressions.length === 1 ? '' : 's'}:`);
    for (const r of c.regressions) out.push(`  - ${oneLine(r)}`);
  }
  return out.join('\n');
}
