import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/engine/dispatcher.js';
import { isLoopbackHost, matchesNoProxy, proxyFor, proxySettingsFrom } from '../../src/engine/proxy.js';
import { delivery, startServer, type TestServer } from './servers.js';

describe('proxy settings', () => {
  it('reads upper and lower case variables, lower case first', () => {
    expect(
      proxySettingsFrom({ HTTP_PROXY: 'http://a:1', https_proxy: 'http://b:2', NO_PROXY: 'x.com' }),
    ).toEqual({
      httpProxy: 'http://a:1',
      httpsProxy: 'http://b:2',
      noProxy: 'x.com',
    });
    expect(proxySettingsFrom({ http_proxy: 'http://low:1', HTTP_PROXY: 'http://up:1' }).httpProxy).toBe(
      'http://low:1',
    );
    expect(proxySettingsFrom({ HTTP_PROXY: '  ' })).toEqual({});
  });

  it('never proxies loopback', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', 'api.localhost', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['10.0.0.1', 'example.com', 'localhost.example.com'])
      expect(isLoopbackHost(h)).toBe(false);
    expect(proxyFor(new URL('http://127.0.0.1:8080'), { httpProxy: 'http://p:3128' })).toBeUndefined();
  });

  it('matches NO_PROXY entries: wildcard, domains with subdomains, ports', () => {
    expect(matchesNoProxy('a.example.com', 443, '*')).toBe(true);
    expect(matchesNoProxy('a.example.com', 443, 'example.com')).toBe(true);
    expect(matchesNoProxy('a.example.com', 443, '.example.com')).toBe(true);
    expect(matchesNoProxy('example.com', 443, 'example.com:443')).toBe(true);
    expect(matchesNoProxy('example.com', 8443, 'example.com:443')).toBe(false);
    expect(matchesNoProxy('notexample.com', 443, 'example.com')).toBe(false);
    expect(matchesNoProxy('example.com', 80, 'foo.org, example.com')).toBe(true);
    expect(matchesNoProxy('example.com', 80, undefined)).toBe(false);
  });

  it('picks the scheme proxy, falling back to HTTP_PROXY for https', () => {
    const s = { httpProxy: 'http://h:1', noProxy: 'skip.com' };
    expect(proxyFor(new URL('https://api.example.com'), s)).toBe('http://h:1');
    expect(proxyFor(new URL('https://api.example.com'), { ...s, httpsProxy: 'http://s:2' })).toBe(
      'http://s:2',
    );
    expect(proxyFor(new URL('https://skip.com'), s)).toBeUndefined();
    expect(proxyFor(new URL('http://api.example.com'), {})).toBeUndefined();
  });
});

describe('sending through a proxy from the environment', () => {
  let proxy: Server;
  let proxyUrl: string;
  const proxied: string[] = [];
  let target: TestServer;

  beforeAll(async () => {
    // A loopback "proxy" that answers absolute-form requests itself: nothing leaves the machine.
    proxy = createServer((req, res) => {
      proxied.push(req.url ?? '');
      req.resume();
      req.on('end', () => res.end('via proxy'));
    });
    // undici tunnels through CONNECT; the tunnelled bytes are handed back to the same server.
    proxy.on('connect', (req, socket, head) => {
      proxied.push(`CONNECT ${req.url}`);
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) socket.unshift(head);
      proxy.emit('connection', socket);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    target = await startServer((_req, res) => res.end('direct'));
  });

  afterAll(async () => {
    proxy.closeAllConnections();
    await new Promise((r) => proxy.close(r));
    await target.close();
  });

  it('goes through HTTP_PROXY for a non-loopback origin', async () => {
    const origin = 'http://wh-bench-target.test:8080';
    const d = createDispatcher({
      origin,
      connections: 1,
      timeoutMs: 2000,
      bodyCapBytes: 100,
      env: { HTTP_PROXY: proxyUrl },
    });
    try {
      const r = await d.sendAsync(delivery(`${origin}/hook`));
      expect(r.status).toBe(200);
      expect(Buffer.from(r.body!).toString()).toBe('via proxy');
      expect(proxied).toContain('CONNECT wh-bench-target.test:8080');
      expect(proxied).toContain('/hook');
    } finally {
      await d.close();
    }
  });

  it('goes direct to loopback even with HTTP_PROXY set', async () => {
    const d = createDispatcher({
      origin: target.url,
      connections: 1,
      timeoutMs: 2000,
      bodyCapBytes: 100,
      env: { HTTP_PROXY: proxyUrl },
    });
    try {
      const before = proxied.length;
      const r = await d.sendAsync(delivery(`${target.url}/hook`));
      expect(Buffer.from(r.body!).toString()).toBe('direct');
      expect(proxied.length).toBe(before);
    } finally {
      await d.close();
    }
  });
});
