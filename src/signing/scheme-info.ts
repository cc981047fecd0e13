import { compileTemplate, DEFAULT_TEMPLATE, templateUses, validateGenericOptions } from './generic.js';
import { GITHUB_DELIVERY_HEADER, GITHUB_LEGACY_SIGNATURE_HEADER, GITHUB_SIGNATURE_HEADER } from './github.js';
import { SHOPIFY_SIGNATURE_HEADER, SHOPIFY_WEBHOOK_ID_HEADER } from './shopify.js';
import { SLACK_SIGNATURE_HEADER, SLACK_TIMESTAMP_HEADER } from './slack.js';
import {
  STANDARD_ID_HEADER,
  STANDARD_SIGNATURE_HEADER,
  STANDARD_TIMESTAMP_HEADER,
} from './standard-webhooks.js';
import { STRIPE_SIGNATURE_HEADER } from './stripe.js';
import type { SchemeName, SchemeOptions } from './types.js';

/** What checks and the reference receiver need to know about a scheme without signing. */
export interface SchemeInfo {
  scheme: SchemeName;
  /** Every header that carries a signature; the first is the one verifiers read. */
  signatureHeaders: string[];
  /** The header holding the timestamp, or null (Stripe's lives inside its signature header). */
  timestampHeader: string | null;
  /** The header holding the delivery id, or null when the id lives in the body. */
  idHeader: string | null;
  /** Several signatures at once (one per secret): rotation without a second delivery. */
  multiSignature: boolean;
  /** The timestamp is covered by the signature, so a stale one cannot be refreshed by an attacker. */
  signsTimestamp: boolean;
  /** The id is covered by the signature (Standard Webhooks, generic `{id}`). */
  signsId: boolean;
}

export function schemeInfo(scheme: SchemeName, options: SchemeOptions = {}): SchemeInfo {
  switch (scheme) {
    case 'stripe':
      return {
        scheme,
        signatureHeaders: [STRIPE_SIGNATURE_HEADER],
        // `t=` sits inside Stripe-Signature: the header that holds the timestamp is the signature one.
        timestampHeader: STRIPE_SIGNATURE_HEADER,
        idHeader: null,
        multiSignature: true,
        signsTimestamp: true,
        signsId: false,
      };
    case 'github':
      return {
        scheme,
        signatureHeaders: [GITHUB_SIGNATURE_HEADER, GITHUB_LEGACY_SIGNATURE_HEADER],
        timestampHeader: null,
        idHeader: GITHUB_DELIVERY_HEADER,
        multiSignature: false,
        signsTimestamp: false,
        signsId: false,
      };
    case 'slack':
      return {
        scheme,
        signatureHeaders: [SLACK_SIGNATURE_HEADER],
        timestampHeader: SLACK_TIMESTAMP_HEADER,
        idHeader: null,
        multiSignature: false,
        signsTimestamp: true,
        signsId: false,
      };
    case 'standard-webhooks':
      return {
        scheme,
        signatureHeaders: [STANDARD_SIGNATURE_HEADER],
        timestampHeader: STANDARD_TIMESTAMP_HEADER,
        idHeader: STANDARD_ID_HEADER,
        multiSignature: true,
        signsTimestamp: true,
        signsId: true,
      };
    case 'shopify':
      return {
        scheme,
        signatureHeaders: [SHOPIFY_SIGNATURE_HEADER],
        timestampHeader: null,
        idHeader: SHOPIFY_WEBHOOK_ID_HEADER,
        multiSignature: false,
        signsTimestamp: false,
        signsId: false,
      };
    case 'generic-hmac': {
      const g = validateGenericOptions(options.generic);
      const parts = compileTemplate(g.template ?? DEFAULT_TEMPLATE);
      return {
        scheme,
        signatureHeaders: [g.signatureHeader],
        timestampHeader: g.timestampHeader ?? null,
        idHeader: g.idHeader ?? null,
        multiSignature: false,
        // A signed timestamp the receiver cannot read protects nothing: both are needed.
        signsTimestamp: templateUses(parts, 'timestamp') && !!g.timestampHeader,
        signsId: templateUses(parts, 'id') && !!g.idHeader,
      };
    }
  }
}
