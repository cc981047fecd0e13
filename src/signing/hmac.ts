import { createHmac, createSecretKey, type Hmac, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import type { HmacAlgorithm, SignatureEncoding } from './types.js';

/** A piece of signed content: strings are hashed as UTF-8, bytes as they are. */
export type HmacPart = string | Uint8Array;

/** Digest length in bytes per algorithm (for shapes that need a digest of the wrong length). */
export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha1: 20, sha256: 32, sha512: 64 };

const utf8 = new TextEncoder();

/**
 * Key material as a KeyObject, made once per secret: every signature after that reuses it.
 * An empty key is refused (OpenSSL would accept it, every provider refuses it).
 */
export function secretKey(material: string | Uint8Array): KeyObject {
  const bytes = typeof material === 'string' ? utf8.encode(material) : material;
  if (bytes.length === 0) {
    throw new UserError('the signing secret is empty', 'set provider.secret to the secret the receiver uses');
  }
  return createSecretKey(bytes);
}

function streamed(key: KeyObject, alg: HmacAlgorithm, parts: readonly HmacPart[]): Hmac {
  const h = createHmac(alg, key);
  for (const p of parts) h.update(p);
  return h;
}

/** HMAC over the parts in order, fed to the hash one by one (the body is never copied). */
export function hmac(key: KeyObject, alg: HmacAlgorithm, ...parts: HmacPart[]): Buffer {
  return streamed(key, alg, parts).digest();
}

/** HMAC over the parts in order, encoded by OpenSSL. */
export function hmacParts(
  key: KeyObject,
  alg: HmacAlgorithm,
  encoding: SignatureEncoding,
  parts: readonly HmacPart[],
): string {
  return streamed(key, alg, parts).digest(encoding);
}

/**
 * The hot path of the fixed schemes: a text prefix then the body, encoded. Fixed arity and
 * digest(encoding) on purpose: the rest-parameter form plus Buffer#toString cost about a quarter
 * of the throughput in bench/signing.ts. (An RFC 2104 hand-rolled variant over pads prepared once,
 * with one-shot crypto.hash, measured no faster on Node 20: createHmac on a KeyObject it is.)
 */
export function hmacEncoded(
  key: KeyObject,
  alg: HmacAlgorithm,
  encoding: SignatureEncoding,
  prefix: string,
  body: Uint8Array,
): string {
  const h = createHmac(alg, key);
  if (prefix) h.update(prefix);
  return h.update(body).digest(encoding);
}

export function encodeDigest(digest: Uint8Array, encoding: SignatureEncoding): string {
  return Buffer.from(digest.buffer, digest.byteOffset, digest.byteLength).toString(encoding);
}
