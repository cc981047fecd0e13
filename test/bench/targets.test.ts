/**
 * The bench's moving parts against real loopback servers: both targets count what they answered,
 * and the peers send what wh-bench sends (a fresh id per request, a Stripe signature the official
 * library accepts).
 */
import { existsSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { autocannonContender } from '../../bench/contenders/autocannon.js';
import type { Contender } from '../../bench/contenders/types.js';
import { undiciLoopContender } from '../../bench/contenders/undici-loop.js';
import { benchScenario } from '../../bench/contenders/wh-bench.js';
import { BENCH_SECRET, bodyText } from '../../bench/payload.js';
import {
  NGINX_BIN,
  startNginxTarget,
  startNodeTarget,
  startTarget,
  type Target,
} from '../../bench/target.js';

function post(url: string, n: number): Promise<void> {
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { method: 'POST', agent: false }, (res) => {
        res.resume();
        res.on('end', () =>
          res.statusCode === 204 ? resolve() : reject(new Error(`status ${res.statusCode}`)),
        );
      });
      req.on('error', reject);
      req.end('{"id":"evt_1"}');
    });
  return Array.from({ length: n }).reduce<Promise<void>>((p) => p.then(one), Promise.resolve());
}

async function countsWhatItAnswered(start: () => Promise<Target>): Promise<void> {
  const t = await start();
  try {
    const before = await t.requests();
    await post(t.url, 7);
    expect((await t.requests()) - before).toBe(7);
  } finally {
    await t.stop();
  }
}

describe('targets', () => {
  it('without nginx: fails when nginx is required (CI), falls back to node:http otherwise', async () => {
    await expect(startTarget({ requireNginx: true, nginxBin: '/nonexistent/nginx' })).rejects.toThrow(
      /required under CI/,
    );
    const t = await startTarget({ requireNginx: false, nginxBin: '/nonexistent/nginx' });
    try {
      expect(t.kind).toBe('node');
      expect(t.label).toContain('fallback');
    } finally {
      await t.stop();
    }
  });
  it('the node fallback answers 204 and counts requests, status reads excluded', async () => {
    await countsWhatItAnswered(startNodeTarget);
  });
  it.skipIf(!existsSync(NGINX_BIN) && process.env.CI !== 'true')(
    'nginx answers 204 and counts requests through stub_status',
    async () => {
      await countsWhatItAnswered(startNginxTarget);
    },
  );
});

/** A receiver verifying every request with the official stripe library, on its own port. */
async function verifyingReceiver() {
  const ids = new Set<string>();
  const counts = { verified: 0, rejected: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        const event = Stripe.webhooks.constructEvent(
          Buffer.concat(chunks),
          String(req.headers['stripe-signature']),
          BENCH_SECRET,
        );
        ids.add(event.id);
        counts.verified++;
        res.writeHead(204).end();
      } catch {
        counts.rejected++;
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    ids,
    counts,
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

describe('the peers sign like wh-bench', () => {
  const cases: Array<[string, () => Contender]> = [
    ['autocannon', autocannonContender],
    ['the bare undici loop', undiciLoopContender],
  ];
  for (const [name, make] of cases) {
    it(`${name}: every request verifies, every id is fresh`, async () => {
      const rx = await verifyingReceiver();
      try {
        const r = await make().run({ url: rx.url, connections: 2, seconds: 1 });
        expect(rx.counts.rejected).toBe(0);
        expect(rx.counts.verified).toBeGreaterThan(10);
        expect(rx.ids.size).toBe(rx.counts.verified);
        // A tool may stop with requests in flight that the receiver saw but the tool never counted.
        expect(r.selfCount).toBeLessThanOrEqual(rx.counts.verified);
        expect(r.selfCount).toBeGreaterThanOrEqual(rx.counts.verified - 2);
        expect(r.failures).toBe(0);
      } finally {
        await rx.close();
      }
    });
  }

  it('wh-bench renders the same body from its scenario', async () => {
    const scenario = await benchScenario('http://127.0.0.1:9/hook');
    expect(scenario.provider.preset).toBe('stripe');
    const body = scenario.events[0]!.template.render({
      eventId: 'evt_abcdefghij_42',
      eventType: 'payment_intent.succeeded',
      seq: 42,
      runId: 'abcdefghij',
      now: 1_700_000_123,
      random: () => 0.5,
    });
    expect(Buffer.from(body).toString('utf8')).toBe(bodyText('evt_abcdefghij_42', 1_700_000_123));
  });
});
