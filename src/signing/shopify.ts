import type { KeyObject } from 'node:crypto';
import { contentType, requireSecrets } from './common.js';
import { hmacEncoded, secretKey } from './hmac.js';
import type { Header, SchemeOptions, Signer, SignInput } from './types.js';

export const SHOPIFY_SIGNATURE_HEADER = 'X-Shopify-Hmac-Sha256';
export const SHOPIFY_WEBHOOK_ID_HEADER = 'X-Shopify-Webhook-Id';
export const SHOPIFY_TOPIC_HEADER = 'X-Shopify-Topic';
export const SHOPIFY_USER_AGENT = 'Shopify-Captain-Hook';
export const DEFAULT_SHOP_DOMAIN = 'wh-bench-demo.myshopify.com';
export const DEFAULT_API_VERSION = '2025-01';

export function shopifyKey(secret: string): KeyObject {
  return secretKey(secret);
}

/** Base64 HMAC-SHA256 of the raw body alone (no prefix, no timestamp). */
export function shopifySignature(key: KeyObject, body: Uint8Array): string {
  return hmacEncoded(key, 'sha256', 'base64', '', body);
}

/**
 * Single-signature: secrets[0] signs. The triggered-at time is derived from input.timestamp so that
 * sign() stays pure; a retry that keeps the input keeps every header, as Shopify's retries do.
 */
export function createShopifySigner(secrets: readonly string[], options: SchemeOptions = {}): Signer {
  const key = shopifyKey(requireSecrets(secrets)[0]!);
  const type = contentType(options);
  const domain = options.shopDomain ?? DEFAULT_SHOP_DOMAIN;
  const version = options.apiVersion ?? DEFAULT_API_VERSION;
  // Deliveries signed in the same second share the ISO string: a one-entry cache keeps sign() pure.
  let lastTs = Number.NaN;
  let lastIso = '';
  const triggeredAt = (ts: number): string => {
    if (ts !== lastTs) {
      lastTs = ts;
      lastIso = new Date(ts * 1000).toISOString();
    }
    return lastIso;
  };
  return {
    scheme: 'shopify',
    sign(input: SignInput): Header[] {
      return [
        ['Content-Type', type],
        ['User-Agent', SHOPIFY_USER_AGENT],
        ['Accept', '*/*'],
        [SHOPIFY_TOPIC_HEADER, input.eventType],
        [SHOPIFY_SIGNATURE_HEADER, shopifySignature(key, input.body)],
        ['X-Shopify-Shop-Domain', domain],
        ['X-Shopify-API-Version', version],
        [SHOPIFY_WEBHOOK_ID_HEADER, input.id],
        ['X-Shopify-Event-Id', input.eventId ?? input.id],
        ['X-Shopify-Triggered-At', triggeredAt(input.timestamp)],
      ];
    },
  };
}
