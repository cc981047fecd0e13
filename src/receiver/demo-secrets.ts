import type { PresetName } from '../scenario/types.js';

/**
 * Secrets `wh-bench serve` uses when none is given: public demo values, for local trials only.
 * Standard Webhooks needs real base64 after `whsec_`; this one is the spec's published example key.
 */
export const DEMO_SECRETS: Record<PresetName, string> = {
  stripe: 'whsec_demo',
  'standard-webhooks': 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  github: 'demo-secret',
  slack: 'demo-secret',
  shopify: 'demo-secret',
  custom: 'demo-secret',
};
