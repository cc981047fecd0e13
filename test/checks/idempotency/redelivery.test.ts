import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { retryCopy } from '../../../src/checks/idempotency.js';
import type { ConformanceContext } from '../../../src/checks/types.js';
import type { Delivery } from '../../../src/engine/delivery.js';
import { redelivery } from '../../../src/engine/retry.js';
import { createVerifier } from '../../../src/receiver/verify.js';
import { createDeliveryFactory } from '../../../src/run/deliveries.js';
import { loadZooScenario } from '../../fixtures/zoo-idempotency/run.js';

/** DESIGN.md event-id table: what each preset's retry keeps and changes. */
const CASES = [
  { file: 'stripe.yaml', changes: ['stripe-signature'], adds: [] },
  { file: 'github.yaml', changes: [], adds: [] },
  {
    file: 'slack.yaml',
    changes: ['x-slack-request-timestamp', 'x-slack-signature'],
    adds: ['x-slack-retry-num', 'x-slack-retry-reason'],
  },
  { file: 'shopify.yaml', changes: [], adds: [] },
  { file: 'standard-webhooks.yaml', changes: ['webhook-timestamp', 'webhook-signature'], adds: [] },
  { file: 'custom.yaml', changes: ['x-timestamp', 'x-signature'], adds: [] },
] as const;

const asMap = (d: Delivery) => new Map(d.headers.map(([n, v]) => [n.toLowerCase(), v]));
const nodeHeaders = (d: Delivery): IncomingHttpHeaders => Object.fromEntries(asMap(d));

describe('a retry is the same event, as the preset re-sends it', () => {
  for (const c of CASES) {
    it(c.file.replace('.yaml', ''), async () => {
      const scenario = await loadZooScenario(c.file, { ZOO_EFFECTS_LOG: '/dev/null' });
      const factory = createDeliveryFactory({
        scenario,
        runId: 'rtest',
        targetUrl: 'http://127.0.0.1:1/webhook',
        seed: 1,
      });
      const p = factory.valid({ class: 'test', timestamp: Math.floor(Date.now() / 1000) - 7 });
      const ctx = {
        provider: scenario.provider,
        signWith: factory.signWith,
      } as unknown as ConformanceContext;
      const retry = retryCopy(ctx, p, 2);
      expect(retry.attempt).toBe(2);
      expect(retry.eventId).toBe(p.delivery.eventId);
      expect(Buffer.from(retry.body).equals(Buffer.from(p.delivery.body))).toBe(true);
      const before = asMap(p.delivery);
      const after = asMap(retry);
      const changed = [...after.keys()].filter((k) => before.has(k) && before.get(k) !== after.get(k)).sort();
      const added = [...after.keys()].filter((k) => !before.has(k)).sort();
      expect(changed).toEqual([...c.changes].sort());
      expect(added).toEqual([...c.adds].sort());
      if (c.file === 'slack.yaml') expect(after.get('x-slack-retry-num')).toBe('1');
      // Both verify with the reference receiver's verifier: the retry is a valid delivery.
      const verify = createVerifier(scenario.provider);
      for (const d of [p.delivery, retry]) {
        expect(verify(nodeHeaders(d), Buffer.from(d.body), Date.now(), '/webhook')).toBe('ok');
      }
    });
  }

  it('a retry of a retry replaces the retry headers instead of repeating them', async () => {
    const scenario = await loadZooScenario('slack.yaml');
    const factory = createDeliveryFactory({
      scenario,
      runId: 'rtest',
      targetUrl: 'http://127.0.0.1:1/webhook',
      seed: 1,
    });
    const p = factory.valid({ class: 'test' });
    const resign = (d: Delivery, ts: number) =>
      factory.signWith([scenario.provider.secret], d.body, d.eventId, p.eventType, ts);
    const second = redelivery(p.delivery, {
      attempt: 2,
      behaviour: scenario.provider.retry,
      resign,
      intendedAt: 0,
    });
    const third = redelivery(
      { ...second, transport: { fresh: true } },
      { attempt: 3, behaviour: scenario.provider.retry, resign, intendedAt: 0 },
    );
    expect(third.headers.filter(([n]) => n === 'X-Slack-Retry-Num')).toEqual([['X-Slack-Retry-Num', '2']]);
    expect(third.transport).toBeUndefined();
  });
});
