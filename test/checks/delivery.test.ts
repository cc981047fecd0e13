import { describe, expect, it } from 'vitest';
import { laterBody } from '../../src/checks/cases.js';
import { run } from '../../src/run/run.js';
import { checksOf, drained, listen, zooScenario } from './support/run.js';

describe('delivery.no-redirect', () => {
  it('judges every conformance answer, not only the preflight', async () => {
    // Valid-looking deliveries are acknowledged; an unknown event type is redirected elsewhere.
    const server = await listen(
      drained((_req, res, body) => {
        if (body.includes('wh_bench.unknown_event')) res.writeHead(302, { location: '/elsewhere' }).end();
        else res.writeHead(200).end();
      }),
    );
    try {
      const checks = await checksOf({ scenario: await zooScenario('stripe.yaml'), target: server.url });
      const c = checks.get('delivery.no-redirect')!;
      expect(c.status).toBe('fail');
      expect(c.summary).toMatch(
        /^1 of \d+ deliveries were answered with a redirect \(302 ×1\) to "\/elsewhere"; providers treat a 3xx as a failure/,
      );
      expect(c.evidence[0]?.response?.status).toBe(302);
      expect(c.evidence[0]?.request?.bodyExcerpt).toContain('wh_bench.unknown_event');
      expect(checks.get('delivery.unknown-event')!.status).toBe('fail');
    } finally {
      await server.close();
    }
  });

  it('is advisory for Slack, which follows up to two redirects', async () => {
    const server = await listen(
      drained((_req, res, body) =>
        res.writeHead(body.includes('wh_bench_unknown_event') ? 307 : 200, { location: '/x' }).end(),
      ),
    );
    try {
      const checks = await checksOf({ scenario: await zooScenario('slack.yaml'), target: server.url });
      expect(checks.get('delivery.no-redirect')!.status).toBe('warn');
      expect(checks.get('delivery.no-redirect')!.required).toBe(false);
    } finally {
      await server.close();
    }
  });
});

describe('delivery.payload-size', () => {
  it('judges a receiver that answers 413 and closes before the body is written by its status', async () => {
    const limit = 100 * 1024;
    const server = await listen((req, res) => {
      if (Number(req.headers['content-length']) > limit) {
        // Answer at once and cut the connection while the client is still writing.
        res.writeHead(413, { connection: 'close' }).end('too large', () => req.socket.destroy());
        return;
      }
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    try {
      const scenario = await zooScenario('github-large.yaml');
      const c = (await checksOf({ scenario, target: server.url })).get('delivery.payload-size')!;
      expect(c.status).toBe('fail');
      expect(c.summary).toMatch(
        /^accepted bodies up to 64 KiB but answered 413 to a 100 KiB \+ 1 byte body; the provider sends up to 2 MiB/,
      );
      expect(c.evidence[0]?.sendArgs).toEqual([
        '--mutation',
        'payload-size:102401',
        '--event',
        expect.any(String),
      ]);
      expect(c.evidence[0]?.request?.bodyBytes).toBe(102401);
    } finally {
      await server.close();
    }
  });

  it('honours a configured maximum and reports the largest accepted size', async () => {
    const server = await listen(drained((_req, res) => res.writeHead(204).end()));
    try {
      const scenario = await zooScenario('github.yaml');
      scenario.checks['delivery.payload-size'] = { max: 120_000 };
      const c = (await checksOf({ scenario, target: server.url })).get('delivery.payload-size')!;
      expect(c.status).toBe('pass');
      expect(c.summary).toBe(
        'accepted every size up to 120000 bytes (tried 64 KiB, 100 KiB + 1 byte, 120000 bytes)',
      );
    } finally {
      await server.close();
    }
  });
});

describe('delivery.out-of-order', () => {
  it('writes the later event: new id, times moved on, everything else kept', () => {
    const text =
      '{"id":"evt_r_1","created":1718000000,"data":{"object":{"id":"pi_1"}},"updated_at":"2024-06-10T06:13:20Z","n":1718000000}';
    const later = JSON.parse(laterBody(text, 'evt_r_1', 'evt_r_2')) as Record<string, unknown>;
    expect(later).toEqual({
      id: 'evt_r_2',
      created: 1718000060,
      data: { object: { id: 'pi_1' } },
      updated_at: '2024-06-10T06:14:20.000Z',
      n: 1718000000,
    });
  });

  it('sends the later event first; both must be acknowledged', async () => {
    const order: string[] = [];
    const server = await listen(
      drained((_req, res, body) => {
        const obj = JSON.parse(body.toString()) as { id: string; created: number };
        order.push(`${obj.id}@${obj.created}`);
        res.writeHead(200).end();
      }),
    );
    try {
      const checks = await checksOf({ scenario: await zooScenario('stripe.yaml'), target: server.url });
      expect(checks.get('delivery.out-of-order')!.status).toBe('pass');
      expect(checks.get('delivery.out-of-order')!.summary).toMatch(/^all 2 answered 2xx/);
    } finally {
      await server.close();
    }
  });
});

describe('conformance.during_load', () => {
  it('runs the conformance checks while the load runs, and both are judged', async () => {
    // Padded (payload-size) deliveries are answered slowly: load deliveries arrive in between only
    // when both stages run at once.
    const arrivals: Array<'padded' | 'other'> = [];
    const server = await listen(
      drained((_req, res, body) => {
        const padded = body.includes('wh_bench_padding');
        arrivals.push(padded ? 'padded' : 'other');
        setTimeout(() => res.writeHead(200).end(), padded ? 60 : 0);
      }),
    );
    try {
      const scenario = await zooScenario('custom.yaml');
      scenario.conformance.duringLoad = true;
      const { result } = await run({
        scenario,
        target: server.url,
        durationMs: 1500,
        rate: 50,
        timeScale: 0.01,
        seed: 3,
      });
      const byId = new Map(result.checks.map((c) => [c.id, c]));
      expect(byId.get('signature.tampered-body')!.status).toBe('fail');
      expect(byId.get('delivery.payload-size')!.status).toBe('pass');
      expect(byId.get('ack.errors')!.status).toBe('pass');
      const first = arrivals.indexOf('padded');
      const last = arrivals.lastIndexOf('padded');
      expect(arrivals.slice(first, last).filter((a) => a === 'other').length).toBeGreaterThan(0);
      // Conformance deliveries never land in the load's counts.
      const counted = Object.values(result.phases[0]!.statusCounts).reduce((a, b) => a + b, 0);
      expect(counted).toBe(result.phases[0]!.sent);
      expect(arrivals.length).toBeGreaterThan(counted + 20);
    } finally {
      await server.close();
    }
  });

  it('keeps the default order otherwise: no load delivery arrives during the conformance checks', async () => {
    const arrivals: Array<'padded' | 'other'> = [];
    const server = await listen(
      drained((_req, res, body) => {
        const padded = body.includes('wh_bench_padding');
        arrivals.push(padded ? 'padded' : 'other');
        setTimeout(() => res.writeHead(200).end(), padded ? 60 : 0);
      }),
    );
    try {
      await run({
        scenario: await zooScenario('custom.yaml'),
        target: server.url,
        durationMs: 300,
        rate: 50,
        timeScale: 0.01,
        seed: 3,
      });
      const first = arrivals.indexOf('padded');
      const last = arrivals.lastIndexOf('padded');
      expect(arrivals.slice(first, last + 1).every((a) => a === 'padded')).toBe(true);
    } finally {
      await server.close();
    }
  });
});
