import type { PhaseResult } from '../metrics/types.js';
import { checkMeta } from './catalog.js';
import type { CheckDefinition, LoadContext, Verdict } from './types.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const fmtMs = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`);

type Level = 'p50' | 'p90' | 'p99' | 'p999' | 'max';
const LEVELS: Level[] = ['p50', 'p90', 'p99', 'p999', 'max'];

/**
 * Limits in ms. Defaults from the preset's ack timeout: p99 < min(5 s, timeout / 2), max < timeout;
 * p50, p90 and p99.9 are judged only when the scenario sets them.
 */
export function latencyLimits(
  ackTimeoutMs: number,
  config: Record<string, unknown>,
): Partial<Record<Level, number>> {
  const limits: Partial<Record<Level, number>> = {
    p99: Math.min(5000, ackTimeoutMs / 2),
    max: ackTimeoutMs,
  };
  for (const level of LEVELS) {
    const v = num(config[level]);
    if (v !== undefined) limits[level] = v;
  }
  return limits;
}

const noLoad = (ctx: LoadContext): Verdict | undefined =>
  ctx.phases.every((p) => p.completed === 0 && p.sent === 0)
    ? {
        status: 'skip',
        summary: 'no load phase ran (--conformance-only, or the run stopped before the load)',
      }
    : undefined;

export const ackLatency: CheckDefinition = {
  ...checkMeta('ack.latency'),
  load(ctx) {
    const skipped = noLoad(ctx);
    if (skipped) return skipped;
    const limits = latencyLimits(ctx.scenario.provider.ackTimeoutMs, ctx.config);
    const set = LEVELS.filter((l) => limits[l] !== undefined);
    const over = (p: PhaseResult) => set.filter((l) => p.latency.corrected[l] > limits[l]!);
    const bad = ctx.phases.filter((p) => over(p).length > 0);
    const lines = ctx.phases.map(
      (p) => `${p.name}: p99 ${fmtMs(p.latency.corrected.p99)}, max ${fmtMs(p.latency.corrected.max)}`,
    );
    const limitText = `limits ${set.map((l) => `${l} < ${fmtMs(limits[l]!)}`).join(', ')}`;
    if (bad.length === 0) return { status: 'pass', summary: `${lines.join('; ')} (${limitText})` };
    const worst = bad[0]!;
    const slowest = [...ctx.samples].sort((a, b) => b.correctedUs - a.correctedUs).slice(0, 3);
    return {
      status: 'fail',
      summary:
        `phase ${worst.name} acknowledged too slowly: ` +
        over(worst)
          .map((l) => `${l} ${fmtMs(worst.latency.corrected[l])} (limit ${fmtMs(limits[l]!)})`)
          .join(', ') +
        '; acknowledge first and do the work asynchronously',
      evidence: [
        { label: 'latency per phase (corrected for coordinated omission)', note: lines.join('\n') },
        ...slowest.map((r) => ctx.evidence('one of the slowest deliveries', r)),
      ],
    };
  },
};

export const ackErrors: CheckDefinition = {
  ...checkMeta('ack.errors'),
  load(ctx) {
    const skipped = noLoad(ctx);
    if (skipped) return skipped;
    const maxRate = num(ctx.config['max']) ?? 0.001;
    let sent = 0;
    let failed = 0;
    const breakdown = new Map<string, number>();
    for (const p of ctx.phases) {
      sent += p.sent;
      for (const [code, n] of Object.entries(p.statusCounts)) {
        if (!code.startsWith('2')) {
          failed += n;
          breakdown.set(code, (breakdown.get(code) ?? 0) + n);
        }
      }
      for (const [cls, n] of Object.entries(p.errorCounts)) {
        if (n > 0) {
          failed += n;
          breakdown.set(cls, (breakdown.get(cls) ?? 0) + n);
        }
      }
    }
    const rate = sent === 0 ? 0 : failed / sent;
    const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 3 : 2)}%`;
    const detail = [...breakdown].map(([k, n]) => `${k}: ${n}`).join(', ');
    if (rate <= maxRate) {
      return {
        status: 'pass',
        summary: `${failed} of ${sent} load deliveries failed (${pct(rate)}; limit ${pct(maxRate)})`,
      };
    }
    const failures = ctx.samples.filter((r) => r.errorClass || (r.status ?? 0) >= 300).slice(0, 3);
    return {
      status: 'fail',
      summary: `${failed} of ${sent} load deliveries failed (${pct(rate)}, over the ${pct(maxRate)} limit): ${detail}`,
      evidence: failures.map((r) => ctx.evidence('a failed load delivery', r)),
    };
  },
};
