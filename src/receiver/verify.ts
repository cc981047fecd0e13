import { createHmac, type KeyObject, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { UserError } from '../errors.js';
import type { ProviderConfig } from '../scenario/types.js';
import { compileTemplate, genericSignature, templateUses } from '../signing/generic.js';
import type { GenericHmacOptions, TimestampFormat } from '../signing/types.js';
import { acceptedSecrets, standardWebhooksKey, utf8Key } from './keys.js';

/**
 * The reference receiver's own verifiers, one per scheme, self-contained on node:crypto. They follow
 * the official libraries' parsing (PROVIDERS.md) but are stricter where a library is lax on purpose:
 * every timestamp must be digits and within the tolerance in BOTH directions.
 */

/** `ok`, or why a delivery is refused: `missing`/`malformed` answer 400, the rest 401. */
export type Verdict = 'ok' | 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future';

/**
 * Checks one request. `body` is the raw bytes as received; `target` is the request target
 * (`req.url`), used only by generic templates that sign `{url}`. Never throws on bad input.
 */
export type Verifier = (headers: IncomingHttpHeaders, body: Buffer, nowMs: number, target: string) => Verdict;

const DIGITS = /^[0-9]{1,15}$/;
const LOWER_HEX_64 = /^[0-9a-f]{64}$/;
const BASE64_32 = /^[A-Za-z0-9+/]{43}=$/;

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  // node:http joins repeated headers with ", "; only set-cookie arrives as an array.
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Constant-time comparison once the lengths agree (the length of a digest is no secret). */
function safeEqual(expected: Buffer, candidate: string): boolean {
  // Header values are decoded as latin1 by node:http, so this is byte-for-byte what was sent.
  return candidate.length === expected.length && timingSafeEqual(expected, Buffer.from(candidate, 'latin1'));
}

/** Tolerance in both directions; `null` tolerance means the scheme signs no usable time. */
export function checkWindow(tsSec: number, nowMs: number, toleranceSec: number | null): Verdict {
  if (toleranceSec === null || toleranceSec <= 0) return 'ok';
  const age = Math.floor(nowMs / 1000) - tsSec;
  if (age > toleranceSec) return 'stale';
  if (-age > toleranceSec) return 'future';
  return 'ok';
}

function hmacHex(key: KeyObject, prefix: string, body: Buffer): Buffer {
  return Buffer.from(createHmac('sha256', key).update(prefix).update(body).digest('hex'), 'latin1');
}

/**
 * Stripe: `t=<ts>,v1=<hex>[,v1=...]`, split on `,` then `=` without trimming, as the official
 * library does (so `", v1=..."` fails); any v1 matching any secret passes; v0 is ignored.
 */
export function stripeVerifier(keys: readonly KeyObject[], toleranceSec: number | null): Verifier {
  return (headers, body, nowMs) => {
    const value = header(headers, 'stripe-signature');
    if (value === undefined) return 'missing';
    let t: string | undefined;
    const candidates: string[] = [];
    for (const item of value.split(',')) {
      const kv = item.split('=');
      if (kv[0] === 't') t = kv[1];
      else if (kv[0] === 'v1' && kv[1] !== undefined) candidates.push(kv[1]);
    }
    if (t === undefined || !DIGITS.test(t) || candidates.length === 0) return 'malformed';
    const ts = Number.parseInt(t, 10);
    const window = checkWindow(ts, nowMs, toleranceSec);
    if (window !== 'ok') return window;
    // The official library signs the parsed number, so `t=0123` covers `123.<body>`.
    const prefix = `${ts}.`;
    for (const key of keys) {
      const expected = hmacHex(key, prefix, body);
      for (const c of candidates) if (safeEqual(expected, c)) return 'ok';
    }
    return 'mismatch';
  };
}

/** GitHub: `X-Hub-Signature-256: sha256=<lowercase hex>` over the body; no timestamp. */
export function githubVerifier(keys: readonly KeyObject[]): Verifier {
  return (headers, body) => {
    const value = header(headers, 'x-hub-signature-256');
    if (value === undefined) return 'missing';
    if (!value.startsWith('sha256=') || !LOWER_HEX_64.test(value.slice(7))) return 'malformed';
    const candidate = value.slice(7);
    for (const key of keys) if (safeEqual(hmacHex(key, '', body), candidate)) return 'ok';
    return 'mismatch';
  };
}

/** Slack: `v0=<hex HMAC of "v0:<ts>:<body>">`, the timestamp as sent. */
export function slackVerifier(keys: readonly KeyObject[], toleranceSec: number | null): Verifier {
  return (headers, body, nowMs) => {
    const value = header(headers, 'x-slack-signature');
    const ts = header(headers, 'x-slack-request-timestamp');
    if (value === undefined || ts === undefined) return 'missing';
    if (!DIGITS.test(ts)) return 'malformed';
    // @slack/bolt: split on `=` and take the first two pieces; only v0 is known.
    const parts = value.split('=');
    if (parts[0] !== 'v0' || parts[1] === undefined || parts[1] === '') return 'malformed';
    const window = checkWindow(Number(ts), nowMs, toleranceSec);
    if (window !== 'ok') return window;
    const prefix = `v0:${ts}:`;
    for (const key of keys) if (safeEqual(hmacHex(key, prefix, body), parts[1])) return 'ok';
    return 'mismatch';
  };
}

/**
 * Standard Webhooks (and Svix's own header names): space-separated `v1,<base64>` entries over
 * `<id>.<ts>.<body>`; entries of any other version are ignored, and only-other-versions is refused.
 */
export function standardWebhooksVerifier(keys: readonly KeyObject[], toleranceSec: number | null): Verifier {
  return (headers, body, nowMs) => {
    const id = header(headers, 'webhook-id') ?? header(headers, 'svix-id');
    const ts = header(headers, 'webhook-timestamp') ?? header(headers, 'svix-timestamp');
    const value = header(headers, 'webhook-signature') ?? header(headers, 'svix-signature');
    if (value === undefined || id === undefined || ts === undefined) return 'missing';
    if (!DIGITS.test(ts)) return 'malformed';
    const entries = value.split(' ');
    if (!entries.some((e) => e.startsWith('v1,'))) return 'malformed';
    const t = Number.parseInt(ts, 10);
    const window = checkWindow(t, nowMs, toleranceSec);
    if (window !== 'ok') return window;
    const prefix = `${id}.${t}.`;
    for (const key of keys) {
      const mac = createHmac('sha256', key).update(prefix).update(body).digest('base64');
      const expected = Buffer.from(`v1,${mac}`, 'latin1');
      for (const e of entries) if (safeEqual(expected, e)) return 'ok';
    }
    return 'mismatch';
  };
}

/** Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC of the body>`; no timestamp. */
export function shopifyVerifier(keys: readonly KeyObject[]): Verifier {
  return (headers, body) => {
    const value = header(headers, 'x-shopify-hmac-sha256');
    if (value === undefined) return 'missing';
    if (!BASE64_32.test(value)) return 'malformed';
    for (const key of keys) {
      const expected = Buffer.from(createHmac('sha256', key).update(body).digest('base64'), 'latin1');
      if (safeEqual(expected, value)) return 'ok';
    }
    return 'mismatch';
  };
}

/** Seconds since the epoch, or NaN when the header does not match its declared format. */
export function parseTimestamp(value: string, format: TimestampFormat): number {
  if (format === 'iso') return Date.parse(value) / 1000;
  if (!DIGITS.test(value)) return Number.NaN;
  return format === 'unix_ms' ? Number(value) / 1000 : Number(value);
}

/** Generic HMAC per GenericHmacOptions; tolerance applies when a timestamp header is configured. */
export function genericVerifier(
  keys: readonly KeyObject[],
  options: GenericHmacOptions,
  toleranceSec: number | null,
): Verifier {
  const parts = compileTemplate(options.template ?? '{body}');
  if (templateUses(parts, 'id') && !options.idHeader) {
    throw new UserError(
      'the signature template signs {id} but no id header is named',
      'set provider.generic.idHeader',
    );
  }
  if (templateUses(parts, 'timestamp') && !options.timestampHeader) {
    throw new UserError(
      'the signature template signs {timestamp} but no timestamp header is named',
      'set provider.generic.timestampHeader',
    );
  }
  const sigName = options.signatureHeader.toLowerCase();
  const tsName = options.timestampHeader?.toLowerCase();
  const idName = options.idHeader?.toLowerCase();
  const prefix = options.prefix ?? '';
  const format = options.timestampFormat ?? 'unix';
  return (headers, body, nowMs, target) => {
    const value = header(headers, sigName);
    if (value === undefined) return 'missing';
    if (!value.startsWith(prefix)) return 'malformed';
    const candidate = value.slice(prefix.length);
    const ts = tsName === undefined ? '' : header(headers, tsName);
    if (ts === undefined) return 'missing';
    if (tsName !== undefined) {
      const tsSec = parseTimestamp(ts, format);
      if (Number.isNaN(tsSec)) return 'malformed';
      const window = checkWindow(tsSec, nowMs, toleranceSec);
      if (window !== 'ok') return window;
    }
    const id = idName === undefined ? '' : header(headers, idName);
    if (id === undefined) return 'missing';
    // The reference receiver serves plain http; the URL is rebuilt as the sender wrote it.
    const content = { body, id, timestamp: ts, url: `http://${headers.host ?? ''}${target}` };
    for (const key of keys) {
      const expected = genericSignature(key, options, content, parts).slice(prefix.length);
      if (safeEqual(Buffer.from(expected, 'latin1'), candidate)) return 'ok';
    }
    return 'mismatch';
  };
}

/** The verifier for a provider, with key material prepared once for the current and previous secret. */
export function createVerifier(provider: ProviderConfig): Verifier {
  const secrets = acceptedSecrets(provider);
  const tolerance = provider.toleranceSec;
  switch (provider.scheme) {
    case 'stripe':
      return stripeVerifier(secrets.map(utf8Key), tolerance);
    case 'github':
      return githubVerifier(secrets.map(utf8Key));
    case 'slack':
      return slackVerifier(secrets.map(utf8Key), tolerance);
    case 'standard-webhooks':
      return standardWebhooksVerifier(secrets.map(standardWebhooksKey), tolerance);
    case 'shopify':
      return shopifyVerifier(secrets.map(utf8Key));
    case 'generic-hmac': {
      const options = provider.generic ?? provider.schemeOptions.generic;
      if (!options) {
        throw new UserError(
          'the generic-hmac scheme needs its options',
          'set provider.generic in the scenario',
        );
      }
      return genericVerifier(secrets.map(utf8Key), options, options.timestampHeader ? tolerance : null);
    }
  }
}
