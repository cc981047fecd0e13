import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryResult } from '../../src/engine/delivery.js';
import { createDispatcher, type Dispatcher } from '../../src/engine/dispatcher.js';
import { delivery, startServer, type TestServer } from './servers.js';
import { TEST_CERT } from './tls-fixture.js';

let srv: TestServer;
let dispatcher: Dispatcher;
const seen: Array<{
  url: string;
  headers: string[];
  body: string;
  remotePort: number;
  remoteAddress: string;
}> = [];

beforeAll(async () => {
  srv = await startServer((req, res, body) => {
    seen.push({
      url: req.url ?? '',
      headers: req.rawHeaders,
      body: body.toString(),
      remotePort: req.socket.remotePort ?? 0,
      remoteAddress: req.socket.remoteAddress ?? '',
    });
    const path = req.url ?? '/';
    if (path === '/redirect') {
      res.writeHead(302, { Location: '/elsewhere' });
      res.end('moved');
    } else if (path === '/big') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'X-Answer': '42' });
      res.end('x'.repeat(100_000));
    } else if (path.startsWith('/slow/')) {
      const t = setTimeout(() => res.end('late'), Number(path.slice(6)));
      res.on('close', () => clearTimeout(t));
    } else if (path === '/reset') {
      req.socket.destroy();
    } else if (path === '/echo-remote') {
      res.end(req.socket.remoteAddress ?? '');
    } else {
      res.writeHead(201, { 'Content-Type': 'application/json', 'X-Seen': 'yes' });
      res.end('{"ok":true}');
    }
  });
  dispatcher = createDispatcher({ origin: srv.url, connections: 4, timeoutMs: 2000, bodyCapBytes: 1000 });
});

afterAll(async () => {
  await dispatcher.close();
  await srv.close();
});

describe('dispatcher over undici', () => {
  it('captures status, lower-cased headers and body, and the request arrives intact', async () => {
    const r = await dispatcher.sendAsync(
      delivery(`${srv.url}/hook?x=1`, {
        headers: [
          ['Content-Type', 'application/json'],
          ['Stripe-Signature', 't=1,v1=ab'],
        ],
      }),
    );
    expect(r.status).toBe(201);
    expect(r.errorClass).toBeUndefined();
    expect(r.headers).toContainEqual(['x-seen', 'yes']);
    expect(Buffer.from(r.body!).toString()).toBe('{"ok":true}');
    expect(r.bodyTruncated).toBe(false);
    expect(r.correctedUs).toBeGreaterThan(0);
    expect(r.uncorrectedUs).toBeGreaterThan(0);
    expect(r.uncorrectedUs).toBeLessThanOrEqual(r.correctedUs);
    expect(r.endedAt).toBeGreaterThanOrEqual(r.writtenAt);
    const got = seen.find((s) => s.url === '/hook?x=1')!;
    expect(got.body).toBe('{"id":"evt_1"}');
    expect(got.headers).toContain('Stripe-Signature');
    expect(got.headers).toContain('t=1,v1=ab');
    expect(JSON.parse(JSON.stringify(r)).headers).toContainEqual(['x-seen', 'yes']);
  });

  it('keeps the body up to the cap and marks it truncated', async () => {
    const r = await dispatcher.sendAsync(delivery(`${srv.url}/big`));
    expect(r.status).toBe(200);
    expect(r.body!.length).toBe(1000);
    expect(r.bodyTruncated).toBe(true);
    expect(r.headers).toContainEqual(['x-answer', '42']);
  });

  it('never follows a redirect: the 3xx is the result', async () => {
    const before = seen.length;
    const r = await dispatcher.sendAsync(delivery(`${srv.url}/redirect`));
    expect(r.status).toBe(302);
    expect(r.headers).toContainEqual(['location', '/elsewhere']);
    await new Promise((res) => setTimeout(res, 50));
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/redirect']);
  });

  it('classifies a late answer as a timeout recorded at its elapsed time', async () => {
    const d = delivery(`${srv.url}/slow/1500`, { transport: { timeoutMs: 200 } });
    const r = await dispatcher.sendAsync(d);
    expect(r.errorClass).toBe('timeout');
    expect(r.status).toBeUndefined();
    expect(r.correctedUs).toBeGreaterThanOrEqual(195_000);
    expect(r.correctedUs).toBeLessThan(1_000_000);
    expect(r.endedAt - d.intendedAt).toBeGreaterThanOrEqual(195);
  });

  it('classifies a closed port as refused', async () => {
    const closed = await startServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const d = createDispatcher({ origin: url, connections: 1, timeoutMs: 2000, bodyCapBytes: 100 });
    try {
      const r = await d.sendAsync(delivery(`${url}/x`));
      expect(r.errorClass).toBe('refused');
      expect(r.error).toMatch(/refused/);
    } finally {
      await d.close();
    }
  });

  it('classifies a destroyed socket as reset', async () => {
    const r = await dispatcher.sendAsync(delivery(`${srv.url}/reset`));
    expect(r.errorClass).toBe('reset');
    expect(r.status).toBeUndefined();
  });

  it('reuses keep-alive connections, and `fresh` opens a new one each time', async () => {
    const d = createDispatcher({ origin: srv.url, connections: 1, timeoutMs: 2000, bodyCapBytes: 100 });
    try {
      for (let i = 0; i < 3; i++) await d.sendAsync(delivery(`${srv.url}/reuse`));
      for (let i = 0; i < 3; i++)
        await d.sendAsync(delivery(`${srv.url}/fresh`, { transport: { fresh: true } }));
    } finally {
      await d.close();
    }
    const reused = new Set(seen.filter((s) => s.url === '/reuse').map((s) => s.remotePort));
    const fresh = new Set(seen.filter((s) => s.url === '/fresh').map((s) => s.remotePort));
    expect(reused.size).toBe(1);
    expect(fresh.size).toBe(3);
    for (const p of fresh) expect(reused.has(p)).toBe(false);
  });

  it('binds the source address (localAddress 127.0.0.2)', async () => {
    const r = await dispatcher.sendAsync(
      delivery(`${srv.url}/echo-remote`, { transport: { localAddress: '127.0.0.2' } }),
    );
    expect(r.status).toBe(200);
    expect(Buffer.from(r.body!).toString()).toMatch(/127\.0\.0\.2$/);
    const plain = await dispatcher.sendAsync(delivery(`${srv.url}/echo-remote`));
    expect(Buffer.from(plain.body!).toString()).toMatch(/127\.0\.0\.1$/);
  });

  it('aborts a request abortAfterMs after it was written; the server saw it', async () => {
    const srvSaw = seen.length;
    const d = delivery(`${srv.url}/slow/2000`, { transport: { abortAfterMs: 100 } });
    const r = await dispatcher.sendAsync(d);
    expect(r.aborted).toBe(true);
    expect(r.errorClass).toBeUndefined();
    expect(r.status).toBeUndefined();
    expect(r.endedAt - r.writtenAt).toBeGreaterThanOrEqual(95);
    expect(r.endedAt - r.writtenAt).toBeLessThan(1000);
    expect(seen.slice(srvSaw).map((s) => s.url)).toContain('/slow/2000');
  });

  it('delivers to another origin than the configured one', async () => {
    const other = await startServer((_req, res) => res.end('other'));
    try {
      const r = await dispatcher.sendAsync(delivery(`${other.url}/x`));
      expect(r.status).toBe(200);
      expect(Buffer.from(r.body!).toString()).toBe('other');
    } finally {
      await other.close();
    }
  });

  it('counts in-flight deliveries and calls back once per delivery', async () => {
    const results: DeliveryResult[] = [];
    let resolveAll!: () => void;
    const all = new Promise<void>((r) => {
      resolveAll = r;
    });
    for (let i = 0; i < 20; i++) {
      dispatcher.send(delivery(`${srv.url}/count`), (r) => {
        results.push(r);
        if (results.length === 20) resolveAll();
      });
    }
    expect(dispatcher.inflight()).toBe(20);
    await all;
    expect(dispatcher.inflight()).toBe(0);
    expect(results.every((r) => r.status === 201)).toBe(true);
  });
});

describe('raw socket sends', () => {
  it('sends a non-Latin-1 header value and a duplicated header line as written', async () => {
    const r = await dispatcher.sendAsync(
      delivery(`${srv.url}/raw`, {
        headers: [
          ['Content-Type', 'application/json'],
          ['X-Sig', 'v1=aa'],
          ['X-Sig', 'v1=bb'],
          ['X-Name', 'Zoë ✓ 🚀'],
        ],
        transport: { raw: true },
      }),
    );
    expect(r.status).toBe(201);
    expect(Buffer.from(r.body!).toString()).toBe('{"ok":true}');
    expect(r.headers).toContainEqual(['x-seen', 'yes']);
    const got = seen.find((s) => s.url === '/raw')!;
    const pairs: Array<[string, string]> = [];
    for (let i = 0; i < got.headers.length; i += 2) pairs.push([got.headers[i]!, got.headers[i + 1]!]);
    expect(pairs.filter(([n]) => n === 'X-Sig').map(([, v]) => v)).toEqual(['v1=aa', 'v1=bb']);
    // node:http decodes header bytes as latin1: re-encode to compare the UTF-8 bytes sent.
    const name = pairs.find(([n]) => n === 'X-Name')![1];
    expect(Buffer.from(name, 'latin1').toString('utf8')).toBe('Zoë ✓ 🚀');
    expect(got.body).toBe('{"id":"evt_1"}');
  });

  it('parses a chunked response, caps it, and times out on a silent server', async () => {
    const big = await dispatcher.sendAsync(delivery(`${srv.url}/big`, { transport: { raw: true } }));
    expect(big.status).toBe(200);
    expect(big.body!.length).toBe(1000);
    expect(big.bodyTruncated).toBe(true);
    const slow = await dispatcher.sendAsync(
      delivery(`${srv.url}/slow/1500`, { transport: { raw: true, timeoutMs: 150 } }),
    );
    expect(slow.errorClass).toBe('timeout');
    expect(slow.correctedUs).toBeGreaterThanOrEqual(145_000);
  });

  it('aborts a raw request abortAfterMs after it was written', async () => {
    const r = await dispatcher.sendAsync(
      delivery(`${srv.url}/slow/2000`, { transport: { raw: true, abortAfterMs: 80 } }),
    );
    expect(r.aborted).toBe(true);
    expect(r.errorClass).toBeUndefined();
    expect(r.endedAt - r.writtenAt).toBeGreaterThanOrEqual(75);
    expect(r.endedAt - r.writtenAt).toBeLessThan(1000);
  });

  it('binds the source address of a raw socket', async () => {
    const r = await dispatcher.sendAsync(
      delivery(`${srv.url}/echo-remote`, { transport: { raw: true, localAddress: '127.0.0.2' } }),
    );
    expect(Buffer.from(r.body!).toString()).toMatch(/127\.0\.0\.2$/);
  });

  it('classifies refused and reset on raw sockets too', async () => {
    const reset = await dispatcher.sendAsync(delivery(`${srv.url}/reset`, { transport: { raw: true } }));
    expect(reset.errorClass).toBe('reset');
    const closed = await startServer(() => undefined);
    await closed.close();
    const refused = await dispatcher.sendAsync(delivery(`${closed.url}/x`, { transport: { raw: true } }));
    expect(refused.errorClass).toBe('refused');
  });

  it('reports a garbage answer as a protocol error', async () => {
    let sock: Socket | undefined;
    const garbage: NetServer = createNetServer((s) => {
      sock = s;
      s.once('data', () => s.end('NOT HTTP AT ALL\r\n\r\n'));
    });
    await new Promise<void>((r) => garbage.listen(0, '127.0.0.1', r));
    const port = (garbage.address() as { port: number }).port;
    try {
      const raw = await dispatcher.sendAsync(
        delivery(`http://127.0.0.1:${port}/x`, { transport: { raw: true } }),
      );
      expect(raw.errorClass).toBe('protocol');
      const viaUndici = await dispatcher.sendAsync(delivery(`http://127.0.0.1:${port}/x`));
      expect(viaUndici.errorClass).toBe('protocol');
    } finally {
      sock?.destroy();
      await new Promise((r) => garbage.close(r));
    }
  });
});

describe('TLS', () => {
  let tlsSrv: TestServer;
  beforeAll(async () => {
    tlsSrv = await startServer((_req, res) => res.end('secure'), { tls: true });
  });
  afterAll(async () => {
    await tlsSrv.close();
  });

  it('trusts a configured CA, over undici and raw sockets', async () => {
    const d = createDispatcher({
      origin: tlsSrv.url,
      connections: 1,
      timeoutMs: 2000,
      bodyCapBytes: 100,
      tls: { rejectUnauthorized: true, ca: TEST_CERT },
    });
    try {
      const r = await d.sendAsync(delivery(`${tlsSrv.url}/x`));
      expect(r.status).toBe(200);
      expect(Buffer.from(r.body!).toString()).toBe('secure');
      const raw = await d.sendAsync(delivery(`${tlsSrv.url}/x`, { transport: { raw: true } }));
      expect(raw.status).toBe(200);
    } finally {
      await d.close();
    }
  });

  it('classifies an untrusted certificate as tls', async () => {
    const d = createDispatcher({ origin: tlsSrv.url, connections: 1, timeoutMs: 2000, bodyCapBytes: 100 });
    try {
      const r = await d.sendAsync(delivery(`${tlsSrv.url}/x`));
      expect(r.errorClass).toBe('tls');
      const raw = await d.sendAsync(delivery(`${tlsSrv.url}/x`, { transport: { raw: true } }));
      expect(raw.errorClass).toBe('tls');
    } finally {
      await d.close();
    }
  });
});
