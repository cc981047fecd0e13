/**
 * Every mutation, sent over loopback to the official verifier behind node:http, gets exactly its
 * recorded answer: reject → 401, accept → 200, tolerable → what the library does today (support/pins.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  allMutations,
  MUTATION_NAMES,
  type MutationContext,
  type MutationName,
  mutate,
  stripeKey,
  stripeSignature,
} from '../../src/signing/index.js';
import { eventBody, eventType, nowSec, SCHEME_CASES, SECRETS, verifiersFor } from './support/fixtures.js';
import { startVerifierServer, type VerifierServer } from './support/official.js';
import { expectedStatus } from './support/pins.js';
import { send } from './support/send.js';

/** Mutations that do not apply, per case label (the rest must apply). */
const NOT_APPLICABLE: Record<string, MutationName[]> = {
  stripe: [],
  github: ['stale-timestamp', 'future-timestamp', 'within-tolerance'],
  slack: ['downgrade'],
  'standard-webhooks': [],
  shopify: ['stale-timestamp', 'future-timestamp', 'within-tolerance', 'downgrade'],
  'generic-hmac custom-preset': ['downgrade'],
  'generic-hmac sha512-base64-body-only': [
    'stale-timestamp',
    'future-timestamp',
    'within-tolerance',
    'downgrade',
  ],
  'generic-hmac sha1-iso-url': ['downgrade'],
  'generic-hmac unix-ms': ['downgrade'],
};

for (const c of SCHEME_CASES) {
  const { current, previous } = SECRETS[c.scheme];
  const multi = c.scheme === 'stripe' || c.scheme === 'standard-webhooks';

  describe(`${c.label}: mutations against the official verifier`, () => {
    const servers: Array<{ name: string; server: VerifierServer }> = [];
    beforeAll(async () => {
      // A receiver in the middle of a rotation knows both secrets; multi-signature ones need only the current.
      for (const v of verifiersFor(c, multi ? [current] : [current, previous])) {
        servers.push({ name: v.name, server: await startVerifierServer(v) });
      }
    });
    afterAll(async () => {
      await Promise.all(servers.map(({ server }) => server.close()));
    });

    const ctx = (url: string): MutationContext => ({
      scheme: c.scheme,
      options: c.options,
      secrets: [current],
      input: {
        body: eventBody('evt_mut_1'),
        timestamp: nowSec(),
        id: 'evt_mut_1',
        eventType: eventType(c.scheme),
        url,
      },
      toleranceSec: 300,
      seed: 42,
      previousSecret: previous,
    });

    it('applies exactly the expected mutations, with a reason for the others', () => {
      const all = allMutations(ctx('http://127.0.0.1:1/webhook'));
      const skipped = MUTATION_NAMES.filter((n) => !all[n].applicable);
      expect(skipped).toEqual(NOT_APPLICABLE[c.label]);
      for (const n of skipped) {
        const o = all[n];
        expect(o.applicable ? '' : o.reason, n).toMatch(/\w{3,}/);
      }
    });

    for (const name of MUTATION_NAMES) {
      it(`${name}: the verifier gives the recorded answer`, async () => {
        for (const { name: verifier, server } of servers) {
          const outcome = mutate(name, ctx(server.url));
          if (!outcome.applicable) continue;
          expect(outcome.deliveries.length).toBeGreaterThan(0);
          for (const d of outcome.deliveries) {
            expect(d.note).not.toContain(current);
            expect(d.note).not.toContain(previous);
            const answer = await send(server.url, d.headers, d.body, d.rawSocket);
            expect({ delivery: d.name, status: answer.status, body: answer.body }).toMatchObject({
              delivery: d.name,
              status: expectedStatus(verifier, d),
            });
          }
        }
      });
    }
  });
}

describe('rotation details', () => {
  const input = { body: eventBody('evt_rot'), timestamp: 1_700_000_000, id: 'evt_rot', eventType: 'x' };

  it('single-signature rotation is not applicable without a previous secret, and says why', () => {
    const o = mutate('rotation', { scheme: 'slack', secrets: ['s'], input, toleranceSec: 300, seed: 1 });
    expect(o).toEqual({ applicable: false, reason: expect.stringContaining('previous_secret') });
  });

  it('multi-signature rotation puts the valid entry first, last and in the middle of three', () => {
    const o = mutate('rotation', {
      scheme: 'stripe',
      secrets: [SECRETS.stripe.current],
      input,
      toleranceSec: 300,
      seed: 1,
    });
    if (!o.applicable) throw new Error('rotation should apply to stripe');
    const v1 = stripeSignature(stripeKey(SECRETS.stripe.current), input.timestamp, input.body);
    const positions = o.deliveries.map((d) =>
      d.headers
        .find(([k]) => k === 'Stripe-Signature')![1]
        .split(',')
        .slice(1)
        .indexOf(`v1=${v1}`),
    );
    expect(o.deliveries.map((d) => d.name)).toEqual([
      'rotation-valid-first',
      'rotation-valid-last',
      'rotation-valid-middle',
    ]);
    expect(positions).toEqual([0, 2, 1]);
  });
});
