/**
 * Properties, judged by the official verifiers over HTTP: a valid delivery is accepted, and
 * changing any one byte of its body or any one character of its signature makes it rejected.
 * The last test shows the acceptance assertion itself fails when a signer corrupts one byte.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSigner, DIGEST_BYTES, schemeInfo } from '../../src/signing/index.js';
import type { Header, SignInput } from '../../src/signing/types.js';
import { eventType, nowSec, SCHEME_CASES, SECRETS, verifiersFor } from './support/fixtures.js';
import { startVerifierServer, type VerifierServer } from './support/official.js';
import { send } from './support/send.js';

type Case = (typeof SCHEME_CASES)[number];
const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Which header holds the signature, and the encoded digest's length and alphabet at its end. */
function digestSpec(c: Case): { header: string; length: number; alphabet: string } {
  const header = schemeInfo(c.scheme, c.options).signatureHeaders[0]!;
  const g = c.options.generic;
  const encoding = g
    ? g.encoding
    : c.scheme === 'standard-webhooks' || c.scheme === 'shopify'
      ? 'base64'
      : 'hex';
  const bytes = g ? DIGEST_BYTES[g.algorithm] : 32;
  return encoding === 'hex'
    ? { header, length: bytes * 2, alphabet: HEX }
    : { header, length: 4 * Math.ceil(bytes / 3), alphabet: B64 };
}

/** Replace the character at `at` (counted from the digest's start) by another of the alphabet. */
function changeDigestChar(headers: Header[], c: Case, at: number, shift: number): Header[] {
  const { header, length, alphabet } = digestSpec(c);
  return headers.map(([k, v]): Header => {
    if (k !== header) return [k, v];
    // Only the data characters: the trailing '=' padding is not part of the alphabet.
    const digest = v.slice(-length);
    const data = digest.replace(/=+$/, '');
    const i = v.length - length + (at % data.length);
    const from = alphabet.indexOf(v[i]!);
    const to = alphabet[(from + 1 + (shift % (alphabet.length - 1))) % alphabet.length]!;
    return [k, v.slice(0, i) + to + v.slice(i + 1)];
  });
}

const bodies = fc
  .record({
    id: fc.string({ minLength: 1, maxLength: 20 }),
    text: fc.string({ unit: 'binary', maxLength: 200 }),
    n: fc.integer(),
  })
  .map((r) => new TextEncoder().encode(JSON.stringify({ object: 'event', ...r })));

const servers = new Map<string, VerifierServer[]>();
beforeAll(async () => {
  for (const c of SCHEME_CASES) {
    const list: VerifierServer[] = [];
    for (const v of verifiersFor(c, [SECRETS[c.scheme].current])) list.push(await startVerifierServer(v));
    servers.set(c.label, list);
  }
});
afterAll(async () => {
  await Promise.all([...servers.values()].flat().map((s) => s.close()));
});

const inputFor = (body: Uint8Array, url: string, scheme: Case['scheme']): SignInput => ({
  body,
  timestamp: nowSec(),
  id: 'evt_prop',
  eventType: eventType(scheme),
  url,
});

/** The assertion the acceptance tests make: the official verifier answers 200. */
async function expectAccepted(server: VerifierServer, headers: Header[], body: Uint8Array): Promise<void> {
  const answer = await send(server.url, headers, body);
  expect(answer.status, answer.body).toBe(200);
}

for (const c of SCHEME_CASES) {
  describe(c.label, () => {
    const signer = createSigner(c.scheme, [SECRETS[c.scheme].current], c.options);

    it('accepted as signed; any one body byte changed is rejected', async () => {
      await fc.assert(
        fc.asyncProperty(bodies, fc.nat(), fc.integer({ min: 1, max: 255 }), async (body, at, xor) => {
          for (const server of servers.get(c.label)!) {
            const input = inputFor(body, server.url, c.scheme);
            const headers = signer.sign(input);
            await expectAccepted(server, headers, body);
            const flipped = Uint8Array.from(body);
            const i = at % body.length;
            flipped[i] = flipped[i]! ^ xor;
            expect((await send(server.url, headers, flipped)).status).toBe(401);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('any one signature character changed is rejected', async () => {
      await fc.assert(
        fc.asyncProperty(bodies, fc.nat(), fc.nat(), async (body, at, shift) => {
          for (const server of servers.get(c.label)!) {
            const headers = changeDigestChar(signer.sign(inputFor(body, server.url, c.scheme)), c, at, shift);
            expect((await send(server.url, headers, body)).status).toBe(401);
          }
        }),
        { numRuns: 40 },
      );
    });

    it('the acceptance assertion fails for a signer that corrupts one signature byte', async () => {
      const server = servers.get(c.label)![0]!;
      const body = new TextEncoder().encode('{"id":"evt_broken","object":"event"}');
      const broken = changeDigestChar(signer.sign(inputFor(body, server.url, c.scheme)), c, 5, 0);
      await expect(expectAccepted(server, broken, body)).rejects.toThrow();
      await expectAccepted(server, signer.sign(inputFor(body, server.url, c.scheme)), body);
    });
  });
}
