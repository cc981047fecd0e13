import { createHmac, randomUUID } from 'node:crypto';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { Agent, request } from 'undici';
import { DEMO_SECRETS } from '../../src/receiver/demo-secrets.js';
import { PRESETS } from '../../src/scenario/presets.js';
import type { PresetName } from '../../src/scenario/types.js';

/** Signs deliveries the way each provider does, with the official helpers where they exist. */

export const ALL_PRESETS: PresetName[] = [
  'stripe',
  'github',
  'slack',
  'shopify',
  'standard-webhooks',
  'custom',
];

export const SECRET = DEMO_SECRETS;
function secretsNamed(name: string): Record<PresetName, string> {
  return {
    stripe: `whsec_${name}_0123456789abcdef`,
    'standard-webhooks': `whsec_${Buffer.from(`${name} key, 32 bytes long......`.slice(0, 32)).toString('base64')}`,
    github: `${name}-secret`,
    slack: `${name}-secret`,
    shopify: `${name}-secret`,
    custom: `${name}-secret`,
  };
}
/** The secret being rotated out: still accepted by receivers that list it. */
export const PREVIOUS_SECRET = secretsNamed('previous');
/** A secret no receiver accepts. */
export const WRONG_SECRET = secretsNamed('wrong');

export interface Unsigned {
  id: string;
  type: string;
  body: string;
  /** Unix seconds. */
  ts: number;
}

export type Headers = Record<string, string>;

export function nowSec(): number {
  return Math.floor(Date.now() / 1000);
}

let seq = 0;
export function newId(preset: PresetName): string {
  return `${PRESETS[preset].idPrefix}test_${process.pid}_${++seq}_${randomUUID().slice(0, 8)}`;
}

/** A body in the preset's shape, carrying the id where the preset keeps it. */
export function event(
  preset: PresetName,
  opts: { id?: string; type?: string; ts?: number; extra?: string } = {},
): Unsigned {
  const id = opts.id ?? newId(preset);
  const type = opts.type ?? 'test.event';
  const ts = opts.ts ?? nowSec();
  const extra = opts.extra ?? '';
  let body: string;
  if (preset === 'stripe') body = `{"id":"${id}","object":"event","type":"${type}"${extra}}`;
  else if (preset === 'slack')
    body = `{"type":"event_callback","event_id":"${id}","event":{"type":"${type}"}${extra}}`;
  else body = `{"action":"${type}","note":"dedupe key travels in a header"${extra}}`;
  return { id, type, body, ts };
}

function hmac(alg: string, secret: string, content: string, enc: 'hex' | 'base64'): string {
  return createHmac(alg, secret).update(content).digest(enc);
}

/** The headers a real provider sends for this event, signed with `secret`. */
export async function signHeaders(preset: PresetName, e: Unsigned, secret: string): Promise<Headers> {
  const base: Headers = { 'content-type': 'application/json' };
  switch (preset) {
    case 'stripe':
      return {
        ...base,
        'stripe-signature': Stripe.webhooks.generateTestHeaderString({
          payload: e.body,
          secret,
          timestamp: e.ts,
        }),
      };
    case 'github':
      return {
        ...base,
        'x-github-event': e.type,
        'x-github-delivery': e.id,
        'x-hub-signature-256': await githubSign(secret, e.body),
      };
    case 'slack':
      return {
        ...base,
        'x-slack-request-timestamp': String(e.ts),
        'x-slack-signature': `v0=${hmac('sha256', secret, `v0:${e.ts}:${e.body}`, 'hex')}`,
      };
    case 'shopify':
      return {
        ...base,
        'x-shopify-topic': e.type,
        'x-shopify-webhook-id': e.id,
        'x-shopify-hmac-sha256': hmac('sha256', secret, e.body, 'base64'),
      };
    case 'standard-webhooks':
      return {
        ...base,
        'webhook-id': e.id,
        'webhook-timestamp': String(e.ts),
        'webhook-signature': new Webhook(secret).sign(e.id, new Date(e.ts * 1000), e.body),
      };
    case 'custom':
      return {
        ...base,
        'x-webhook-id': e.id,
        'x-timestamp': String(e.ts),
        'x-signature': `sha256=${hmac('sha256', secret, `${e.ts}.${e.body}`, 'hex')}`,
      };
  }
}

/** The header that carries the signature, per preset (for missing and tampered shapes). */
export const SIGNATURE_HEADER: Record<PresetName, string> = {
  stripe: 'stripe-signature',
  github: 'x-hub-signature-256',
  slack: 'x-slack-signature',
  shopify: 'x-shopify-hmac-sha256',
  'standard-webhooks': 'webhook-signature',
  custom: 'x-signature',
};

export interface Answer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export const agent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

export async function post(url: string, headers: Headers, body: string | Buffer): Promise<Answer> {
  const res = await request(url, { method: 'POST', headers, body, dispatcher: agent });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

export async function get(url: string): Promise<Answer> {
  const res = await request(url, { method: 'GET', dispatcher: agent });
  return { status: res.statusCode, body: await res.body.text(), headers: res.headers };
}

/** Polls the effects endpoint until the count settles: async work lands a tick after the ack. */
export async function effectsOf(origin: string, id: string, settleMs = 50): Promise<number> {
  await new Promise((r) => setTimeout(r, settleMs));
  const a = await get(`${origin}/__wh-bench/effects/${encodeURIComponent(id)}`);
  return (JSON.parse(a.body) as { count: number }).count;
}
