import { headerValue } from '../signing/headers.js';
import type { Header } from '../signing/types.js';

/** Shorter runs are too likely to occur by chance in an error body. */
const MIN_FORM = 16;

/** Every spelling of a digest a receiver might echo: hex (both cases), base64, base64url, unpadded. */
export function digestForms(bytes: Uint8Array): string[] {
  const b = Buffer.from(bytes);
  const hex = b.toString('hex');
  const b64 = b.toString('base64');
  return [hex, hex.toUpperCase(), b64, b64.replace(/=+$/, ''), b.toString('base64url')];
}

/** The digests inside signature header values (`t=…,v1=<hex>`, `v1,<base64>`, `sha256=<hex>`). */
export function digestsIn(values: readonly string[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const v of values) {
    for (const hex of v.match(/[0-9a-fA-F]{32,}/g) ?? []) {
      if (hex.length % 2 === 0) out.push(Buffer.from(hex, 'hex'));
    }
    for (const b64 of v.match(/[A-Za-z0-9+/]{24,}={0,2}/g) ?? []) {
      if (/^[0-9a-fA-F]+$/.test(b64)) continue;
      out.push(Buffer.from(b64, 'base64'));
    }
  }
  return out;
}

/** The spellings of the signatures carried by `headers` (only the named signature headers). */
export function signatureForms(headers: readonly Header[], signatureHeaders: readonly string[]): string[] {
  const values = signatureHeaders
    .map((n) => headerValue(headers, n))
    .filter((v): v is string => v !== undefined);
  const forms = new Set<string>();
  for (const d of digestsIn(values)) for (const f of digestForms(d)) if (f.length >= MIN_FORM) forms.add(f);
  return [...forms];
}

export interface Leak {
  form: string;
  kind: 'expected signature' | 'secret';
}

/**
 * The first form found in a response that the request did not already carry (echoing back what the
 * sender wrote reveals nothing), or null.
 */
export function findLeak(
  response: string,
  request: string,
  forms: { signature: readonly string[]; secret: readonly string[] },
): Leak | null {
  for (const form of forms.secret) {
    if (response.includes(form) && !request.includes(form)) return { form, kind: 'secret' };
  }
  for (const form of forms.signature) {
    if (response.includes(form) && !request.includes(form)) return { form, kind: 'expected signature' };
  }
  return null;
}
