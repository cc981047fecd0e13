import type { PresetName, ProviderConfig } from './types.js';

/** A preset is a ProviderConfig without the user's secrets. Facts from shared/PROVIDERS.md. */
export type Preset = Omit<ProviderConfig, 'secret' | 'previousSecret'>;

const MIN = 60_000;
const HOUR = 60 * MIN;
const MB = 1024 * 1024;

export const PRESETS: Record<PresetName, Preset> = {
  stripe: {
    preset: 'stripe',
    scheme: 'stripe',
    schemeOptions: {},
    toleranceSec: 300,
    // Not published; 30 s is what Stripe's CLI forwarder waits.
    ackTimeoutMs: 30_000,
    // Live mode retries for up to 3 days with exponential backoff.
    retryScheduleMs: [MIN, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR, 24 * HOUR, 24 * HOUR],
    maxPayloadBytes: 1 * MB,
    dedupe: { location: 'body', key: 'id' },
    retry: { resign: true, retryHeaders: [], automatic: true },
    idPrefix: 'evt_',
    multiSignature: true,
    followsRedirects: 0,
  },
  github: {
    preset: 'github',
    scheme: 'github',
    schemeOptions: {},
    toleranceSec: null,
    ackTimeoutMs: 10_000,
    retryScheduleMs: [],
    maxPayloadBytes: 25 * MB,
    dedupe: { location: 'header', key: 'X-GitHub-Delivery' },
    // Manual redelivery keeps everything, delivery id included.
    retry: { resign: false, retryHeaders: [], automatic: false },
    idPrefix: 'gh_',
    multiSignature: false,
    followsRedirects: 0,
  },
  slack: {
    preset: 'slack',
    scheme: 'slack',
    schemeOptions: {},
    toleranceSec: 300,
    ackTimeoutMs: 3_000,
    retryScheduleMs: [0, MIN, 5 * MIN],
    maxPayloadBytes: 1 * MB,
    dedupe: { location: 'body', key: 'event_id' },
    retry: {
      resign: true,
      retryHeaders: [
        ['X-Slack-Retry-Num', '{n}'],
        ['X-Slack-Retry-Reason', 'http_timeout'],
      ],
      automatic: true,
    },
    idPrefix: 'Ev',
    multiSignature: false,
    followsRedirects: 2,
  },
  shopify: {
    preset: 'shopify',
    scheme: 'shopify',
    schemeOptions: { shopDomain: 'wh-bench-demo.myshopify.com', apiVersion: '2025-01' },
    toleranceSec: null,
    ackTimeoutMs: 5_000,
    // 8 retries over about 4 hours, exponential.
    retryScheduleMs: [MIN, 2 * MIN, 4 * MIN, 8 * MIN, 16 * MIN, 32 * MIN, 64 * MIN, 128 * MIN],
    maxPayloadBytes: 1 * MB,
    dedupe: { location: 'header', key: 'X-Shopify-Webhook-Id' },
    // Retries carry the original payload and HMAC.
    retry: { resign: false, retryHeaders: [], automatic: true },
    idPrefix: 'shw_',
    multiSignature: false,
    followsRedirects: 0,
  },
  'standard-webhooks': {
    preset: 'standard-webhooks',
    scheme: 'standard-webhooks',
    schemeOptions: {},
    toleranceSec: 300,
    ackTimeoutMs: 15_000,
    retryScheduleMs: [0, 5_000, 5 * MIN, 30 * MIN, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR],
    maxPayloadBytes: 1 * MB,
    dedupe: { location: 'header', key: 'webhook-id' },
    retry: { resign: true, retryHeaders: [], automatic: true },
    idPrefix: 'msg_',
    multiSignature: true,
    followsRedirects: 0,
  },
  custom: {
    preset: 'custom',
    scheme: 'generic-hmac',
    schemeOptions: {},
    generic: {
      signatureHeader: 'X-Signature',
      algorithm: 'sha256',
      encoding: 'hex',
      prefix: 'sha256=',
      timestampHeader: 'X-Timestamp',
      idHeader: 'X-Webhook-Id',
      timestampFormat: 'unix',
      template: '{timestamp}.{body}',
    },
    toleranceSec: 300,
    ackTimeoutMs: 10_000,
    retryScheduleMs: [0, 30_000, 5 * MIN, 30 * MIN, 2 * HOUR],
    maxPayloadBytes: 1 * MB,
    dedupe: { location: 'header', key: 'X-Webhook-Id' },
    retry: { resign: true, retryHeaders: [], automatic: true },
    idPrefix: 'evt_',
    multiSignature: false,
    followsRedirects: 0,
  },
};

export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The preset merged with the user's secrets; field-by-field overrides are applied by the loader. */
export function providerFromPreset(
  name: PresetName,
  secret: string,
  previousSecret: string | null = null,
): ProviderConfig {
  const p = PRESETS[name];
  return structuredClone({ ...p, secret, previousSecret });
}
