import type { RetryCounts } from '../metrics/types.js';
import { checkMeta } from './catalog.js';
import { fmtMs } from './probe.js';
import type { CheckDefinition, LoadContext, Verdict } from './types.js';

const DEFAULT_MIN = 0.999;

const pct = (x: number) => `${(x * 100).toFixed(x > 0.99 && x < 1 ? 2 : 1)}%`;

/** The load's first attempts and what their retries achieved, over every phase. */
export function retryTotals(ctx: Pick<LoadContext, 'phases'>): {
  completed: number;
  ok: number;
  retries: RetryCounts;
  recorded: boolean;
} {
  const retries: RetryCounts = { attempted: 0, recovered: 0, exhausted: 0, notRetried: 0 };
  let completed = 0;
  let ok = 0;
  let recorded = true;
  for (const p of ctx.phases) {
    completed += p.completed;
    for (const [code, n] of Object.entries(p.statusCounts)) if (code.startsWith('2')) ok += n;
    if (!p.retries) {
      recorded = false;
      continue;
    }
    retries.attempted += p.retries.attempted;
    retries.recovered += p.retries.recovered;
    retries.exhausted += p.retries.exhausted;
    retries.notRetried += p.retries.notRetried;
  }
  return { completed, ok, retries, recorded };
}

/** Judged with the load: failed first attempts were retried on the preset's schedule while it ran. */
export const retryRecovery: CheckDefinition = {
  ...checkMeta('delivery.retry-recovery'),
  load(ctx): Verdict {
    const provider = ctx.scenario.provider;
    if (ctx.phases.every((p) => p.sent === 0)) {
      return {
        status: 'skip',
        summary: 'no load phase ran (--conformance-only, or the run stopped before the load)',
      };
    }
    if (!provider.retry.automatic || provider.retryScheduleMs.length === 0) {
      return {
        status: 'skip',
        summary: `${provider.preset} does not retry failed deliveries automatically, so there is no retry to recover by`,
      };
    }
    const { completed, ok, retries: r, recorded } = retryTotals(ctx);
    const failed = completed - ok;
    if (failed === 0) {
      return {
        status: 'pass',
        summary: `all ${completed} load deliveries succeeded at the first attempt; no retry was needed`,
      };
    }
    if (!recorded)
      return { status: 'skip', summary: 'the retries of the load were not recorded in this result' };
    const min = typeof ctx.config['min'] === 'number' ? ctx.config['min'] : DEFAULT_MIN;
    const eventual = (ok + r.recovered) / completed;
    const best = (ok + r.recovered + r.notRetried) / completed;
    const facts =
      `${failed} of ${completed} first attempts failed (first-attempt success ${pct(ok / completed)}); ` +
      `${r.attempted} retries on the ${provider.preset} schedule recovered ${r.recovered}` +
      (r.exhausted > 0 ? `, ${r.exhausted} still failed after the last retry` : '') +
      (r.notRetried > 0 ? `, ${r.notRetried} not retried before the run ended` : '');
    const limit = `eventual success ${pct(eventual)} (min ${pct(min)})`;
    if (eventual >= min) return { status: 'pass', summary: `${facts}; ${limit}` };
    const evidence = (ctx.retrySamples ?? [])
      .slice(0, 3)
      .map((x) => ctx.evidence('a delivery that failed its last retry', x));
    if (best >= min) {
      const first = provider.retryScheduleMs[0] ?? 0;
      return {
        status: 'skip',
        summary:
          `${facts}; undecided: ${limit} so far, but the retries still due fell after the run ended ` +
          `(the first comes ${fmtMs(first)} after a failure, unscaled): run with --time-scale to compress the schedule`,
        evidence,
      };
    }
    return {
      status: 'fail',
      summary:
        `${facts}; ${limit}: make failures transient (a 5xx, or 429/503 with Retry-After) and never permanent ` +
        'for a valid delivery, so the provider retry delivers the event',
      evidence,
    };
  },
};
