import type { KeyObject } from 'node:crypto';
import { genericKey } from './generic.js';
import { githubKey } from './github.js';
import { shopifyKey } from './shopify.js';
import { slackKey } from './slack.js';
import { standardKey } from './standard-webhooks.js';
import { stripeKey } from './stripe.js';
import type { SchemeName } from './types.js';

/** The KeyObject a scheme derives from a secret (Standard Webhooks decodes base64; others use UTF-8). */
export function schemeKey(scheme: SchemeName, secret: string): KeyObject {
  switch (scheme) {
    case 'stripe':
      return stripeKey(secret);
    case 'github':
      return githubKey(secret);
    case 'slack':
      return slackKey(secret);
    case 'standard-webhooks':
      return standardKey(secret);
    case 'shopify':
      return shopifyKey(secret);
    case 'generic-hmac':
      return genericKey(secret);
  }
}
