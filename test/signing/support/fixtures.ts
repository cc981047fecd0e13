import type { GenericHmacOptions, SchemeName, SchemeOptions } from '../../../src/signing/types.js';
import {
  boltVerifier,
  genericReference,
  type OfficialVerifier,
  octokitVerifier,
  shopifyVerifier,
  standardVerifier,
  stripeVerifier,
  svixVerifier,
} from './official.js';

/** Secrets shaped like each provider's (current, previous). Test values only. */
export const SECRETS: Record<SchemeName, { current: string; previous: string }> = {
  stripe: {
    current: 'whsec_testCurrent0123456789abcdefghij',
    previous: 'whsec_testPrevious0123456789abcdefgh',
  },
  github: { current: "It's a Secret to Everybody", previous: 'the old github secret' },
  slack: { current: '8f742231b10e8888abcd99yyyzzz85a5', previous: '0123456789abcdef0123456789abcdef' },
  'standard-webhooks': {
    current: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    previous: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD',
  },
  shopify: {
    current: 'shpss_0123456789abcdef0123456789abcdef',
    previous: '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',
  },
  'generic-hmac': { current: 'generic-current-secret', previous: 'generic-previous-secret' },
};

/** Generic variants: the custom preset's shape, a base64/sha512 one without timestamp, an iso/url one. */
export const GENERIC_VARIANTS: Record<string, GenericHmacOptions> = {
  'custom-preset': {
    signatureHeader: 'X-Signature',
    algorithm: 'sha256',
    encoding: 'hex',
    prefix: 'sha256=',
    timestampHeader: 'X-Timestamp',
    idHeader: 'X-Webhook-Id',
    timestampFormat: 'unix',
    template: '{timestamp}.{body}',
  },
  'sha512-base64-body-only': {
    signatureHeader: 'X-Body-Signature',
    algorithm: 'sha512',
    encoding: 'base64',
  },
  'sha1-iso-url': {
    signatureHeader: 'X-Hook-Signature',
    algorithm: 'sha1',
    encoding: 'hex',
    prefix: 'v1=',
    timestampHeader: 'X-Hook-Time',
    idHeader: 'X-Hook-Id',
    timestampFormat: 'iso',
    template: '{id}:{timestamp}:{url}:{body}',
  },
  'unix-ms': {
    signatureHeader: 'X-Sig',
    algorithm: 'sha256',
    encoding: 'base64',
    timestampHeader: 'X-Sig-Timestamp',
    timestampFormat: 'unix_ms',
    template: '{timestamp}{body}',
  },
};

export interface SchemeCase {
  label: string;
  scheme: SchemeName;
  options: SchemeOptions;
}

export const SCHEME_CASES: SchemeCase[] = [
  { label: 'stripe', scheme: 'stripe', options: {} },
  { label: 'github', scheme: 'github', options: {} },
  { label: 'slack', scheme: 'slack', options: {} },
  { label: 'standard-webhooks', scheme: 'standard-webhooks', options: {} },
  { label: 'shopify', scheme: 'shopify', options: {} },
  ...Object.entries(GENERIC_VARIANTS).map(
    ([name, generic]): SchemeCase => ({
      label: `generic-hmac ${name}`,
      scheme: 'generic-hmac',
      options: { generic },
    }),
  ),
];

/** Every official verifier of the scheme (standard-webhooks has two), knowing the given secrets. */
export function verifiersFor(c: SchemeCase, known: readonly string[]): OfficialVerifier[] {
  switch (c.scheme) {
    case 'stripe':
      return [stripeVerifier(known)];
    case 'github':
      return [octokitVerifier(known)];
    case 'slack':
      return [boltVerifier(known)];
    case 'standard-webhooks':
      return [standardVerifier(known), svixVerifier(known)];
    case 'shopify':
      return [shopifyVerifier(known)];
    case 'generic-hmac':
      return [genericReference(known, c.options.generic!, 300)];
  }
}

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

/** A Stripe-like event body (stripe's constructEvent parses JSON after verifying). */
export function eventBody(id: string, extra: Record<string, unknown> = {}): Uint8Array {
  return new TextEncoder().encode(
    JSON.stringify({ id, object: 'event', type: 'payment_intent.succeeded', created: nowSec(), ...extra }),
  );
}

export function eventType(scheme: SchemeName): string {
  if (scheme === 'shopify') return 'orders/create';
  if (scheme === 'github') return 'issues.opened';
  return 'payment_intent.succeeded';
}
