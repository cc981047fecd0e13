import type { KeyObject } from 'node:crypto';
import { contentType, requireSecrets } from './common.js';
import { hmacEncoded, secretKey } from './hmac.js';
import type { Header, SchemeOptions, Signer, SignInput } from './types.js';

export const STRIPE_SIGNATURE_HEADER = 'Stripe-Signature';
export const STRIPE_USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

/** Stripe keys on the whole secret string, `whsec_` prefix included, as UTF-8. */
export function stripeKey(secret: string): KeyObject {
  return secretKey(secret);
}

/** The `v1` value: lowercase hex HMAC-SHA256 of `<t>.<raw body>`. */
export function stripeSignature(key: KeyObject, timestamp: number, body: Uint8Array): string {
  return hmacEncoded(key, 'sha256', 'hex', `${timestamp}.`, body);
}

/** `t=<t>,v1=<sig>[,v1=<sig>...]`, no spaces (the official parser does not trim). */
export function stripeHeaderValue(timestamp: number, signatures: readonly string[], version = 'v1'): string {
  let v = `t=${timestamp}`;
  for (const s of signatures) v += `,${version}=${s}`;
  return v;
}

/** Multi-signature: one `v1` entry per secret, in the order given (secrets[0] first). */
export function createStripeSigner(secrets: readonly string[], options: SchemeOptions = {}): Signer {
  const keys = requireSecrets(secrets).map(stripeKey);
  const type = contentType(options);
  return {
    scheme: 'stripe',
    sign(input: SignInput): Header[] {
      const sigs = keys.map((k) => stripeSignature(k, input.timestamp, input.body));
      return [
        ['User-Agent', STRIPE_USER_AGENT],
        ['Accept', '*/*; q=0.5, application/xml'],
        ['Cache-Control', 'no-cache'],
        ['Content-Type', type],
        [STRIPE_SIGNATURE_HEADER, stripeHeaderValue(input.timestamp, sigs)],
      ];
    },
  };
}
