import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { eventId } from '../../src/events/ids.js';
import { compileTemplate } from '../../src/events/template.js';
import { PRESETS } from '../../src/scenario/presets.js';
import type { PresetName } from '../../src/scenario/types.js';

const fixturesDir = fileURLToPath(new URL('../../scenarios/fixtures/', import.meta.url));
const require = createRequire(import.meta.url);
// ajv-formats is CommonJS: its default export is the plugin, sometimes wrapped once more.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (
  a: Ajv,
) => Ajv;

let seed = 7;
const random = () => {
  seed = (seed * 16807) % 2147483647;
  return seed / 2147483647;
};

/** Renders a fixture as the load would: templates filled, then parsed back. */
function rendered(preset: PresetName, file: string, eventType: string, seq = 12): Record<string, unknown> {
  const { template, issues } = compileTemplate(
    JSON.parse(readFileSync(join(fixturesDir, preset, file), 'utf8')),
  );
  expect(issues).toEqual([]);
  const id = eventId(PRESETS[preset].idPrefix, 'k3j9x2m4pq', seq);
  const body = template.render({ eventId: id, eventType, seq, runId: 'k3j9x2m4pq', now: 1718900000, random });
  return JSON.parse(Buffer.from(body).toString('utf8')) as Record<string, unknown>;
}

const list = (preset: string) => readdirSync(join(fixturesDir, preset)).filter((f) => f.endsWith('.json'));

describe('fixtures', () => {
  it('hold at least 3 payloads per preset', () => {
    for (const p of ['stripe', 'github', 'slack', 'shopify', 'standard-webhooks', 'custom']) {
      expect(list(p).length, p).toBeGreaterThanOrEqual(3);
    }
  });

  it('GitHub payloads validate against @octokit/webhooks-schemas', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(require('@octokit/webhooks-schemas') as object, 'github');
    const definitions: Record<string, [string, string]> = {
      'push.json': ['push', 'push$event'],
      'pull_request.opened.json': ['pull_request', 'pull_request$opened'],
      'issues.opened.json': ['issues', 'issues$opened'],
      'issue_comment.created.json': ['issue_comment', 'issue_comment$created'],
    };
    expect(list('github').sort()).toEqual(Object.keys(definitions).sort());
    for (const [file, [type, def]] of Object.entries(definitions)) {
      const validate = ajv.getSchema(`github#/definitions/${def}`)!;
      const body = rendered('github', file, type);
      expect(validate(body), `${file}: ${JSON.stringify(validate.errors?.slice(0, 5))}`).toBe(true);
    }
    // The schema check can fail: a payload missing a required field is refused.
    const broken = rendered('github', 'push.json', 'push');
    delete broken['repository'];
    expect(ajv.getSchema('github#/definitions/push$event')!(broken)).toBe(false);
  });

  it('Stripe events are event objects carrying the run id', () => {
    for (const f of list('stripe')) {
      const type = f.replace(/\.json$/, '');
      const e = rendered('stripe', f, type);
      expect(e).toMatchObject({
        id: 'evt_k3j9x2m4pq_12',
        object: 'event',
        livemode: false,
        type,
        created: 1718900000,
      });
      expect(e['api_version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect((e['data'] as { object: { object: string } }).object.object).toBeTypeOf('string');
    }
  });

  it('Slack bodies are Events API envelopes', () => {
    for (const f of list('slack')) {
      const type = f.replace(/\.json$/, '');
      const e = rendered('slack', f, type);
      expect(e).toMatchObject({
        type: 'event_callback',
        event_id: 'Evk3j9x2m4pq_12',
        event_time: 1718900000,
      });
      expect(e['team_id']).toMatch(/^T\w+$/);
      expect(e['api_app_id']).toMatch(/^A\w+$/);
      expect((e['event'] as { type: string }).type).toBe(type);
    }
  });

  it('Shopify bodies match their topic', () => {
    const order = rendered('shopify', 'orders-create.json', 'orders/create');
    expect(order).toMatchObject({ order_number: 12, name: '#12', currency: 'USD' });
    expect(order['admin_graphql_api_id']).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(Array.isArray(order['line_items'])).toBe(true);
    const product = rendered('shopify', 'products-update.json', 'products/update');
    expect(product['admin_graphql_api_id']).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
    expect(Array.isArray(product['variants'])).toBe(true);
    const customer = rendered('shopify', 'customers-create.json', 'customers/create');
    expect(customer['admin_graphql_api_id']).toMatch(/^gid:\/\/shopify\/Customer\/\d+$/);
    expect(customer['email']).toContain('@example.com');
  });

  it('Standard Webhooks payloads are {type, timestamp, data}', () => {
    for (const f of list('standard-webhooks')) {
      const type = f.replace(/\.json$/, '');
      const e = rendered('standard-webhooks', f, type);
      expect(Object.keys(e)).toEqual(['type', 'timestamp', 'data']);
      expect(e['type']).toBe(type);
      expect(e['timestamp']).toBe('2024-06-20T16:13:20Z');
    }
  });
});
