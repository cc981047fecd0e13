import { createWriteBarrier } from '../engine/barrier.js';
import type { Delivery, DeliveryResult } from '../engine/delivery.js';
import { redelivery } from '../engine/retry.js';
import { describeAnswer, is2xx } from '../run/evidence.js';
import type { ProviderConfig } from '../scenario/types.js';
import { checkMeta } from './catalog.js';
import { fmtMs, type ProbeOutcome, probeIdOf } from './probe.js';
import type { CheckDefinition, ConformanceContext, Evidence, PreparedDelivery, Verdict } from './types.js';

const SEQUENTIAL = 'idempotency.sequential';
const CONCURRENT = 'idempotency.concurrent';
const TIMEOUT_RETRY = 'idempotency.timeout-retry';

export const NO_PROBE_NOTE = 'side effects not observed (no probe)';
const MAX_EVIDENCE = 5;
/** However compressed the run, a provider timeout and the wait before its retry are at least this long. */
const MIN_TIMEOUT_MS = 100;
/** The retry after a timeout comes on the preset's first delay, capped so a check never waits minutes. */
const MAX_RETRY_WAIT_MS = 1000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function intConfig(v: unknown, fallback: number, min: number, max: number): number {
  return typeof v === 'number' && Number.isInteger(v) ? Math.min(max, Math.max(min, v)) : fallback;
}

/** Where the preset's dedupe key lives, in words. */
export function dedupeKeyText(p: Pick<ProviderConfig, 'dedupe'>): string {
  return p.dedupe.location === 'body' ? `the body's "${p.dedupe.key}"` : `the ${p.dedupe.key} header`;
}

/** What a retry of this preset keeps and changes (DESIGN.md event-id table), in words. */
export function retryShapeText(p: Pick<ProviderConfig, 'preset' | 'retry'>): string {
  const extra = p.retry.retryHeaders.map(([n]) => n);
  const adds = extra.length > 0 ? `, adding ${extra.join(' and ')}` : '';
  if (!p.retry.resign) return `as ${p.preset} re-sends it: the same headers, signature and body${adds}`;
  return `as ${p.preset} retries it: the same id and body, re-signed with a fresh timestamp${adds}`;
}

/** Copy `attempt` (2, 3, ...) of a prepared delivery, exactly as the preset retries it. */
export function retryCopy(ctx: ConformanceContext, p: PreparedDelivery, attempt: number): Delivery {
  return redelivery(p.delivery, {
    attempt,
    behaviour: ctx.provider.retry,
    resign: (d, ts) => ctx.signWith([ctx.provider.secret], d.body, d.eventId, p.eventType, ts),
    intendedAt: performance.now(),
  });
}

const codesOf = (rs: readonly DeliveryResult[]): string => {
  const counts = new Map<string, number>();
  for (const r of rs) {
    const k = r.status !== undefined ? String(r.status) : (r.errorClass ?? 'no answer');
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => (n === 1 ? k : `${k} ×${n}`)).join(', ');
};

/** What the probe saw, for evidence notes. */
function effectNote(ctx: ConformanceContext, id: string, e: ProbeOutcome | null): string {
  if (!e) return NO_PROBE_NOTE;
  return `the probe (${ctx.probe?.label ?? 'probe'}) for ${id}: ${e.text}`;
}

async function sideEffects(
  ctx: ConformanceContext,
  d: Delivery,
): Promise<{ id: string; e: ProbeOutcome | null }> {
  const id = probeIdOf(ctx.provider, d);
  return { id, e: ctx.probe ? await ctx.probe.expectOne(id) : null };
}

function evidenceFor(
  ctx: ConformanceContext,
  label: string,
  r: DeliveryResult,
  eventType: string,
  note: string,
): Evidence {
  const known = ctx.scenario.events.some((e) => e.type === eventType);
  return ctx.evidence(label, r, { note, ...(known ? { sendArgs: ['--event', eventType] } : {}) });
}

const probeError = (what: string, e: ProbeOutcome, evidence: Evidence[]): Verdict => ({
  status: 'error',
  summary: `${what}, but ${e.text}: side effects could not be judged`,
  evidence,
});

export const sequential: CheckDefinition = {
  ...checkMeta(SEQUENTIAL),
  async conformance(ctx) {
    const copies = intConfig(ctx.config['copies'], 2, 2, 100);
    const p = ctx.valid({ class: SEQUENTIAL });
    const results: DeliveryResult[] = [];
    // One after the other, each once the previous was answered: how a provider retries.
    for (let k = 1; k <= copies; k++)
      results.push(await ctx.send(k === 1 ? p.delivery : retryCopy(ctx, p, k)));
    const { id, e } = await sideEffects(ctx, p.delivery);
    const sent = `${copies} deliveries of one event (${retryShapeText(ctx.provider)})`;
    const note = (k: number) =>
      `copy ${k} of ${copies} of ${id}; ${effectNote(ctx, id, e)}. To reproduce, run the curl line ${copies} times`;
    const evidence = (rs: DeliveryResult[]) =>
      rs.slice(0, MAX_EVIDENCE).map((r) => {
        const k = results.indexOf(r) + 1;
        return evidenceFor(ctx, `copy ${k} of ${copies}`, r, p.eventType, note(k));
      });
    const bad = results.filter((r) => !is2xx(r));
    if (bad.length > 0) {
      const first = bad[0]!;
      const k = results.indexOf(first) + 1;
      const effects = e && !e.error ? `; the probe saw ${e.text}` : '';
      const summary =
        k === 1
          ? `${describeAnswer(first)} to the first delivery of the event, so no duplicate could be judged${effects}`
          : `${describeAnswer(first)} to copy ${k} of ${sent}, after accepting copy 1${effects}; ` +
            'a duplicate must get a 2xx (acknowledge it and skip the work), or the provider keeps retrying it and may disable the endpoint';
      return { status: 'fail', summary, evidence: evidence(bad) };
    }
    const answered = `${sent} were all answered 2xx (${codesOf(results)})`;
    if (e?.error !== undefined) return probeError(answered, e, evidence(results.slice(1, 2)));
    if (e && !e.ok) {
      return {
        status: 'fail',
        summary:
          `${sent} caused ${e.text}; record ${dedupeKeyText(ctx.provider)} with a unique constraint ` +
          'and skip ids already seen',
        evidence: evidence(results.slice(1, 2)),
      };
    }
    return { status: 'pass', summary: `${answered}; ${e ? e.text : NO_PROBE_NOTE}` };
  },
};

export const concurrent: CheckDefinition = {
  ...checkMeta(CONCURRENT),
  async conformance(ctx) {
    const copies = intConfig(ctx.config['copies'], 10, 2, 1000);
    const p = ctx.valid({ class: CONCURRENT });
    const barrier = createWriteBarrier(copies);
    // Each copy on its own connection, written up to its last byte; the barrier releases them together.
    const ds = Array.from({ length: copies }, (_, i) => {
      const d = i === 0 ? p.delivery : retryCopy(ctx, p, i + 1);
      return { ...d, transport: { barrier, fresh: true } };
    });
    const results = await Promise.all(ds.map((d) => ctx.send(d)));
    const { id, e } = await sideEffects(ctx, p.delivery);
    const sent = `${copies} copies of one event released at the same instant on ${copies} connections`;
    const note = (r: DeliveryResult) =>
      `copy ${results.indexOf(r) + 1} of ${copies} of ${id}, all written together; ${effectNote(ctx, id, e)}. ` +
      `To reproduce, start the curl line ${copies} times at once: for i in $(seq ${copies}); do <curl line> & done; wait`;
    const evidence = (rs: DeliveryResult[]) =>
      rs
        .slice(0, MAX_EVIDENCE)
        .map((r) => evidenceFor(ctx, `copy ${results.indexOf(r) + 1} of ${copies}`, r, p.eventType, note(r)));
    const crashed = results.filter((r) => r.status === undefined || r.status >= 500);
    const accepted = results.filter(is2xx);
    const refused = results.filter((r) => !crashed.includes(r) && !accepted.includes(r));
    const problems: string[] = [];
    if (crashed.length > 0) {
      problems.push(
        `${crashed.length} of the ${copies} copies got ${codesOf(crashed)}; a copy in flight must never get a 5xx or ` +
          'no answer (the provider retries it): make the dedupe atomic and answer the duplicate',
      );
    }
    if (accepted.length === 0 && crashed.length < copies) {
      problems.push(
        `none of the ${copies} copies got a 2xx (${codesOf(results)}): one of them must be acknowledged`,
      );
    }
    if (e && !e.error && !e.ok) {
      problems.push(
        `the event caused ${e.text}; a check-then-insert race lets concurrent copies all pass the check: make the ` +
          'dedupe atomic (INSERT ... ON CONFLICT DO NOTHING, or a unique index checked by the insert itself)',
      );
    }
    if (problems.length > 0) {
      const shown = e && !e.ok && crashed.length === 0 ? results.slice(0, 2) : [...crashed, ...refused];
      return { status: 'fail', summary: `${sent}: ${problems.join('; ')}`, evidence: evidence(shown) };
    }
    const answered = `${sent} were answered ${codesOf(results)}`;
    if (e?.error !== undefined) return probeError(answered, e, evidence(results.slice(0, 1)));
    const effects = e ? e.text : NO_PROBE_NOTE;
    if (refused.length > 0) {
      return {
        status: 'warn',
        summary:
          `${answered}; ${effects}. The ${refused.length} non-2xx answers to copies in flight make the provider ` +
          'retry them: answer 2xx to a duplicate (and skip the work) instead',
        evidence: evidence(refused),
      };
    }
    return { status: 'pass', summary: `${answered}; ${effects}` };
  },
};

/** The provider's ack timeout, time-scaled: attempt 1 is aborted this long after it was written. */
export function abortAfterMs(p: Pick<ProviderConfig, 'ackTimeoutMs'>, timeScale: number): number {
  return Math.max(MIN_TIMEOUT_MS, Math.round(p.ackTimeoutMs * timeScale));
}

/** The wait before the retry: the preset's first delay, time-scaled, within [100 ms, 1 s]. */
export function retryWaitMs(p: Pick<ProviderConfig, 'retryScheduleMs'>, timeScale: number): number {
  const first = (p.retryScheduleMs[0] ?? 0) * timeScale;
  return Math.min(MAX_RETRY_WAIT_MS, Math.max(MIN_TIMEOUT_MS, Math.round(first)));
}

export const timeoutRetry: CheckDefinition = {
  ...checkMeta(TIMEOUT_RETRY),
  async conformance(ctx) {
    if (!ctx.provider.retry.automatic) {
      return {
        status: 'skip',
        summary: `${ctx.provider.preset} does not retry automatically (redelivery is manual), so a timeout is never followed by a retry`,
      };
    }
    const abortMs = abortAfterMs(ctx.provider, ctx.timeScale);
    const p = ctx.valid({ class: TIMEOUT_RETRY });
    // Its own connection, so the abort does not cut a pooled one; the abort fires before any timeout.
    const first = await ctx.send({
      ...p.delivery,
      transport: { fresh: true, abortAfterMs: abortMs, timeoutMs: abortMs + 5000 },
    });
    await sleep(retryWaitMs(ctx.provider, ctx.timeScale));
    const retry = await ctx.send(retryCopy(ctx, p, 2));
    const { id, e } = await sideEffects(ctx, p.delivery);
    const scaled = ctx.timeScale !== 1 ? `, time-scaled from ${fmtMs(ctx.provider.ackTimeoutMs)}` : '';
    const attempt1 = first.aborted
      ? `attempt 1 was aborted ${fmtMs(abortMs)} after it was written (the provider's timeout${scaled})`
      : `attempt 1 ${describeAnswer(first)} before the ${fmtMs(abortMs)} timeout, so it was not aborted`;
    const note = (which: string) =>
      `${which} of ${id}; ${attempt1}; ${effectNote(ctx, id, e)}. To reproduce, send the curl line with --max-time ` +
      `${Math.max(0.1, abortMs / 1000)} and then again`;
    const evidence = [
      evidenceFor(ctx, 'attempt 1 (aborted by the provider)', first, p.eventType, note('attempt 1')),
      evidenceFor(ctx, 'the retry', retry, p.eventType, note('the retry')),
    ];
    if (!is2xx(retry)) {
      return {
        status: 'fail',
        summary:
          `${describeAnswer(retry)} to the retry (${retryShapeText(ctx.provider)}); ${attempt1}. The retry must get ` +
          'a 2xx whether or not attempt 1 finished: a duplicate is acknowledged, not refused',
        evidence,
      };
    }
    const answered = `${attempt1}; the retry ${describeAnswer(retry)}`;
    if (e?.error !== undefined) return probeError(answered, e, evidence);
    if (e && !e.ok) {
      return {
        status: 'fail',
        summary:
          `${answered}, and the event caused ${e.text}; dedupe on ${dedupeKeyText(ctx.provider)} when a request ` +
          'arrives and keep the mark when the provider hangs up: the work was done',
        evidence,
      };
    }
    return { status: 'pass', summary: `${answered}; ${e ? e.text : NO_PROBE_NOTE}` };
  },
};
