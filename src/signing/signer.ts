import { createGenericSigner } from './generic.js';
import { createGithubSigner } from './github.js';
import { createShopifySigner } from './shopify.js';
import { createSlackSigner } from './slack.js';
import { createStandardSigner } from './standard-webhooks.js';
import { createStripeSigner } from './stripe.js';
import type { SchemeName, SchemeOptions, Signer } from './types.js';

/**
 * A signer for the scheme, with key material prepared once here. secrets[0] is the current secret;
 * multi-signature schemes (stripe, standard-webhooks) sign with every secret given, the others with
 * secrets[0] only. Throws UserError for a missing or malformed secret or generic option.
 */
export function createSigner(
  scheme: SchemeName,
  secrets: readonly string[],
  options: SchemeOptions = {},
): Signer {
  switch (scheme) {
    case 'stripe':
      return createStripeSigner(secrets, options);
    case 'github':
      return createGithubSigner(secrets, options);
    case 'slack':
      return createSlackSigner(secrets, options);
    case 'standard-webhooks':
      return createStandardSigner(secrets, options);
    case 'shopify':
      return createShopifySigner(secrets, options);
    case 'generic-hmac':
      return createGenericSigner(secrets, options);
  }
}
