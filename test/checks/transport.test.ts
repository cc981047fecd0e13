import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackHost, transportHttps } from '../../src/checks/transport.js';
import type { LoadContext } from '../../src/checks/types.js';
import type { DeliveryResult } from '../../src/engine/delivery.js';
import { checksOf, drained, listen, type Running, zooScenario } from './support/run.js';
import { TEST_CERT, TEST_KEY } from './support/tls.js';

const ok = drained((_req, res) => res.writeHead(200).end('ok'));

describe('transport.tls', () => {
  let modern: Running;
  let legacy: Running;
  beforeAll(async () => {
    modern = await listen(ok, { key: TEST_KEY, cert: TEST_CERT });
    // Still serving TLS 1.0 and 1.1 (with the old ciphers they need).
    legacy = await listen(ok, {
      key: TEST_KEY,
      cert: TEST_CERT,
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
  });
  afterAll(async () => {
    await modern.close();
    await legacy.close();
  });

  it('passes TLS 1.2+ with a trusted certificate, and reports the protocol', async () => {
    const scenario = await zooScenario('stripe.yaml');
    scenario.target.tls = { rejectUnauthorized: true, ca: TEST_CERT };
    const c = (await checksOf({ scenario, target: modern.url })).get('transport.tls')!;
    expect(c.status).toBe('pass');
    expect(c.summary).toMatch(/^TLSv1\.3 with a trusted certificate; TLS 1.0 and 1.1 refused$/);
  });

  it('fails a certificate the client cannot trust, and says why', async () => {
    const scenario = await zooScenario('stripe.yaml');
    // The run itself accepts it (a staging setup), but the check judges it as a provider would.
    scenario.target.tls = { rejectUnauthorized: false };
    const c = (await checksOf({ scenario, target: modern.url })).get('transport.tls')!;
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/the certificate is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/);
    expect(c.evidence[0]?.note).toMatch(/certificate not trusted/);
  });

  it('fails a server that still accepts TLS 1.0/1.1', async () => {
    const scenario = await zooScenario('stripe.yaml');
    scenario.target.tls = { rejectUnauthorized: true, ca: TEST_CERT };
    const c = (await checksOf({ scenario, target: legacy.url })).get('transport.tls')!;
    expect(c.status).toBe('fail');
    expect(c.summary).toMatch(/it still accepts TLSv1(\.1)?: disable TLS 1.0 and 1.1/);
  });

  it('skips an http target', async () => {
    const plain = await listen(ok);
    try {
      const c = (await checksOf({ scenario: await zooScenario('stripe.yaml'), target: plain.url })).get(
        'transport.tls',
      )!;
      expect(c.status).toBe('skip');
      expect(c.summary).toMatch(/http/);
    } finally {
      await plain.close();
    }
  });
});

describe('transport.https', () => {
  const ctxFor = (url: string): LoadContext =>
    ({
      preflight: { delivery: { url } } as DeliveryResult,
      samples: [],
      phases: [],
    }) as unknown as LoadContext;

  it('knows loopback hosts', () => {
    for (const h of ['127.0.0.1', '127.3.2.1', 'localhost', 'api.localhost', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ['10.0.0.1', 'example.com', '128.0.0.1', '::2', 'localhost.example.com']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it('skips loopback, passes https, fails plain http elsewhere (judged from the URL, nothing sent)', () => {
    expect(transportHttps.load!(ctxFor('http://127.0.0.1:3000/webhook')).status).toBe('skip');
    expect(transportHttps.load!(ctxFor('https://hooks.example.com/webhook')).status).toBe('pass');
    const v = transportHttps.load!(ctxFor('http://hooks.example.com/webhook'));
    expect(v.status).toBe('fail');
    expect(v.summary).toMatch(/plain http.*terminate TLS/);
  });

  it('is advisory: a plain-http run warns but does not fail the verdict', async () => {
    expect(transportHttps.requiredFor('stripe')).toBe(false);
  });
});

describe('transport.source-ip', () => {
  it('skips when the scenario names no source address', async () => {
    const plain = await listen(ok);
    try {
      const c = (await checksOf({ scenario: await zooScenario('stripe.yaml'), target: plain.url })).get(
        'transport.source-ip',
      )!;
      expect(c.status).toBe('skip');
      expect(c.summary).toMatch(/source_address/);
    } finally {
      await plain.close();
    }
  });

  it('sends from the named address: a receiver that refuses it passes', async () => {
    const seen: string[] = [];
    const allowlisted = await listen(
      drained((req, res) => {
        seen.push(req.socket.remoteAddress ?? '');
        res.writeHead(req.socket.remoteAddress === '127.0.0.1' ? 200 : 403).end();
      }),
    );
    try {
      const checks = await checksOf({
        scenario: await zooScenario('stripe-allowlist.yaml'),
        target: allowlisted.url,
      });
      expect(checks.get('transport.source-ip')!.status).toBe('pass');
      expect(checks.get('transport.source-ip')!.summary).toMatch(
        /^answered 403 to a correctly signed delivery from 127\.0\.0\.2/,
      );
      expect(seen).toContain('127.0.0.2');
    } finally {
      await allowlisted.close();
    }
  });

  it('cannot judge when the address is not on this machine', async () => {
    const plain = await listen(ok);
    try {
      const scenario = await zooScenario('stripe-allowlist.yaml');
      // TEST-NET-1: never a local address, so the bind fails before anything is sent.
      scenario.target.disallowedSourceAddress = '192.0.2.1';
      const c = (await checksOf({ scenario, target: plain.url })).get('transport.source-ip')!;
      expect(c.status).toBe('error');
      expect(c.summary).toMatch(/could not send from 192\.0\.2\.1/);
    } finally {
      await plain.close();
    }
  });
});
