import type { IncomingHttpHeaders } from 'node:http';
import type { DedupeKey } from '../scenario/types.js';

/** The body as a top-level JSON object, or null (not JSON, an array, a scalar). Parsed only after verification. */
export function parseJsonObject(body: Buffer): Record<string, unknown> | null {
  if (body.length === 0) return null;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A top-level field used as the idempotency key; numbers count too (some providers use them). */
export function bodyKey(obj: Record<string, unknown> | null, key: string): string | null {
  const v = obj?.[key];
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function headerKey(headers: IncomingHttpHeaders, lowerName: string): string | null {
  const v = headers[lowerName];
  return typeof v === 'string' && v !== '' ? v : null;
}

/** Slack's endpoint check: a signed `url_verification` event whose `challenge` must be echoed. */
export function slackChallenge(obj: Record<string, unknown> | null): string | null {
  return obj?.['type'] === 'url_verification' && typeof obj['challenge'] === 'string'
    ? obj['challenge']
    : null;
}

/** Header names compare lowercased, as node:http delivers them. */
export function normaliseDedupeKey(key: DedupeKey): DedupeKey {
  return key.location === 'header' ? { location: 'header', key: key.key.toLowerCase() } : key;
}
