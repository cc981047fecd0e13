import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProbe, ProbeError } from '../../../src/checks/probe.js';

/** Answers by path: /count/<id> the count kept per id, the rest fixed shapes the probe must refuse. */
let server: Server;
let origin = '';
const counts = new Map<string, number>();
const seenHeaders: Array<Record<string, string | string[] | undefined>> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seenHeaders.push(req.headers);
    const [, kind, id = ''] = (req.url ?? '').split('/');
    const send = (status: number, body: string) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    switch (kind) {
      case 'count':
        return send(200, JSON.stringify({ count: counts.get(decodeURIComponent(id)) ?? 0 }));
      case 'nested':
        return send(200, JSON.stringify({ data: { effects: [{ n: '3' }] } }));
      case 'missing':
        return send(404, '{"error":"not found"}');
      case 'html':
        return send(200, '<html>login</html>');
      case 'nocount':
        return send(200, '{"total":1}');
      case 'negative':
        return send(200, '{"count":-1}');
      default:
        return send(500, 'oops');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
});

const probe = (path: string, count = 'count', extra = {}) =>
  createProbe(
    { kind: 'http', url: `${origin}/${path}/{{event.id}}`, path: count, settleMs: 200, windowMs: 60 },
    {
      timeScale: 1,
      ...extra,
    },
  );

describe('the HTTP probe', () => {
  it('reads the count for the event id it is given (URL-encoded into the template)', async () => {
    counts.set('evt_a b', 2);
    const p = probe('count');
    try {
      expect(await p.count('evt_a b')).toBe(2);
      expect(await p.count('evt_unknown')).toBe(0);
    } finally {
      await p.close();
    }
  });

  it('follows a JSON path, and takes a count written as digits in a string', async () => {
    const p = probe('nested', '$.data.effects[0].n');
    try {
      expect(await p.count('x')).toBe(3);
    } finally {
      await p.close();
    }
  });

  it.each([
    ['missing', 'count', /answered 404/],
    ['html', 'count', /not JSON: "<html>login<\/html>"/],
    ['nocount', 'count', /has no count/],
    ['negative', 'count', /is "?-1"?, not a count/],
    ['boom', 'count', /answered 500/],
  ])('fails (a ProbeError) when the probe %s', async (path, count, message) => {
    const p = probe(path, count);
    try {
      await expect(p.count('evt_1')).rejects.toThrow(message);
      await expect(p.count('evt_1')).rejects.toBeInstanceOf(ProbeError);
      // A watch turns the failure into an outcome the check reports as `error`.
      const out = await p.expectOne('evt_1');
      expect(out.ok).toBe(false);
      expect(out.error).toMatch(message);
      expect(out.text).toMatch(/^the probe failed: /);
    } finally {
      await p.close();
    }
  });

  it('fails when nothing listens', async () => {
    const p = createProbe(
      { kind: 'http', url: 'http://127.0.0.1:9/e/{{event.id}}', path: 'count' },
      { timeScale: 1 },
    );
    try {
      await expect(p.count('evt_1')).rejects.toThrow(/could not be read: ECONNREFUSED/);
    } finally {
      await p.close();
    }
  });

  it("sends the target's headers only when the probe is on the target's origin, and masks secrets in messages", async () => {
    const headers: [string, string][] = [['Authorization', 'Bearer sekrit-token-1']];
    const same = probe('count', 'count', { target: { url: `${origin}/webhook`, headers } });
    const other = probe('count', 'count', { target: { url: 'http://127.0.0.1:1/webhook', headers } });
    const masked = createProbe(
      { kind: 'http', url: `${origin}/missing/{{event.id}}?token=sekrit-token-1`, path: 'count' },
      { timeScale: 1, mask: (s) => s.replaceAll('sekrit-token-1', '***') },
    );
    try {
      seenHeaders.length = 0;
      await same.count('a');
      await other.count('b');
      expect(seenHeaders[0]?.['authorization']).toBe('Bearer sekrit-token-1');
      expect(seenHeaders[1]?.['authorization']).toBeUndefined();
      const out = await masked.expectNone('sekrit-token-1');
      expect(out.error).toContain('***');
      expect(JSON.stringify(out)).not.toContain('sekrit-token-1');
      expect(masked.label).not.toContain('token=');
    } finally {
      await Promise.all([same.close(), other.close(), masked.close()]);
    }
  });
});

describe('a probe with a bad JSON path', () => {
  it('fails each read (an error verdict), never the start of a run', async () => {
    const p = createProbe(
      { kind: 'http', url: `${origin}/count/{{event.id}}`, path: 'a b' },
      { timeScale: 1 },
    );
    try {
      await expect(p.count('e')).rejects.toThrow(/JSON path 'a b' is not a path/);
    } finally {
      await p.close();
    }
  });
});
