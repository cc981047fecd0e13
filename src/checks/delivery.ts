import type { DeliveryResult } from '../engine/delivery.js';
import { is2xx, is3xx } from '../run/evidence.js';
import { outOfOrderCases, payloadCase, unknownEventCases, unknownEventType } from './cases.js';
import { checkMeta } from './catalog.js';
import { type Answered, acceptAll, answer, caseEvidence, sendCase } from './judge.js';
import { formatBytes, payloadSteps } from './payload.js';
import type { CheckDefinition, Evidence } from './types.js';

const UNKNOWN = 'delivery.unknown-event';
const OUT_OF_ORDER = 'delivery.out-of-order';
const NO_REDIRECT = 'delivery.no-redirect';
const PAYLOAD = 'delivery.payload-size';

export const unknownEvent: CheckDefinition = {
  ...checkMeta(UNKNOWN),
  conformance: (ctx) =>
    acceptAll(
      ctx,
      unknownEventCases(ctx, UNKNOWN),
      `a validly signed event of a type it does not handle ('${unknownEventType(ctx)}')`,
      'answer 2xx to event types you do not handle and ignore them; providers add new types without notice',
    ),
};

export const outOfOrder: CheckDefinition = {
  ...checkMeta(OUT_OF_ORDER),
  conformance: (ctx) =>
    acceptAll(
      ctx,
      outOfOrderCases(ctx, OUT_OF_ORDER),
      'two events about one object sent later-first',
      'accept events in any order and reconcile by their timestamps or by fetching the current state',
      (c) =>
        c.note.endsWith('sent second') ? 'the earlier event, sent second' : 'the later event, sent first',
    ),
};

/**
 * Judged with the load: every answer of the run counts, the preflight's, the conformance checks'
 * (their log) and the load's status counts.
 */
export const noRedirect: CheckDefinition = {
  ...checkMeta(NO_REDIRECT),
  load(ctx) {
    const log = ctx.conformance;
    let total = 0;
    let redirects = 0;
    const codes = new Map<string, number>();
    const count = (code: string, n: number) => {
      total += n;
      if (code.startsWith('3')) {
        redirects += n;
        codes.set(code, (codes.get(code) ?? 0) + n);
      }
    };
    if (ctx.preflight?.status !== undefined) count(String(ctx.preflight.status), 1);
    for (const [code, n] of Object.entries(log?.statusCounts() ?? {})) count(code, n);
    let loadAnswers = 0;
    for (const p of ctx.phases) {
      for (const [code, n] of Object.entries(p.statusCounts)) {
        count(code, n);
        loadAnswers += n;
      }
    }
    if (total === 0) return { status: 'skip', summary: 'no delivery was answered' };
    const where = `the preflight, ${log?.size() ?? 0} conformance and ${loadAnswers} load deliveries`;
    if (redirects === 0) return { status: 'pass', summary: `no 3xx among the answers to ${where}` };
    const samples: DeliveryResult[] = [];
    if (ctx.preflight && is3xx(ctx.preflight)) samples.push(ctx.preflight);
    samples.push(...(log?.redirects() ?? []), ...ctx.samples.filter(is3xx));
    const location = samples
      .map((r) => r.headers?.find(([n]) => n === 'location')?.[1])
      .find((l) => l !== undefined);
    const codeList = [...codes].map(([c, n]) => `${c} ×${n}`).join(', ');
    return {
      status: 'fail',
      summary:
        `${redirects} of ${total} deliveries were answered with a redirect (${codeList})` +
        `${location ? ` to ${JSON.stringify(location.slice(0, 200))}` : ''}; providers treat a 3xx as a failure: ` +
        'register the final URL (scheme, host, trailing slash) and answer 2xx there',
      evidence: samples.slice(0, 3).map((r) => ctx.evidence('a redirected delivery', r)),
    };
  },
};

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined;

/** A large body whose connection was cut while it was being written, with no answer read. */
const cutOff = (r: DeliveryResult) => r.status === undefined && !r.aborted && r.errorClass !== 'timeout';

export const payloadSize: CheckDefinition = {
  ...checkMeta(PAYLOAD),
  async conformance(ctx) {
    const max = num(ctx.config['max']) ?? ctx.provider.maxPayloadBytes;
    const steps = payloadSteps(max);
    let largest = 0;
    const tried: string[] = [];
    let failed: Answered | undefined;
    for (const size of steps) {
      const c = payloadCase(ctx, PAYLOAD, size);
      if (!c) {
        if (tried.length === 0)
          return { status: 'skip', summary: `the event body cannot be padded to ${formatBytes(size)}` };
        continue;
      }
      tried.push(formatBytes(size));
      let a = await sendCase(ctx, c);
      if (cutOff(a.r)) {
        // A receiver that answers 413 and closes while the body is still being written can lose its
        // answer to the client's write error: retry over a raw socket, which reads what came back.
        const raw = { ...c, delivery: { ...c.delivery, transport: { ...c.delivery.transport, raw: true } } };
        a = await sendCase(ctx, raw);
      }
      if (!is2xx(a.r)) {
        failed = a;
        break;
      }
      largest = size;
    }
    if (!failed) {
      return {
        status: 'pass',
        summary: `accepted every size up to ${formatBytes(largest)} (tried ${tried.join(', ')})`,
      };
    }
    const size = failed.c.delivery.body.length;
    const upTo = largest > 0 ? `accepted bodies up to ${formatBytes(largest)} but ` : '';
    const how = cutOff(failed.r)
      ? `closed the connection without an answer while a ${formatBytes(size)} body was being written (${answer(failed.r)})`
      : `${answer(failed.r)} to a ${formatBytes(size)} body`;
    const evidence: Evidence[] = [caseEvidence(ctx, `a ${formatBytes(size)} delivery`, failed)];
    return {
      status: 'fail',
      summary:
        `${upTo}${how}; the provider sends up to ${formatBytes(max)}: ` +
        `raise the body limit on the webhook route to at least that (express.raw({ limit }), fastify bodyLimit)`,
      evidence,
    };
  },
};
