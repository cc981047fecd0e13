import type { KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import { contentType, requireSecrets } from './common.js';
import { hmacEncoded, secretKey } from './hmac.js';
import type { Header, SchemeOptions, Signer, SignInput } from './types.js';

export const STANDARD_ID_HEADER = 'webhook-id';
export const STANDARD_TIMESTAMP_HEADER = 'webhook-timestamp';
export const STANDARD_SIGNATURE_HEADER = 'webhook-signature';
export const STANDARD_USER_AGENT =
  'Svix-Webhooks/1.62.0 (sender-whbench; +https://www.svix.com/http-sender/)';
export const STANDARD_SECRET_PREFIX = 'whsec_';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The key is the base64 part after `whsec_`, decoded. Checked strictly, as the official library
 * decodes strictly: Buffer's lenient decoder would quietly sign with a different key.
 */
export function standardKey(secret: string): KeyObject {
  const b64 = secret.startsWith(STANDARD_SECRET_PREFIX)
    ? secret.slice(STANDARD_SECRET_PREFIX.length)
    : secret;
  if (b64.length === 0 || !BASE64.test(b64)) {
    throw new UserError(
      'a Standard Webhooks secret must be `whsec_` followed by base64',
      'copy the endpoint secret exactly as the provider shows it (e.g. whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw)',
    );
  }
  return secretKey(Buffer.from(b64, 'base64'));
}

/** One `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<raw body>">` entry. */
export function standardSignature(
  key: KeyObject,
  id: string,
  timestamp: number | string,
  body: Uint8Array,
  version = 'v1',
): string {
  return `${version},${hmacEncoded(key, 'sha256', 'base64', `${id}.${timestamp}.`, body)}`;
}

/** Multi-signature: space-separated entries, one per secret, secrets[0] first. */
export function createStandardSigner(secrets: readonly string[], options: SchemeOptions = {}): Signer {
  const keys = requireSecrets(secrets).map(standardKey);
  const type = contentType(options);
  return {
    scheme: 'standard-webhooks',
    sign(input: SignInput): Header[] {
      const ts = String(input.timestamp);
      let sig = '';
      for (const k of keys) sig += (sig ? ' ' : '') + standardSignature(k, input.id, ts, input.body);
      return [
        ['Content-Type', type],
        ['User-Agent', STANDARD_USER_AGENT],
        [STANDARD_ID_HEADER, input.id],
        [STANDARD_TIMESTAMP_HEADER, ts],
        [STANDARD_SIGNATURE_HEADER, sig],
      ];
    },
  };
}
