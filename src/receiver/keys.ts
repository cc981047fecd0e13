import { createSecretKey, type KeyObject } from 'node:crypto';
import { UserError } from '../errors.js';
import type { ProviderConfig } from '../scenario/types.js';

const WHSEC = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The secrets a receiver accepts: the current one, then the one being rotated out. */
export function acceptedSecrets(provider: Pick<ProviderConfig, 'secret' | 'previousSecret'>): string[] {
  if (!provider.secret) {
    throw new UserError('the receiver has no secret', 'pass --secret or set provider.secret in the scenario');
  }
  return provider.previousSecret ? [provider.secret, provider.previousSecret] : [provider.secret];
}

/** Stripe, GitHub, Slack, Shopify and generic HMAC: the whole secret string as UTF-8. */
export function utf8Key(secret: string): KeyObject {
  return createSecretKey(Buffer.from(secret, 'utf8'));
}

/**
 * Standard Webhooks: strip `whsec_`, then base64-decode. Decoded strictly (Buffer's own decoder
 * skips bad characters), so a mistyped key is reported instead of silently verifying nothing.
 */
export function standardWebhooksKey(secret: string): KeyObject {
  const b64 = secret.startsWith(WHSEC) ? secret.slice(WHSEC.length) : secret;
  if (b64.length === 0 || b64.length % 4 !== 0 || !BASE64.test(b64)) {
    throw new UserError(
      'the Standard Webhooks secret is not valid base64',
      'use the whsec_<base64> key exactly as the provider shows it',
    );
  }
  return createSecretKey(Buffer.from(b64, 'base64'));
}
