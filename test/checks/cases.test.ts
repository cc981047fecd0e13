import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  buildCases,
  type Case,
  type CaseEnv,
  malformedCases,
  mutationCases,
  outOfOrderCases,
  rawBodyCases,
  unknownEventCases,
} from '../../src/checks/cases.js';
import { createDeliveryFactory, RUN_HEADER } from '../../src/run/deliveries.js';
import { loadScenario } from '../../src/scenario/load.js';
import { MUTATION_NAMES } from '../../src/signing/index.js';
import { ROOT } from './support/cli.js';

const SHIPPED = [
  'stripe-like',
  'github-like',
  'slack-like',
  'shopify-like',
  'standard-webhooks',
  'custom-hmac',
];

async function envFor(name: string): Promise<CaseEnv> {
  const scenario = await loadScenario(join(ROOT, 'scenarios', `${name}.yaml`), { env: {} });
  const targetUrl = 'http://127.0.0.1:9/webhook';
  const factory = createDeliveryFactory({ scenario, runId: 'casetest01', targetUrl, seed: 11 });
  return {
    scenario,
    targetUrl,
    seed: 11,
    extraHeaders: factory.extraHeaders,
    valid: (o) => factory.valid(o),
  };
}

function everyCase(env: CaseEnv): Case[] {
  const out: Case[] = [];
  const add = (set: ReturnType<typeof mutationCases>) => {
    if ('cases' in set) out.push(...set.cases);
  };
  for (const m of MUTATION_NAMES) add(mutationCases(env, m, 'x'));
  add(malformedCases(env, 'x'));
  add(rawBodyCases(env, 'x'));
  add(unknownEventCases(env, 'x'));
  return out;
}

describe('conformance cases', () => {
  for (const name of SHIPPED) {
    it(`${name}: every case names a --mutation that rebuilds the same case`, async () => {
      const env = await envFor(name);
      const cases = everyCase(env);
      expect(cases.length).toBeGreaterThan(15);
      for (const c of cases) {
        const again = buildCases(c.mutation, env, 'send');
        expect('cases' in again, c.mutation).toBe(true);
        const rebuilt = (again as { cases: Case[] }).cases.find((x) => x.mutation === c.mutation)!;
        expect(rebuilt, c.mutation).toBeDefined();
        expect(rebuilt.expected, c.mutation).toBe(c.expected);
        // Notes name positions in the body, which depends on the event picked.
        expect(rebuilt.note.replace(/\d+/g, 'N'), c.mutation).toBe(c.note.replace(/\d+/g, 'N'));
        expect(rebuilt.delivery.transport?.raw ?? false, c.mutation).toBe(c.delivery.transport?.raw ?? false);
        // Every delivery carries the run header, and its class is the caller's.
        expect(
          c.delivery.headers.some(([n]) => n === RUN_HEADER),
          c.mutation,
        ).toBe(true);
        expect(c.delivery.class).toBe('x');
        expect(rebuilt.delivery.class).toBe('send');
        // Rejections say what a correct signature would have covered (response.no-leak).
        expect(c.expectedInput !== undefined, c.mutation).toBe(c.expected !== 'accept');
      }
    });
  }

  it('raw-body cases keep the preset id in the body and each is its own event', async () => {
    const env = await envFor('stripe-like');
    const set = rawBodyCases(env, 'x');
    expect('cases' in set).toBe(true);
    const cases = (set as { cases: Case[] }).cases;
    const ids = cases.map((c) => (JSON.parse(Buffer.from(c.delivery.body).toString()) as { id: string }).id);
    expect(ids.every((id, i) => id === cases[i]!.delivery.eventId)).toBe(true);
    expect(new Set(ids).size).toBe(cases.length);
  });

  it('the unknown event type goes where the preset carries types', async () => {
    const github = (unknownEventCases(await envFor('github-like'), 'x') as { cases: Case[] }).cases[0]!;
    expect(github.delivery.headers).toContainEqual(['X-GitHub-Event', 'wh_bench_unknown_event']);
    const shopify = (unknownEventCases(await envFor('shopify-like'), 'x') as { cases: Case[] }).cases[0]!;
    expect(shopify.delivery.headers).toContainEqual(['X-Shopify-Topic', 'wh_bench/unknown_event']);
    const slack = (unknownEventCases(await envFor('slack-like'), 'x') as { cases: Case[] }).cases[0]!;
    expect(JSON.parse(Buffer.from(slack.delivery.body).toString()).event.type).toBe('wh_bench_unknown_event');
  });

  it('out-of-order: two distinct events about one object, the later first', async () => {
    const env = await envFor('stripe-like');
    const [later, earlier] = (outOfOrderCases(env, 'x') as { cases: Case[] }).cases;
    type Event = { id: string; created: number; data: { object: { id: string } } };
    const a = JSON.parse(Buffer.from(later!.delivery.body).toString()) as Event;
    const b = JSON.parse(Buffer.from(earlier!.delivery.body).toString()) as Event;
    expect(a.id).not.toBe(b.id);
    expect(a.id).toBe(later!.delivery.eventId);
    expect(a.created).toBe(b.created + 60);
    expect(a.data.object.id).toBe(b.data.object.id);
  });

  it('skips with a reason where a case cannot apply', async () => {
    expect(mutationCases(await envFor('github-like'), 'stale-timestamp', 'x')).toEqual({
      skip: 'github signs no timestamp: replay protection is the delivery id',
    });
    expect(mutationCases(await envFor('shopify-like'), 'rotation', 'x')).toEqual({
      skip: 'shopify carries one signature: rotation needs previous_secret in the scenario',
    });
    expect(buildCases('source-ip', await envFor('custom-hmac'), 'x')).toEqual({
      skip: 'the scenario names no target.source_address to send from',
    });
  });
});
