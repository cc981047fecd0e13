import { genericSignature, validateGenericOptions } from './generic.js';
import { headerValue, withDuplicate, withHeader, withoutHeaders } from './headers.js';
import { DIGEST_BYTES } from './hmac.js';
import { schemeKey } from './keys.js';
import type { BadDelivery, Expected, MutationContext } from './mutations.js';
import { type Rng, rngFor } from './rng.js';
import { schemeInfo } from './scheme-info.js';
import { createSigner } from './signer.js';
import { slackSignature } from './slack.js';
import { standardSignature } from './standard-webhooks.js';
import { stripeHeaderValue, stripeSignature } from './stripe.js';
import type { Header, SchemeName, SignatureEncoding } from './types.js';

/**
 * Official verifiers that accept a signature header sent twice: node:http joins the two lines with
 * ", ", and these parsers split on "," or " " and find the valid entry (pinned in test/signing).
 */
const ACCEPTS_DUPLICATE: ReadonlySet<SchemeName> = new Set(['stripe', 'standard-webhooks']);

const HEX_INVALID = 'ghijklmnopqrstuvwxyz';

/** The valid signature header split into what precedes the digest and the encoded digest itself. */
interface Anatomy {
  base: Header[];
  header: string;
  head: string;
  digest: string;
  encoding: SignatureEncoding;
  digestBytes: number;
}

function anatomy(ctx: MutationContext): Anatomy {
  const info = schemeInfo(ctx.scheme, ctx.options);
  const header = info.signatureHeaders[0]!;
  // Secondary signature headers (GitHub's legacy SHA-1) are left out: each shape is the only signature.
  const base = withoutHeaders(
    createSigner(ctx.scheme, [ctx.secrets[0]!], ctx.options).sign(ctx.input),
    info.signatureHeaders.slice(1),
  );
  let encoding: SignatureEncoding = 'hex';
  let digestBytes = 32;
  if (ctx.scheme === 'standard-webhooks' || ctx.scheme === 'shopify') encoding = 'base64';
  if (ctx.scheme === 'generic-hmac') {
    const g = validateGenericOptions(ctx.options?.generic);
    encoding = g.encoding;
    digestBytes = DIGEST_BYTES[g.algorithm];
  }
  // In every scheme the digest of the (single) signature ends the header value.
  const value = headerValue(base, header)!;
  const len = encoding === 'hex' ? digestBytes * 2 : 4 * Math.ceil(digestBytes / 3);
  return { base, header, head: value.slice(0, -len), digest: value.slice(-len), encoding, digestBytes };
}

function insertAt(s: string, at: number, piece: string): string {
  return s.slice(0, at) + piece + s.slice(at);
}

interface Shape {
  name: string;
  expected: Expected;
  note: string;
  value?: string;
  headers?: Header[];
  rawSocket?: boolean;
}

function commonShapes(ctx: MutationContext, a: Anatomy, rng: Rng): Shape[] {
  const { head, digest, encoding } = a;
  const valid = head + digest;
  const pos = 1 + rng.int(digest.length - 2);
  const longer = Buffer.concat([Buffer.from(digest, encoding), Buffer.from(rng.bytes(1))]).toString(encoding);
  const shapes: Shape[] = [
    { name: 'empty', value: '', expected: 'reject', note: 'the signature header is present but empty' },
    {
      name: 'truncated',
      value: head + digest.slice(0, Math.floor(digest.length / 2)),
      expected: 'reject',
      note: 'the digest cut to half its length',
    },
    {
      name: 'wrong-length',
      value: head + longer,
      expected: 'reject',
      note: `a well-encoded digest one byte too long (${a.digestBytes + 1} bytes)`,
    },
  ];
  if (encoding === 'hex') {
    shapes.push({
      name: 'non-hex',
      value: head + digest.slice(0, pos) + HEX_INVALID[rng.int(HEX_INVALID.length)] + digest.slice(pos + 1),
      expected: 'reject',
      note: 'one digest character replaced by a letter outside hex',
    });
  } else {
    shapes.push({
      name: 'non-base64',
      value: head + insertAt(digest, pos, '*'),
      expected: 'reject',
      note: "a '*' inserted in the digest: a lenient base64 decoder drops it and sees the right bytes",
    });
  }
  shapes.push(
    {
      name: 'non-ascii',
      value: head + insertAt(digest, pos, '€'),
      expected: 'reject',
      rawSocket: true,
      note: "a '€' (UTF-8 bytes) inserted in the digest; HTTP clients refuse it, so it goes over a raw socket",
    },
    {
      name: 'duplicated',
      headers: withDuplicate(a.base, a.header),
      expected: ACCEPTS_DUPLICATE.has(ctx.scheme) ? 'tolerable' : 'reject',
      note: ACCEPTS_DUPLICATE.has(ctx.scheme)
        ? `the valid header sent twice; the official ${ctx.scheme} verifier accepts the joined value, so accepting is tolerated`
        : `the valid header sent twice; node:http joins them with ", " and the official ${ctx.scheme} verifier rejects that`,
    },
    { name: 'wrong-prefix', value: wrongPrefix(ctx, a), expected: 'reject', note: wrongPrefixNote(ctx) },
    {
      name: 'padding-whitespace',
      value: `  ${valid}  `,
      expected: 'tolerable',
      note: 'the valid value with two spaces each side; HTTP strips such padding, so accepting is tolerated',
    },
  );
  return shapes;
}

function wrongPrefix(ctx: MutationContext, a: Anatomy): string {
  const { head, digest } = a;
  switch (ctx.scheme) {
    case 'stripe':
      return head.replace('t=', 'T=').replace(',v1=', ',V1=') + digest;
    case 'github':
      return `sha1=${digest}`;
    case 'slack':
      return `v1=${digest}`;
    case 'standard-webhooks':
      return `v1=${digest}`;
    case 'shopify':
      return `sha256=${digest}`;
    case 'generic-hmac': {
      const g = validateGenericOptions(ctx.options?.generic);
      if (!g.prefix) return `${g.algorithm}=${digest}`;
      return (g.prefix.toUpperCase() !== g.prefix ? g.prefix.toUpperCase() : `x-${g.prefix}`) + digest;
    }
  }
}

function wrongPrefixNote(ctx: MutationContext): string {
  switch (ctx.scheme) {
    case 'stripe':
      return 'keys in upper case (T=, V1=): the official parser is case-sensitive';
    case 'github':
      return 'the SHA-256 digest labelled sha1=';
    case 'slack':
      return 'the digest labelled v1= (unknown version)';
    case 'standard-webhooks':
      return "'v1=' instead of 'v1,' before the digest";
    case 'shopify':
      return "a 'sha256=' prefix Shopify never sends";
    case 'generic-hmac':
      return 'the digest behind a prefix other than the configured one';
  }
}

/** Headers validly signed over a timestamp string of our choosing (ms, garbage). */
function signedAt(ctx: MutationContext, a: Anatomy, ts: string): Header[] {
  const { input } = ctx;
  const key = schemeKey(ctx.scheme, ctx.secrets[0]!);
  switch (ctx.scheme) {
    case 'stripe':
      return withHeader(
        a.base,
        a.header,
        stripeHeaderValue(Number(ts), [stripeSignature(key, Number(ts), input.body)]),
      );
    case 'slack':
      return withHeader(
        withHeader(a.base, 'X-Slack-Request-Timestamp', ts),
        a.header,
        slackSignature(key, ts, input.body),
      );
    case 'standard-webhooks':
      return withHeader(
        withHeader(a.base, 'webhook-timestamp', ts),
        a.header,
        standardSignature(key, input.id, ts, input.body),
      );
    case 'generic-hmac': {
      const g = validateGenericOptions(ctx.options?.generic);
      const sig = genericSignature(key, g, { body: input.body, id: input.id, timestamp: ts, url: input.url });
      return withHeader(withHeader(a.base, g.timestampHeader!, ts), a.header, sig);
    }
    default:
      throw new Error(`${ctx.scheme} signs no timestamp`);
  }
}

function schemeShapes(ctx: MutationContext, a: Anatomy): Shape[] {
  const { head, digest } = a;
  const ms = String(ctx.input.timestamp * 1000);
  const upper: Shape = {
    name: 'uppercase-hex',
    value: head + digest.toUpperCase(),
    expected: 'reject',
    note: 'the digest in upper-case hex; the official verifier compares lowercase strings',
  };
  const noPadding: Shape = {
    name: 'no-padding',
    value: head + digest.replace(/=+$/, ''),
    expected: 'reject',
    note: "the base64 digest without its '=' padding",
  };
  switch (ctx.scheme) {
    case 'stripe':
      return [
        upper,
        {
          name: 'space-after-comma',
          value: head.replace(',v1=', ', v1=') + digest,
          expected: 'reject',
          note: "', v1=': the official parser splits on ',' and does not trim, so it finds no v1 entry",
        },
        { name: 'missing-timestamp', value: `v1=${digest}`, expected: 'reject', note: 'no t= entry' },
        {
          name: 'timestamp-ms',
          headers: signedAt(ctx, a, ms),
          expected: 'tolerable',
          note: 't= in milliseconds, validly signed; stripe reads it as far in the future and accepts it',
        },
      ];
    case 'github':
      return [
        upper,
        {
          name: 'missing-prefix',
          value: digest,
          expected: 'reject',
          note: "the bare hex digest, no 'sha256='",
        },
      ];
    case 'slack':
      return [
        upper,
        { name: 'missing-prefix', value: digest, expected: 'reject', note: "the bare hex digest, no 'v0='" },
        {
          name: 'timestamp-non-numeric',
          headers: signedAt(ctx, a, 'now'),
          expected: 'reject',
          note: "timestamp 'now', validly signed over it",
        },
        {
          name: 'timestamp-ms',
          headers: signedAt(ctx, a, ms),
          expected: 'tolerable',
          note: 'timestamp in milliseconds, validly signed; bolt reads it as in the future and accepts it',
        },
      ];
    case 'standard-webhooks':
      return [
        noPadding,
        { name: 'missing-version', value: digest, expected: 'reject', note: "the bare digest, no 'v1,'" },
        {
          name: 'timestamp-non-numeric',
          headers: signedAt(ctx, a, 'now'),
          expected: 'reject',
          note: "timestamp 'now', validly signed over it",
        },
        {
          name: 'timestamp-ms',
          headers: signedAt(ctx, a, ms),
          expected: 'reject',
          note: 'timestamp in milliseconds, validly signed: far in the future',
        },
      ];
    case 'shopify':
      return [
        noPadding,
        {
          name: 'hex-instead-of-base64',
          value: Buffer.from(digest, 'base64').toString('hex'),
          expected: 'reject',
          note: 'the right digest, hex-encoded',
        },
        {
          name: 'base64url',
          value: digest.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''),
          expected: 'reject',
          note: 'the right digest in the base64url alphabet',
        },
      ];
    case 'generic-hmac': {
      const g = validateGenericOptions(ctx.options?.generic);
      const shapes: Shape[] = [a.encoding === 'hex' ? upper : noPadding];
      if (g.prefix) {
        shapes.push({
          name: 'missing-prefix',
          value: digest,
          expected: 'reject',
          note: 'the digest without its prefix',
        });
      }
      if (schemeInfo(ctx.scheme, ctx.options).signsTimestamp) {
        shapes.push({
          name: 'timestamp-garbage',
          headers: signedAt(ctx, a, 'not-a-time'),
          expected: 'reject',
          note: "timestamp 'not-a-time', validly signed over it",
        });
      }
      return shapes;
    }
  }
}

/**
 * Broken signature-header shapes, each with the answer the provider's official verifier gives
 * behind node:http (test/signing pins every one). Deterministic for a given seed.
 */
export function malformedCorpus(ctx: MutationContext): BadDelivery[] {
  const a = anatomy(ctx);
  const rng = rngFor(ctx.seed, 'malformed');
  return [...commonShapes(ctx, a, rng), ...schemeShapes(ctx, a)].map(
    (s): BadDelivery => ({
      name: `malformed-${s.name}`,
      headers: s.headers ?? withHeader(a.base, a.header, s.value ?? ''),
      body: ctx.input.body,
      expected: s.expected,
      rawSocket: s.rawSocket ?? false,
      note: s.note,
    }),
  );
}
