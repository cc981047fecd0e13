/** The signing layer: one module per scheme, pure functions, key material prepared once. */

export * from './generic.js';
export * from './github.js';
export {
  DIGEST_BYTES,
  encodeDigest,
  type HmacPart,
  hmac,
  hmacEncoded,
  hmacParts,
  secretKey,
} from './hmac.js';
export * from './keys.js';
export * from './malformed.js';
export * from './mutations.js';
export * from './scheme-info.js';
export * from './shopify.js';
export { createSigner } from './signer.js';
export * from './slack.js';
export * from './standard-webhooks.js';
export * from './stripe.js';
export type * from './types.js';
