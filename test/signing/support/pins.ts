import type { BadDelivery } from '../../../src/signing/index.js';

/**
 * What each official library does today with the deliveries marked `tolerable` (accepting them is
 * fine), keyed `verifier|delivery`. A library upgrade that changes one fails the tests here first.
 */
export const PINNED_TOLERABLE: Record<string, 'accept' | 'reject'> = {
  // PROVIDERS.md: stripe checks the timestamp against the past only; bolt rejects stale ones only.
  'stripe|future-timestamp': 'accept',
  '@slack/bolt|future-timestamp': 'accept',
  // The same leniency: a millisecond timestamp reads as far in the future.
  'stripe|malformed-timestamp-ms': 'accept',
  '@slack/bolt|malformed-timestamp-ms': 'accept',
  // node:http joins the two lines with ", "; stripe splits on "," and standardwebhooks on " ".
  'stripe|malformed-duplicated': 'accept',
  'standardwebhooks|malformed-duplicated': 'accept',
  'svix|malformed-duplicated': 'accept',
  // node:http strips the padding before any verifier sees the value.
  'stripe|malformed-padding-whitespace': 'accept',
  '@octokit/webhooks-methods|malformed-padding-whitespace': 'accept',
  '@slack/bolt|malformed-padding-whitespace': 'accept',
  'standardwebhooks|malformed-padding-whitespace': 'accept',
  'svix|malformed-padding-whitespace': 'accept',
  '@shopify/shopify-api|malformed-padding-whitespace': 'accept',
  'node:crypto reference|malformed-padding-whitespace': 'accept',
};

/** The HTTP status the verifier server must answer for this delivery. */
export function expectedStatus(verifier: string, d: BadDelivery): number {
  if (d.expected === 'accept') return 200;
  if (d.expected === 'reject') return 401;
  const pinned = PINNED_TOLERABLE[`${verifier}|${d.name}`];
  if (!pinned)
    throw new Error(`tolerable ${d.name} for ${verifier} is not pinned: record what the library does`);
  return pinned === 'accept' ? 200 : 401;
}
