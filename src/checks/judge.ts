import type { DeliveryResult } from '../engine/delivery.js';
import { describeAnswer, is2xx, is4xx } from '../run/evidence.js';
import type { Expected } from '../signing/index.js';
import type { Case, Cases } from './cases.js';
import { probeIdOf } from './probe.js';
import type { ConformanceContext, Evidence, Verdict } from './types.js';

/** Evidence kept per check: enough to act on, not a dump. */
export const MAX_EVIDENCE = 5;

export const NO_PROBE = 'side effects not observed (no probe)';

export interface Answered {
  c: Case;
  r: DeliveryResult;
}

/** Sends one case, noting for response.no-leak what a correct signature would have covered. */
export async function sendCase(ctx: ConformanceContext, c: Case): Promise<Answered> {
  if (c.expectedInput) ctx.log.expect(c.delivery, c.expectedInput);
  return { c, r: await ctx.send(c.delivery) };
}

/** Sends cases one after the other (order matters to some: out-of-order, payload steps). */
export async function sendAll(ctx: ConformanceContext, cases: readonly Case[]): Promise<Answered[]> {
  const out: Answered[] = [];
  for (const c of cases) out.push(await sendCase(ctx, c));
  return out;
}

export const is5xx = (r: DeliveryResult): boolean => r.status !== undefined && r.status >= 500;

/** Whether an answer is what the case expects: 2xx, 4xx, or either; never a 5xx or no answer. */
export function meets(expected: Expected, r: DeliveryResult): boolean {
  if (expected === 'accept') return is2xx(r);
  if (expected === 'reject') return is4xx(r);
  return is2xx(r) || is4xx(r);
}

/** "answered 500", "timed out after 1000 ms": the answer in a few words. */
export const answer = (r: DeliveryResult): string => describeAnswer(r);

/** Short form for lists: "500", "timeout". */
export function shortAnswer(r: DeliveryResult): string {
  if (r.status !== undefined) return String(r.status);
  return r.errorClass ?? 'no answer';
}

/** Evidence for one case, with the `wh-bench send` arguments that rebuild it. */
export function caseEvidence(ctx: ConformanceContext, label: string, a: Answered): Evidence {
  const known = ctx.scenario.events.some((e) => e.type === a.c.eventType);
  const sendArgs = [
    '--mutation',
    a.c.mutation,
    ...(known && a.c.mutation !== 'unknown-event' ? ['--event', a.c.eventType] : []),
  ];
  return ctx.evidence(label, a.r, { note: a.c.note, sendArgs });
}

export const skipOf = (set: Cases): Verdict | null =>
  'skip' in set ? { status: 'skip', summary: set.skip } : null;

/**
 * A check whose one case must be refused with a 4xx (tampered body, wrong secret, missing signature,
 * stale timestamp...). `what` names the delivery: "a body changed after signing".
 */
export async function rejectOne(
  ctx: ConformanceContext,
  set: Cases,
  what: string,
  fixIfAccepted: string,
  probeNote = true,
): Promise<Verdict> {
  const skipped = skipOf(set);
  if (skipped) return skipped;
  const answers = await sendAll(ctx, (set as { cases: Case[] }).cases);
  const bad = answers.filter((a) => !meets('reject', a.r));
  if (bad.length === 0) {
    const answered = `${answers.map((a) => answer(a.r)).join(', ')} to ${what}`;
    if (!probeNote) return { status: 'pass', summary: answered };
    return noSideEffect(ctx, answers, answered, what);
  }
  const a = bad[0]!;
  let summary: string;
  if (is2xx(a.r)) summary = `accepted ${what} (${answer(a.r)}); ${fixIfAccepted}`;
  else if (a.r.status !== undefined) summary = `${answer(a.r)} to ${what}; it should be a 4xx`;
  else summary = `${answer(a.r)} on ${what}; it should answer a 4xx at once`;
  return {
    status: 'fail',
    summary,
    evidence: bad.slice(0, MAX_EVIDENCE).map((x) => caseEvidence(ctx, what, x)),
  };
}

/**
 * The second half of "4xx, and no side effect": the probe must see no effect for a rejected delivery
 * (DESIGN.md, Probes). Without a probe the summary says side effects were not observed.
 */
async function noSideEffect(
  ctx: ConformanceContext,
  answers: Answered[],
  answered: string,
  what: string,
): Promise<Verdict> {
  const probe = ctx.probe;
  if (!probe) return { status: 'pass', summary: `${answered}; ${NO_PROBE}` };
  const seen = await Promise.all(
    answers.map(async (a) => {
      const id = probeIdOf(ctx.provider, a.c.delivery);
      return { a, id, e: await probe.expectNone(id) };
    }),
  );
  const evidence = (xs: typeof seen) =>
    xs.slice(0, MAX_EVIDENCE).map(({ a, id, e }) => {
      const ev = caseEvidence(ctx, what, a);
      ev.note = `${a.c.note}; the probe (${probe.label}) for ${id}: ${e.text}`;
      return ev;
    });
  const failed = seen.find((x) => x.e.error !== undefined);
  if (failed) {
    return {
      status: 'error',
      summary: `${answered}, but ${failed.e.text}: side effects could not be judged`,
      evidence: evidence([failed]),
    };
  }
  const acted = seen.filter((x) => !x.e.ok);
  if (acted.length > 0) {
    return {
      status: 'fail',
      summary:
        `${answered}, but it caused ${acted[0]!.e.text}: the work ran although the delivery was refused; ` +
        'verify the signature and timestamp first, over the raw body, and do nothing for a delivery that fails',
      evidence: evidence(acted),
    };
  }
  return { status: 'pass', summary: `${answered}; ${seen.map((x) => x.e.text).join(', ')}` };
}

/** A check whose cases must all be accepted with a 2xx (raw body variants, rotation, unknown event). */
export async function acceptAll(
  ctx: ConformanceContext,
  set: Cases,
  what: string,
  fix: string,
  label: (c: Case) => string = (c) => c.mutation,
): Promise<Verdict> {
  const skipped = skipOf(set);
  if (skipped) return skipped;
  const answers = await sendAll(ctx, (set as { cases: Case[] }).cases);
  const bad = answers.filter((a) => !meets(a.c.expected, a.r));
  if (bad.length === 0) {
    return {
      status: 'pass',
      summary: `${answers.length === 1 ? 'answered' : `all ${answers.length} answered`} 2xx to ${what}`,
    };
  }
  const list = bad.map((a) => `${label(a.c)} (${shortAnswer(a.r)})`).join(', ');
  const summary =
    answers.length === 1
      ? `${answer(bad[0]!.r)} to ${what}; it should be a 2xx: ${fix}`
      : `${bad.length} of ${answers.length} ${what} were not accepted: ${list}; ${fix}`;
  return {
    status: 'fail',
    summary,
    evidence: bad.slice(0, MAX_EVIDENCE).map((x) => caseEvidence(ctx, `${what}: ${label(x.c)}`, x)),
  };
}
