/**
 * Every scheme's output, sent over loopback to a real node:http server, is accepted by the
 * provider's official verifier (both standardwebhooks and svix for Standard Webhooks).
 */
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner } from '../../src/signing/index.js';
import type { SignInput } from '../../src/signing/types.js';
import { eventBody, eventType, nowSec, SCHEME_CASES, SECRETS, verifiersFor } from './support/fixtures.js';
import { startVerifierServer, type VerifierServer } from './support/official.js';
import { send } from './support/send.js';

const utf8 = new TextEncoder();

/** A JSON body of about `bytes` bytes, with some non-ASCII so multi-byte text crosses buffers. */
function bigBody(bytes: number): Uint8Array {
  const unit = 'Grüße 日本語 🎉 ';
  const chunk = unit.repeat(Math.ceil(bytes / Buffer.byteLength(unit)));
  return utf8.encode(JSON.stringify({ id: 'evt_big', object: 'event', blob: chunk }));
}

const BODIES: Array<[string, Uint8Array]> = [
  ['non-ASCII text', eventBody('evt_text', { note: 'Grüße aus Köln, naïve café, 日本語, Ελληνικά' })],
  ['emoji', eventBody('evt_emoji', { note: '🎉👍🏽👨‍👩‍👧 ✓' })],
  [
    'escapes and big numbers left as sent',
    utf8.encode(
      '{"id":"evt_raw","object":"event","url":"https:\\/\\/x.test\\/a","n":12345678901234567890,"s":"\\u00e9"}',
    ),
  ],
  ['empty JSON object', utf8.encode('{}')],
];

for (const c of SCHEME_CASES) {
  const { current, previous } = SECRETS[c.scheme];
  const multi = c.scheme === 'stripe' || c.scheme === 'standard-webhooks';

  describe(`${c.label}: accepted by the official verifier over HTTP`, () => {
    const onlyCurrent: VerifierServer[] = [];
    const onlyPrevious: VerifierServer[] = [];
    beforeAll(async () => {
      for (const v of verifiersFor(c, [current])) onlyCurrent.push(await startVerifierServer(v));
      for (const v of verifiersFor(c, [previous])) onlyPrevious.push(await startVerifierServer(v));
    });
    afterAll(async () => {
      await Promise.all([...onlyCurrent, ...onlyPrevious].map((s) => s.close()));
    });

    const input = (server: VerifierServer, body: Uint8Array, id = 'evt_valid_1'): SignInput => ({
      body,
      timestamp: nowSec(),
      id,
      eventType: eventType(c.scheme),
      url: server.url,
    });

    it('accepts a valid delivery signed with the current secret', async () => {
      const signer = createSigner(c.scheme, [current], c.options);
      for (const server of onlyCurrent) {
        const i = input(server, eventBody('evt_valid_1'));
        const answer = await send(server.url, signer.sign(i), i.body);
        expect(answer, `${server.url}`).toEqual({ status: 200, body: 'accepted' });
      }
    });

    it(
      multi
        ? 'signs with every secret: a receiver knowing either one accepts'
        : 'signs with secrets[0] only: a receiver knowing only the other rejects',
      async () => {
        const signer = createSigner(c.scheme, [current, previous], c.options);
        for (const server of [...onlyCurrent, ...onlyPrevious]) {
          const i = input(server, eventBody('evt_rotating'));
          const answer = await send(server.url, signer.sign(i), i.body);
          const expected = multi || onlyCurrent.includes(server) ? 200 : 401;
          expect(answer.status).toBe(expected);
        }
      },
    );

    for (const [label, body] of BODIES) {
      it(`signs and verifies a body with ${label}`, async () => {
        const signer = createSigner(c.scheme, [current], c.options);
        for (const server of onlyCurrent) {
          const i = input(server, body);
          expect((await send(server.url, signer.sign(i), body)).status).toBe(200);
        }
      });
    }

    it('signs and verifies a 25 MB body', async () => {
      const body = bigBody(25 * 1024 * 1024);
      expect(body.length).toBeGreaterThanOrEqual(25 * 1024 * 1024);
      const signer = createSigner(c.scheme, [current], c.options);
      for (const server of onlyCurrent) {
        const i = input(server, body, 'evt_big');
        expect((await send(server.url, signer.sign(i), body)).status).toBe(200);
      }
    });
  });
}

describe('stripe cross-check', () => {
  it('matches Stripe.webhooks.generateTestHeaderString byte for byte', () => {
    const secret = SECRETS.stripe.current;
    const body = eventBody('evt_cross');
    const timestamp = 1_700_000_123;
    const ours = createSigner('stripe', [secret]).sign({ body, timestamp, id: 'evt_cross', eventType: 'x' });
    const theirs = Stripe.webhooks.generateTestHeaderString({
      payload: Buffer.from(body).toString('utf8'),
      secret,
      timestamp,
    });
    expect(ours.find(([k]) => k === 'Stripe-Signature')?.[1]).toBe(theirs);
  });
});
