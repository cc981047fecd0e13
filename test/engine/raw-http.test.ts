import { describe, expect, it } from 'vitest';
import { buildRawRequest, type ParseState, RawResponseParser } from '../../src/engine/raw-http.js';

const feedAll = (p: RawResponseParser, parts: Buffer[]): ParseState => {
  let s: ParseState = { kind: 'more' };
  for (const part of parts) {
    s = p.feed(part);
    if (s.kind !== 'more') return s;
  }
  return s;
};

/** Every way of cutting `bytes` in two: a parser must not care where reads split. */
const everySplit = (bytes: Buffer): Buffer[][] =>
  Array.from({ length: bytes.length + 1 }, (_, i) => [bytes.subarray(0, i), bytes.subarray(i)]);

describe('buildRawRequest', () => {
  it('writes headers in order, duplicates kept, UTF-8 values, and adds Host, Content-Length, Connection', () => {
    const req = buildRawRequest(
      'POST',
      '/hook?a=1',
      '127.0.0.1:8080',
      [
        ['X-Sig', 'a'],
        ['X-Sig', 'b'],
        ['X-Name', 'é✓'],
      ],
      Buffer.from('{}'),
    );
    expect(req.toString('utf8')).toBe(
      'POST /hook?a=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Sig: a\r\nX-Sig: b\r\nX-Name: é✓\r\n' +
        'Content-Length: 2\r\nConnection: close\r\n\r\n{}',
    );
  });

  it('keeps the delivery’s own Host, Content-Length and Connection', () => {
    const req = buildRawRequest(
      'POST',
      '/',
      'h:1',
      [
        ['host', 'other'],
        ['content-length', '5'],
        ['connection', 'keep-alive'],
      ],
      Buffer.from('{}'),
    ).toString();
    expect(req).toBe(
      'POST / HTTP/1.1\r\nhost: other\r\ncontent-length: 5\r\nconnection: keep-alive\r\n\r\n{}',
    );
  });
});

describe('RawResponseParser', () => {
  it('parses a Content-Length response however the reads split', () => {
    const bytes = Buffer.from('HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-A: b\r\nX-A: c\r\n\r\nhello');
    for (const parts of everySplit(bytes)) {
      const s = feedAll(new RawResponseParser(100), parts);
      expect(s.kind).toBe('done');
      if (s.kind !== 'done') continue;
      expect(s.response.status).toBe(201);
      expect(s.response.statusText).toBe('Created');
      expect(s.response.headers).toEqual([
        ['content-length', '5'],
        ['x-a', 'b'],
        ['x-a', 'c'],
      ]);
      expect(s.response.body.toString()).toBe('hello');
    }
  });

  it('parses a chunked response with extensions and trailers however the reads split', () => {
    const bytes = Buffer.from(
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n',
    );
    for (const parts of everySplit(bytes)) {
      const s = feedAll(new RawResponseParser(100), parts);
      expect(s.kind).toBe('done');
      if (s.kind === 'done') expect(s.response.body.toString()).toBe('hello world');
    }
  });

  it('skips informational responses and caps the kept body', () => {
    const p = new RawResponseParser(4);
    const s = p.feed(
      Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789'),
    );
    expect(s.kind).toBe('done');
    if (s.kind !== 'done') return;
    expect(s.response.status).toBe(200);
    expect(s.response.body.toString()).toBe('0123');
    expect(s.response.bodyTruncated).toBe(true);
  });

  it('reads a body without length until the close, and has none for 204', () => {
    const p = new RawResponseParser(100);
    expect(p.feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart one, ')).kind).toBe('more');
    expect(p.feed(Buffer.from('part two')).kind).toBe('more');
    const s = p.end();
    expect(s.kind === 'done' && s.response.body.toString()).toBe('part one, part two');
    const empty = new RawResponseParser(100).feed(Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'));
    expect(empty.kind === 'done' && empty.response.body.length).toBe(0);
  });

  it('reports malformed responses and early closes', () => {
    expect(new RawResponseParser(10).feed(Buffer.from('HTTP/2 200\r\n\r\n')).kind).toBe('error');
    expect(new RawResponseParser(10).feed(Buffer.from('HTTP/1.1 200 OK\r\nbad\r\n\r\n')).kind).toBe('error');
    expect(
      new RawResponseParser(10).feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n')).kind,
    ).toBe('error');
    expect(
      new RawResponseParser(10).feed(
        Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'),
      ).kind,
    ).toBe('error');
    const cut = new RawResponseParser(10);
    cut.feed(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
    expect(cut.end().kind).toBe('error');
    expect(cut.started).toBe(true);
    expect(new RawResponseParser(10).started).toBe(false);
  });
});
