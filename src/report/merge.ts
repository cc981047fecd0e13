import type { CheckResult, CheckStatus } from '../checks/types.js';
import type { ErrorClass } from '../engine/delivery.js';
import { UserError } from '../errors.js';
import { mergeEncoded, percentilesOfEncoded } from '../metrics/histogram.js';
import { withRetries } from '../metrics/retry-rates.js';
import type { ClassLatency, Percentiles, PhaseResult, TimeseriesPoint } from '../metrics/types.js';
import { type ResultJson, verdictOf } from '../run/result.js';

/**
 * One result from the shards of a run (`--shard I/N --run-id ID` on several machines). Latency merges
 * exactly: histograms are decoded, added and re-encoded, and percentiles recomputed from the sum —
 * never averaged. Counts and rates add up; each check keeps its worst status; the verdict is
 * recomputed. Pure: the command reads and writes the files.
 */

/** Worst first: a shard that failed a check fails it for the run. */
const SEVERITY: Record<CheckStatus, number> = { fail: 4, error: 3, warn: 2, pass: 1, skip: 0 };

function addCounts<K extends string>(into: Record<K, number>, from: Record<K, number>): void {
  for (const [k, n] of Object.entries(from) as Array<[K, number]>) into[k] = (into[k] ?? 0) + n;
}

/** Percentiles without a histogram (send lag, per class) cannot merge exactly: the worst shard bounds them. */
function worstPercentiles(list: Percentiles[]): Percentiles {
  const pick = (k: keyof Percentiles) => Math.max(0, ...list.map((p) => p[k]));
  return { p50: pick('p50'), p90: pick('p90'), p99: pick('p99'), p999: pick('p999'), max: pick('max') };
}

function mergeClasses(list: Array<Record<string, ClassLatency> | undefined>): Record<string, ClassLatency> {
  const out: Record<string, ClassLatency> = {};
  const names = new Set(list.flatMap((c) => Object.keys(c ?? {})));
  for (const name of names) {
    const parts = list.map((c) => c?.[name]).filter((c): c is ClassLatency => c !== undefined);
    out[name] = {
      completed: parts.reduce((a, c) => a + c.completed, 0),
      corrected: worstPercentiles(parts.map((c) => c.corrected)),
    };
  }
  return out;
}

export function mergePhases(parts: PhaseResult[]): PhaseResult {
  const first = parts[0]!;
  const corrected = mergeEncoded(parts.map((p) => p.histograms.corrected));
  const uncorrected = mergeEncoded(parts.map((p) => p.histograms.uncorrected));
  const statusCounts: Record<string, number> = {};
  const errorCounts = {} as Record<ErrorClass, number>;
  for (const p of parts) {
    addCounts(statusCounts, p.statusCounts);
    addCounts(errorCounts, p.errorCounts);
  }
  const intended = parts.map((p) => p.intendedRate).filter((r): r is number => r !== null);
  const sum = (f: (p: PhaseResult) => number) => parts.reduce((a, p) => a + (f(p) ?? 0), 0);
  const merged: PhaseResult = {
    name: first.name,
    model: first.model,
    durationMs: Math.max(...parts.map((p) => p.durationMs)),
    // Each shard asks for and achieves its share of the rate: the run's rate is the sum.
    intendedRate: intended.length > 0 ? intended.reduce((a, b) => a + b, 0) : null,
    achievedRate: sum((p) => p.achievedRate),
    sent: sum((p) => p.sent),
    completed: sum((p) => p.completed),
    dropped: sum((p) => p.dropped),
    statusCounts,
    errorCounts,
    latency: { corrected: percentilesOfEncoded(corrected), uncorrected: percentilesOfEncoded(uncorrected) },
    histograms: { corrected, uncorrected },
    firstAttempts: sum((p) => p.firstAttempts ?? p.sent),
    sendLag: worstPercentiles(parts.map((p) => p.sendLag).filter((s): s is Percentiles => s !== undefined)),
    classes: mergeClasses(parts.map((p) => p.classes)),
  };
  const withCounts = parts.filter((p) => p.retries !== undefined);
  if (withCounts.length === 0) return merged;
  const retries = { attempted: 0, recovered: 0, exhausted: 0, notRetried: 0 };
  for (const p of withCounts) {
    for (const k of Object.keys(retries) as Array<keyof typeof retries>) retries[k] += p.retries![k];
  }
  // The rates follow from the merged status counts and the summed retry counts.
  return withRetries(merged, retries);
}

/** Seconds merged by (t, phase): counts add, histograms merge, p50/p99 recomputed. */
export function mergeTimeseries(lists: TimeseriesPoint[][]): TimeseriesPoint[] {
  const groups = new Map<string, TimeseriesPoint[]>();
  for (const list of lists) {
    for (const pt of list) {
      const key = `${pt.t}\u0000${pt.phase}`;
      const g = groups.get(key) ?? [];
      g.push(pt);
      groups.set(key, g);
    }
  }
  const out: TimeseriesPoint[] = [];
  for (const g of groups.values()) {
    const histogram = mergeEncoded(g.map((p) => p.histogram));
    const pct = percentilesOfEncoded(histogram);
    out.push({
      t: g[0]!.t,
      phase: g[0]!.phase,
      sent: g.reduce((a, p) => a + p.sent, 0),
      completed: g.reduce((a, p) => a + p.completed, 0),
      errors: g.reduce((a, p) => a + p.errors, 0),
      histogram,
      p50: pct.p50,
      p99: pct.p99,
    });
  }
  // Stable within a second: phases in the order they first appear.
  return out.sort((a, b) => a.t - b.t);
}

function label(r: ResultJson): string {
  return r.shard ? `shard ${r.shard.index}/${r.shard.count}` : `run ${r.runId}`;
}

export function mergeChecks(shards: ResultJson[]): CheckResult[] {
  const ids = [...new Set(shards.flatMap((s) => s.checks.map((c) => c.id)))];
  return ids.map((id) => {
    const found = shards
      .map((s) => ({ s, c: s.checks.find((c) => c.id === id) }))
      .filter((x): x is { s: ResultJson; c: CheckResult } => x.c !== undefined);
    const worst = Math.max(...found.map((x) => SEVERITY[x.c.status]));
    const worstOnes = found.filter((x) => SEVERITY[x.c.status] === worst);
    const first = worstOnes[0]!.c;
    const agree = found.every((x) => x.c.status === first.status && x.c.summary === first.summary);
    return {
      id,
      title: first.title,
      status: first.status,
      required: found.some((x) => x.c.required),
      summary: agree || found.length === 1 ? first.summary : `${label(worstOnes[0]!.s)}: ${first.summary}`,
      evidence: worstOnes.flatMap((x) =>
        x.c.evidence.map((ev) => (shards.length > 1 ? { ...ev, label: `${label(x.s)}: ${ev.label}` } : ev)),
      ),
    };
  });
}

/** Refuses shards of different runs, of different versions of the report, or the same shard twice. */
export function checkShards(shards: ResultJson[], names: string[]): void {
  if (shards.length === 0)
    throw new UserError(
      'merge needs at least one shard report',
      'wh-bench merge a/report.json b/report.json',
    );
  const first = shards[0]!;
  shards.forEach((s, i) => {
    if (s.runId !== first.runId) {
      throw new UserError(
        `${names[i]} is from run ${s.runId}, ${names[0]} from run ${first.runId}`,
        'merge only the shards of one run: start every shard with the same --run-id',
      );
    }
    if (s.schemaVersion !== first.schemaVersion) {
      throw new UserError(
        `${names[i]} has report schema v${s.schemaVersion}, ${names[0]} v${first.schemaVersion}`,
        'run every shard with the same wh-bench version',
      );
    }
    if (s.scenario.name !== first.scenario.name) {
      throw new UserError(
        `${names[i]} ran scenario '${s.scenario.name}', ${names[0]} '${first.scenario.name}'`,
        'merge only the shards of one run',
      );
    }
  });
  const seen = new Map<number, string>();
  shards.forEach((s, i) => {
    if (!s.shard) return;
    const other = seen.get(s.shard.index);
    if (other !== undefined) {
      throw new UserError(
        `${names[i]} and ${other} are both shard ${s.shard.index}/${s.shard.count}`,
        'pass each shard once',
      );
    }
    seen.set(s.shard.index, names[i] ?? '');
  });
}

export function mergeResults(
  shards: ResultJson[],
  names: string[] = shards.map((_, i) => `shard ${i + 1}`),
): ResultJson {
  checkShards(shards, names);
  const first = shards[0]!;
  const phaseNames = [...new Set(shards.flatMap((s) => s.phases.map((p) => p.name)))];
  const phases = phaseNames.map((n) =>
    mergePhases(shards.flatMap((s) => s.phases.filter((p) => p.name === n))),
  );
  const checks = mergeChecks(shards);
  const expected = Math.max(0, ...shards.map((s) => s.shard?.count ?? 0));
  const present = new Set(shards.map((s) => s.shard?.index).filter((i) => i !== undefined)).size;
  const missing = expected > present ? expected - present : 0;
  const reasons = [...new Set(shards.map((s) => s.stopReason).filter((r): r is string => r !== null))];
  if (missing > 0) reasons.unshift(`merged ${present} of ${expected} shards`);
  const times = (f: (s: ResultJson) => string) => shards.map((s) => Date.parse(f(s))).filter(Number.isFinite);
  const startedAt = new Date(Math.min(...times((s) => s.startedAt))).toISOString();
  const endedAt = new Date(Math.max(...times((s) => s.endedAt))).toISOString();
  return {
    ...first,
    shard: null,
    interrupted: shards.some((s) => s.interrupted),
    partial: missing > 0 || shards.some((s) => s.partial),
    stopReason: reasons.length > 0 ? reasons.join('; ') : null,
    startedAt,
    endedAt,
    verdict: verdictOf(checks),
    checks,
    phases,
    timeseries: mergeTimeseries(shards.map((s) => s.timeseries)),
  };
}
