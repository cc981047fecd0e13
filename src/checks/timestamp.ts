import { mutationCases } from './cases.js';
import { checkMeta } from './catalog.js';
import { acceptAll, rejectOne } from './judge.js';
import type { CheckDefinition, ConformanceContext } from './types.js';

const STALE = 'timestamp.stale';
const FUTURE = 'timestamp.future';
const WITHIN = 'timestamp.within-tolerance';

/** The mutations step this far past the tolerance, so clock skew cannot decide the answer. */
const MARGIN_SEC = 60;

const tolerance = (ctx: ConformanceContext) => ctx.provider.toleranceSec ?? 0;

export const staleTimestamp: CheckDefinition = {
  ...checkMeta(STALE),
  conformance: (ctx) =>
    rejectOne(
      ctx,
      mutationCases(ctx, 'stale-timestamp', STALE),
      `a validly signed delivery with a timestamp ${tolerance(ctx) + MARGIN_SEC} s old (tolerance ${tolerance(ctx)} s)`,
      'reject when now minus the signed timestamp exceeds the tolerance, so a captured delivery cannot be replayed',
    ),
};

/** Their official verifiers check the past only (PROVIDERS.md): said in the summary, so nobody is surprised. */
const LENIENT: Record<string, string> = { stripe: 'stripe', slack: '@slack/bolt' };

export const futureTimestamp: CheckDefinition = {
  ...checkMeta(FUTURE),
  async conformance(ctx) {
    const v = await rejectOne(
      ctx,
      mutationCases(ctx, 'future-timestamp', FUTURE),
      `a validly signed delivery with a timestamp ${tolerance(ctx) + MARGIN_SEC} s in the future (tolerance ${tolerance(ctx)} s)`,
      'compare the absolute difference between now and the timestamp with the tolerance',
      false,
    );
    const lib = LENIENT[ctx.provider.scheme];
    if (v.status === 'fail' && lib) v.summary += ` (the official ${lib} library accepts it too)`;
    return v;
  },
};

export const withinTolerance: CheckDefinition = {
  ...checkMeta(WITHIN),
  conformance: (ctx) =>
    acceptAll(
      ctx,
      mutationCases(ctx, 'within-tolerance', WITHIN),
      `a validly signed delivery with a timestamp ${Math.floor(tolerance(ctx) * 0.8)} s old (inside the ${tolerance(ctx)} s tolerance)`,
      'compare seconds with seconds (not milliseconds) and use the provider tolerance (300 s by default)',
    ),
};
