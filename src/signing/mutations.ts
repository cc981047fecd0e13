import { GITHUB_SIGNATURE_HEADER } from './github.js';
import { withHeader, withoutHeaders } from './headers.js';
import { schemeKey } from './keys.js';
import { type Rng, rngFor } from './rng.js';
import { schemeInfo } from './scheme-info.js';
import { createSigner } from './signer.js';
import { standardSignature } from './standard-webhooks.js';
import { stripeHeaderValue, stripeSignature } from './stripe.js';
import type { Header, SchemeName, SchemeOptions, SignInput } from './types.js';

/** Everything a valid delivery needs; mutations derive bad ones from it. Pure: no clock, no I/O. */
export interface MutationContext {
  scheme: SchemeName;
  options?: SchemeOptions;
  /** secrets[0] is the current secret, the one the receiver is expected to know. */
  secrets: readonly string[];
  /** The valid delivery; input.timestamp is taken as "now" for the timestamp mutations. */
  input: SignInput;
  /** The receiver's timestamp tolerance in seconds; null where none applies. */
  toleranceSec: number | null;
  seed: number;
  /** The secret being rotated out (single-signature rotation). */
  previousSecret?: string | null;
}

/**
 * What the receiver should answer: `reject` (4xx), `accept` (2xx), or `tolerable`: either answer
 * is fine because the provider's official verifier accepts it (a 5xx never is).
 */
export type Expected = 'reject' | 'accept' | 'tolerable';

export interface BadDelivery {
  name: string;
  headers: Header[];
  body: Uint8Array;
  expected: Expected;
  /** Send over node:net: the header shape is one HTTP clients refuse (non-Latin-1 bytes). */
  rawSocket: boolean;
  /** What was done and why the expected answer is what it is. Never holds a secret. */
  note: string;
}

export type MutationOutcome =
  | { applicable: true; deliveries: BadDelivery[] }
  | { applicable: false; reason: string };

export const MUTATION_NAMES = [
  'tampered-body',
  'wrong-secret',
  'missing-signature',
  'stale-timestamp',
  'future-timestamp',
  'within-tolerance',
  'downgrade',
  'rotation',
] as const;
export type MutationName = (typeof MUTATION_NAMES)[number];

/** Schemes whose official verifier accepts timestamps in the future (PROVIDERS.md, pinned in tests). */
const ACCEPTS_FUTURE: ReadonlySet<SchemeName> = new Set(['stripe', 'slack']);
/** Margin beyond the tolerance, so that clock skew or a slow network cannot decide the answer. */
const OUTSIDE_MARGIN_SEC = 60;

function signed(ctx: MutationContext, secrets: readonly string[], input: SignInput = ctx.input): Header[] {
  return createSigner(ctx.scheme, secrets, ctx.options).sign(input);
}

function one(d: Omit<BadDelivery, 'rawSocket'> & { rawSocket?: boolean }): MutationOutcome {
  return { applicable: true, deliveries: [{ rawSocket: false, ...d }] };
}

/** A secret of the same shape as the scheme's (so only its value is wrong), never a real one. */
export function randomSecretLike(scheme: SchemeName, rng: Rng): string {
  const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  if (scheme === 'stripe') return `whsec_${rng.chars(32, alnum)}`;
  if (scheme === 'standard-webhooks') return `whsec_${Buffer.from(rng.bytes(24)).toString('base64')}`;
  return rng.chars(32, '0123456789abcdef');
}

const DIGITS = '0123456789';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

function classOf(byte: number): string | null {
  const c = String.fromCharCode(byte);
  if (DIGITS.includes(c)) return DIGITS;
  if (LOWER.includes(c)) return LOWER;
  if (UPPER.includes(c)) return UPPER;
  return null;
}

/**
 * One byte changed: a letter or digit replaced by another of its kind, so that JSON stays valid and
 * only the signature can tell (a receiver that fails to parse would reject for the wrong reason).
 */
export function tamperBody(body: Uint8Array, rng: Rng): { body: Uint8Array; at: number } {
  if (body.length === 0) return { body: Uint8Array.of(0x20), at: 0 };
  const out = Uint8Array.from(body);
  const start = rng.int(body.length);
  for (let i = 0; i < body.length; i++) {
    const at = (start + i) % body.length;
    const alphabet = classOf(out[at]!);
    if (!alphabet) continue;
    const from = alphabet.indexOf(String.fromCharCode(out[at]!));
    out[at] = alphabet.charCodeAt((from + 1 + rng.int(alphabet.length - 1)) % alphabet.length);
    return { body: out, at };
  }
  out[start] = out[start]! ^ 0x01;
  return { body: out, at: start };
}

export function tamperedBody(ctx: MutationContext): MutationOutcome {
  const { body, at } = tamperBody(ctx.input.body, rngFor(ctx.seed, 'tampered-body'));
  return one({
    name: 'tampered-body',
    headers: signed(ctx, ctx.secrets),
    body,
    expected: 'reject',
    note: `byte ${at} of the body changed after signing; the signature no longer matches`,
  });
}

export function wrongSecret(ctx: MutationContext): MutationOutcome {
  const secret = randomSecretLike(ctx.scheme, rngFor(ctx.seed, 'wrong-secret'));
  return one({
    name: 'wrong-secret',
    headers: signed(ctx, [secret]),
    body: ctx.input.body,
    expected: 'reject',
    note: 'signed with a random secret of the right shape that the receiver does not know',
  });
}

export function missingSignature(ctx: MutationContext): MutationOutcome {
  const names = schemeInfo(ctx.scheme, ctx.options).signatureHeaders;
  return one({
    name: 'missing-signature',
    headers: withoutHeaders(signed(ctx, ctx.secrets), names),
    body: ctx.input.body,
    expected: 'reject',
    note: `no ${names.join(' / ')} header`,
  });
}

/** Why the timestamp mutations do not apply, or null when they do. */
export function timestampNotApplicable(ctx: MutationContext): string | null {
  const info = schemeInfo(ctx.scheme, ctx.options);
  if (!info.signsTimestamp) {
    return ctx.scheme === 'generic-hmac'
      ? 'this generic scheme signs no timestamp (it needs a timestampHeader and {timestamp} in the template)'
      : `${ctx.scheme} signs no timestamp: replay protection is the delivery id`;
  }
  if (ctx.toleranceSec === null) return 'no timestamp tolerance is configured';
  return null;
}

function atTimestamp(
  ctx: MutationContext,
  name: string,
  offsetSec: number,
  expected: Expected,
  note: string,
): MutationOutcome {
  const reason = timestampNotApplicable(ctx);
  if (reason) return { applicable: false, reason };
  const input = { ...ctx.input, timestamp: ctx.input.timestamp + offsetSec };
  return one({ name, headers: signed(ctx, ctx.secrets, input), body: ctx.input.body, expected, note });
}

export function staleTimestamp(ctx: MutationContext): MutationOutcome {
  const age = (ctx.toleranceSec ?? 0) + OUTSIDE_MARGIN_SEC;
  return atTimestamp(
    ctx,
    'stale-timestamp',
    -age,
    'reject',
    `validly signed, timestamp ${age} s old (tolerance ${ctx.toleranceSec} s)`,
  );
}

export function futureTimestamp(ctx: MutationContext): MutationOutcome {
  const ahead = (ctx.toleranceSec ?? 0) + OUTSIDE_MARGIN_SEC;
  const lenient = ACCEPTS_FUTURE.has(ctx.scheme);
  return atTimestamp(
    ctx,
    'future-timestamp',
    ahead,
    lenient ? 'tolerable' : 'reject',
    `validly signed, timestamp ${ahead} s in the future (tolerance ${ctx.toleranceSec} s)` +
      (lenient
        ? `; the official ${ctx.scheme} verifier checks only the past, so accepting is tolerated`
        : ''),
  );
}

export function withinTolerance(ctx: MutationContext): MutationOutcome {
  const age = Math.floor((ctx.toleranceSec ?? 0) * 0.8);
  return atTimestamp(
    ctx,
    'within-tolerance',
    -age,
    'accept',
    `validly signed, timestamp ${age} s old: inside the ${ctx.toleranceSec} s tolerance (catches a window too tight or in ms)`,
  );
}

/** A valid HMAC under a deprecated or unknown label: verifiers must ignore it. */
export function downgrade(ctx: MutationContext): MutationOutcome {
  const { scheme, input } = ctx;
  const base = signed(ctx, ctx.secrets);
  const secret = ctx.secrets[0]!;
  if (scheme === 'stripe') {
    const sig = stripeSignature(schemeKey(scheme, secret), input.timestamp, input.body);
    return one({
      name: 'downgrade',
      headers: withHeader(base, 'Stripe-Signature', stripeHeaderValue(input.timestamp, [sig], 'v0')),
      body: input.body,
      expected: 'reject',
      note: 'only a v0 entry (deprecated scheme) holding a valid HMAC; verifiers must read v1 only',
    });
  }
  if (scheme === 'standard-webhooks') {
    const sig = standardSignature(schemeKey(scheme, secret), input.id, input.timestamp, input.body, 'v2');
    return one({
      name: 'downgrade',
      headers: withHeader(base, 'webhook-signature', sig),
      body: input.body,
      expected: 'reject',
      note: 'only a v2 entry (unknown version) holding a valid HMAC; verifiers must read v1 only',
    });
  }
  if (scheme === 'github') {
    // The signer already sends a valid legacy header: dropping the SHA-256 one leaves only SHA-1.
    return one({
      name: 'downgrade',
      headers: withoutHeaders(base, [GITHUB_SIGNATURE_HEADER]),
      body: input.body,
      expected: 'reject',
      note: 'only the legacy SHA-1 X-Hub-Signature (valid); verifiers must require X-Hub-Signature-256',
    });
  }
  return { applicable: false, reason: `${scheme} has a single signature version: nothing to downgrade to` };
}

/** Multi-signature: the valid entry among signatures from secrets the receiver does not know. */
function multiRotation(ctx: MutationContext): MutationOutcome {
  const rng = rngFor(ctx.seed, 'rotation');
  const { scheme, input } = ctx;
  const current = ctx.secrets[0]!;
  const junk = [randomSecretLike(scheme, rng), randomSecretLike(scheme, rng)];
  const entry = (secret: string): string =>
    scheme === 'stripe'
      ? stripeSignature(schemeKey(scheme, secret), input.timestamp, input.body)
      : standardSignature(schemeKey(scheme, secret), input.id, input.timestamp, input.body);
  const [j1, j2] = junk.map(entry) as [string, string];
  const valid = entry(current);
  const base = signed(ctx, [current]);
  const orders: Array<[string, string[], string]> = [
    ['rotation-valid-first', [valid, j1, j2], 'first'],
    ['rotation-valid-last', [j1, j2, valid], 'last'],
    ['rotation-valid-middle', [j1, valid, j2], 'between two others'],
  ];
  const deliveries = orders.map(([name, sigs, where]): BadDelivery => {
    const headers =
      scheme === 'stripe'
        ? withHeader(base, 'Stripe-Signature', stripeHeaderValue(input.timestamp, sigs))
        : withHeader(base, 'webhook-signature', sigs.join(' '));
    return {
      name,
      headers,
      body: input.body,
      expected: 'accept',
      rawSocket: false,
      note: `three signatures, the one from the current secret ${where}; the others come from secrets the receiver does not know (rotated out)`,
    };
  });
  return { applicable: true, deliveries };
}

/** Single-signature: one delivery signed with the previous secret, one with the current. */
function singleRotation(ctx: MutationContext): MutationOutcome {
  const previous = ctx.previousSecret;
  if (!previous) {
    return {
      applicable: false,
      reason: `${ctx.scheme} carries one signature: rotation needs previous_secret in the scenario`,
    };
  }
  const both =
    'expected only of a receiver that knows both secrets during the rotation (previous_secret is set)';
  return {
    applicable: true,
    deliveries: [
      {
        name: 'rotation-previous-secret',
        headers: signed(ctx, [previous]),
        body: ctx.input.body,
        expected: 'accept',
        rawSocket: false,
        note: `signed with the previous secret: ${both}`,
      },
      {
        name: 'rotation-current-secret',
        headers: signed(ctx, [ctx.secrets[0]!]),
        body: ctx.input.body,
        expected: 'accept',
        rawSocket: false,
        note: `signed with the current secret: ${both}`,
      },
    ],
  };
}

export function rotation(ctx: MutationContext): MutationOutcome {
  return schemeInfo(ctx.scheme, ctx.options).multiSignature ? multiRotation(ctx) : singleRotation(ctx);
}

const MUTATIONS: Record<MutationName, (ctx: MutationContext) => MutationOutcome> = {
  'tampered-body': tamperedBody,
  'wrong-secret': wrongSecret,
  'missing-signature': missingSignature,
  'stale-timestamp': staleTimestamp,
  'future-timestamp': futureTimestamp,
  'within-tolerance': withinTolerance,
  downgrade,
  rotation,
};

export function mutate(name: MutationName, ctx: MutationContext): MutationOutcome {
  return MUTATIONS[name](ctx);
}

export function allMutations(ctx: MutationContext): Record<MutationName, MutationOutcome> {
  const out = {} as Record<MutationName, MutationOutcome>;
  for (const name of MUTATION_NAMES) out[name] = MUTATIONS[name](ctx);
  return out;
}
