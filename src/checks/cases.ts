import type { Delivery } from '../engine/delivery.js';
import type { Scenario } from '../scenario/types.js';
import {
  type BadDelivery,
  type Expected,
  MUTATION_NAMES,
  type MutationContext,
  type MutationName,
  malformedCorpus,
  mutate,
} from '../signing/index.js';
import type { Header, SignInput } from '../signing/types.js';
import { bodyVariant, RAW_BODY_VARIANTS, type RawBodyVariant } from './json-variants.js';
import { formatBytes, padBody } from './payload.js';
import type { PreparedDelivery, ValidOptions } from './types.js';

/**
 * The deliveries conformance checks send, built one way for the checks and for `wh-bench send`, so a
 * reproducer rebuilds exactly the case that failed (signed afresh). Each case has a name, the
 * `--mutation` value that rebuilds it.
 */

/** What building a case needs: a ConformanceContext has all of it, and so does `wh-bench send`. */
export interface CaseEnv {
  scenario: Scenario;
  targetUrl: string;
  seed: number;
  extraHeaders: readonly Header[];
  valid(opts: ValidOptions): PreparedDelivery;
}

export interface Case {
  /** The `wh-bench send --mutation` value that rebuilds this case. */
  mutation: string;
  delivery: Delivery;
  /** `accept`: 2xx; `reject`: 4xx; `tolerable`: either (never 5xx). */
  expected: Expected;
  /** What was done to the delivery and why the expected answer is what it is. */
  note: string;
  eventType: string;
  /** For rejections: what a correct signature over these bytes is computed from (response.no-leak). */
  expectedInput?: SignInput;
}

export type Cases = { cases: Case[] } | { skip: string };

export function mutationContextOf(env: CaseEnv, p: PreparedDelivery): MutationContext {
  const provider = env.scenario.provider;
  return {
    scheme: provider.scheme,
    options: { ...provider.schemeOptions, ...(provider.generic ? { generic: provider.generic } : {}) },
    secrets: [provider.secret],
    input: {
      body: p.delivery.body,
      timestamp: p.timestamp,
      id: p.delivery.eventId,
      eventType: p.eventType,
      url: env.targetUrl,
    },
    toleranceSec: provider.toleranceSec,
    seed: env.seed,
    previousSecret: provider.previousSecret,
  };
}

function fromBad(
  env: CaseEnv,
  p: PreparedDelivery,
  ctx: MutationContext,
  bad: BadDelivery,
  mutation: string,
): Case {
  const delivery: Delivery = {
    ...p.delivery,
    headers: [...bad.headers, ...env.extraHeaders],
    body: bad.body,
    ...(bad.rawSocket ? { transport: { raw: true } } : {}),
  };
  const c: Case = { mutation, delivery, expected: bad.expected, note: bad.note, eventType: p.eventType };
  if (bad.expected !== 'accept') c.expectedInput = { ...ctx.input, body: bad.body };
  return c;
}

export function validCase(env: CaseEnv, cls: string, eventType?: string): Case {
  const p = env.valid({ class: cls, ...(eventType ? { eventType } : {}) });
  return {
    mutation: 'valid',
    delivery: p.delivery,
    expected: 'accept',
    note: 'a correctly signed delivery',
    eventType: p.eventType,
  };
}

/**
 * Builds the i-th bad delivery of a family on an event of its own: one event per case, so that no
 * case is a duplicate of another (a receiver that dedupes before verifying would answer it 2xx).
 */
function onePerEvent(
  env: CaseEnv,
  cls: string,
  eventType: string | undefined,
  generate: (ctx: MutationContext) => BadDelivery[] | { skip: string },
  mutationOf: (bad: BadDelivery, many: boolean) => string,
): Cases {
  const prepare = () => {
    const p = env.valid({ class: cls, ...(eventType ? { eventType } : {}) });
    const ctx = mutationContextOf(env, p);
    return { p, ctx, out: generate(ctx) };
  };
  const first = prepare();
  if ('skip' in first.out) return { skip: first.out.skip };
  const many = first.out.length > 1;
  const cases: Case[] = [];
  for (let i = 0; i < first.out.length; i++) {
    const { p, ctx, out } = i === 0 ? first : prepare();
    const bad = (out as BadDelivery[])[i]!;
    cases.push(fromBad(env, p, ctx, bad, mutationOf(bad, many)));
  }
  return { cases };
}

/** One of the signing layer's mutations (tampered body, wrong secret, stale timestamp...). */
export function mutationCases(env: CaseEnv, name: MutationName, cls: string, eventType?: string): Cases {
  return onePerEvent(
    env,
    cls,
    eventType,
    (ctx) => {
      const out = mutate(name, ctx);
      return out.applicable ? out.deliveries : { skip: out.reason };
    },
    (bad, many) => (many ? `${name}:${bad.name.replace(`${name}-`, '')}` : name),
  );
}

/** Every malformed header shape, or the one named (without its `malformed-` prefix). */
export function malformedCases(env: CaseEnv, cls: string, only?: string): Cases {
  const shapeOf = (bad: BadDelivery) => bad.name.replace(/^malformed-/, '');
  return onePerEvent(
    env,
    cls,
    undefined,
    (ctx) => {
      const corpus = malformedCorpus(ctx);
      if (only === undefined) return corpus;
      const one = corpus.filter((bad) => shapeOf(bad) === only);
      if (one.length > 0) return one;
      return {
        skip: `no malformed shape '${only}' for ${ctx.scheme}; shapes: ${corpus.map(shapeOf).join(', ')}`,
      };
    },
    (bad) => `malformed:${shapeOf(bad)}`,
  );
}

/** Validly signed bodies that re-serialise differently; each its own event (own id, preset's id kept). */
export function rawBodyCases(env: CaseEnv, cls: string, only?: RawBodyVariant): Cases {
  const cases: Case[] = [];
  for (const name of only ? [only] : RAW_BODY_VARIANTS) {
    const p = env.valid({ class: cls });
    const v = bodyVariant(Buffer.from(p.delivery.body).toString('utf8'), name);
    if (!v) return { skip: `the ${p.eventType} body is not a JSON object, so it cannot be re-serialised` };
    const body = Buffer.from(v.body, 'utf8');
    const q = env.valid({ class: cls, eventType: p.eventType, body, eventId: p.delivery.eventId });
    cases.push({
      mutation: `raw-body:${name}`,
      delivery: q.delivery,
      expected: 'accept',
      note: v.note,
      eventType: p.eventType,
    });
  }
  return { cases };
}

/** An event type the receiver cannot know, in whatever shape the preset names types. */
export function unknownEventType(env: CaseEnv): string {
  switch (env.scenario.provider.scheme) {
    case 'github':
    case 'slack':
      return 'wh_bench_unknown_event';
    case 'shopify':
      return 'wh_bench/unknown_event';
    default:
      return 'wh_bench.unknown_event';
  }
}

export function unknownEventCases(env: CaseEnv, cls: string): Cases {
  const type = unknownEventType(env);
  const p = env.valid({ class: cls, eventType: type });
  const inBody = Buffer.from(p.delivery.body).toString('utf8').includes(type);
  const inHeader = p.delivery.headers.some(([, v]) => v === type);
  if (!inBody && !inHeader) {
    return {
      skip: 'the event type appears nowhere in the delivery: add {{event.type}} to the body template so an unknown type can be sent',
    };
  }
  return {
    cases: [
      {
        mutation: 'unknown-event',
        delivery: p.delivery,
        expected: 'accept',
        note: `a validly signed event of type '${type}', which no receiver handles (${inHeader ? 'in the event header' : 'in the body'})`,
        eventType: type,
      },
    ],
  };
}

const TIME_KEYS = 'created|created_at|updated|updated_at|event_time|timestamp|occurred_at|triggered_at';
const LATER_SEC = 60;

/** The same event text describing a later moment: ids swapped, unix and ISO times moved forward. */
export function laterBody(text: string, fromId: string, toId: string): string {
  let out = fromId ? text.split(fromId).join(toId) : text;
  out = out.replace(
    new RegExp(`("(?:${TIME_KEYS})"\\s*:\\s*)(\\d{10})(?!\\d)`, 'g'),
    (_m, k: string, n: string) => `${k}${Number(n) + LATER_SEC}`,
  );
  out = out.replace(
    new RegExp(
      `("(?:${TIME_KEYS})"\\s*:\\s*")(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?Z)"`,
      'g',
    ),
    (m, k: string, iso: string) => {
      const t = Date.parse(iso);
      return Number.isNaN(t) ? m : `${k}${new Date(t + LATER_SEC * 1000).toISOString()}"`;
    },
  );
  return out;
}

/** Two events about one object; the later one (times +60 s) is sent first. */
export function outOfOrderCases(env: CaseEnv, cls: string): Cases {
  const earlier = env.valid({ class: cls });
  const laterId = env.valid({ class: cls, eventType: earlier.eventType }).delivery.eventId;
  const text = Buffer.from(earlier.delivery.body).toString('utf8');
  const body = Buffer.from(laterBody(text, earlier.delivery.eventId, laterId), 'utf8');
  const later = env.valid({ class: cls, eventType: earlier.eventType, body, eventId: laterId });
  const note = `two ${earlier.eventType} events about the same object; the later one (times ${LATER_SEC} s on) is sent first`;
  return {
    cases: [
      {
        mutation: 'out-of-order',
        delivery: later.delivery,
        expected: 'accept',
        note: `${note}: this is the later one`,
        eventType: earlier.eventType,
      },
      {
        mutation: 'out-of-order',
        delivery: earlier.delivery,
        expected: 'accept',
        note: `${note}: this is the earlier one, sent second`,
        eventType: earlier.eventType,
      },
    ],
  };
}

/** A valid event padded to `size` bytes with a filler member, signed over the padded bytes. */
export function payloadCase(env: CaseEnv, cls: string, size: number): Case | null {
  const p = env.valid({ class: cls });
  const body = padBody(p.delivery.body, size);
  if (!body) return null;
  const q = env.valid({ class: cls, eventType: p.eventType, body, eventId: p.delivery.eventId });
  // A provider waits its full ack timeout however large the body: no time-scaling here.
  q.delivery.transport = { timeoutMs: Math.max(env.scenario.provider.ackTimeoutMs, 5000) };
  return {
    mutation: `payload-size:${size}`,
    delivery: q.delivery,
    expected: 'accept',
    note: `a valid ${p.eventType} event padded to ${formatBytes(size)} with a "wh_bench_padding" member`,
    eventType: p.eventType,
  };
}

/** A valid delivery from an address the receiver's allowlist should refuse. */
export function sourceIpCases(env: CaseEnv, cls: string, address?: string): Cases {
  const from = address ?? env.scenario.target.disallowedSourceAddress;
  if (!from) return { skip: 'the scenario names no target.source_address to send from' };
  const p = env.valid({ class: cls });
  p.delivery.transport = { fresh: true, localAddress: from };
  return {
    cases: [
      {
        mutation: 'source-ip',
        delivery: p.delivery,
        expected: 'reject',
        note: `a correctly signed delivery sent from ${from}, outside the receiver's allowlist`,
        eventType: p.eventType,
      },
    ],
  };
}

/** `--mutation` values `wh-bench send` understands (a `:variant` may follow some). */
export const SEND_MUTATIONS = [
  'valid',
  ...MUTATION_NAMES,
  'malformed:<shape>',
  'raw-body:<variant>',
  'unknown-event',
  'out-of-order',
  'payload-size:<bytes>',
  'source-ip[:<address>]',
];

/** Builds the case(s) a `--mutation` value names; an unknown name is a user error (returned as skip text). */
export function buildCases(
  mutation: string,
  env: CaseEnv,
  cls: string,
  eventType?: string,
): Cases | { unknown: string } {
  const colon = mutation.indexOf(':');
  const name = colon < 0 ? mutation : mutation.slice(0, colon);
  const variant = colon < 0 ? undefined : mutation.slice(colon + 1);
  if (name === 'valid') return { cases: [validCase(env, cls, eventType)] };
  if ((MUTATION_NAMES as readonly string[]).includes(name)) {
    const set = mutationCases(env, name as MutationName, cls, eventType);
    if ('skip' in set || variant === undefined) return set;
    const one = set.cases.filter((c) => c.mutation === mutation);
    return one.length > 0
      ? { cases: one }
      : { unknown: `${mutation}: variants are ${set.cases.map((c) => c.mutation).join(', ')}` };
  }
  switch (name) {
    case 'malformed':
      return malformedCases(env, cls, variant);
    case 'raw-body':
      if (variant !== undefined && !(RAW_BODY_VARIANTS as readonly string[]).includes(variant)) {
        return { unknown: `raw-body:${variant}: variants are ${RAW_BODY_VARIANTS.join(', ')}` };
      }
      return rawBodyCases(env, cls, variant as RawBodyVariant | undefined);
    case 'unknown-event':
      return unknownEventCases(env, cls);
    case 'out-of-order':
      return outOfOrderCases(env, cls);
    case 'payload-size': {
      const size = Number(variant);
      if (!Number.isInteger(size) || size <= 0)
        return { unknown: 'payload-size needs a size in bytes, e.g. payload-size:1048576' };
      const c = payloadCase(env, cls, size);
      return c ? { cases: [c] } : { skip: `the event body cannot be padded to ${size} bytes` };
    }
    case 'source-ip':
      return sourceIpCases(env, cls, variant);
    default:
      return { unknown: `unknown mutation '${mutation}'; use one of ${SEND_MUTATIONS.join(', ')}` };
  }
}
