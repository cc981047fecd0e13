import type { Header } from '../signing/types.js';

/**
 * Hand-written HTTP/1.1 for header shapes HTTP clients refuse: values go out as UTF-8 bytes (even
 * outside Latin-1) and repeated names stay separate lines, in order. Host, Content-Length and
 * Connection are added only when the delivery does not carry its own.
 */
export function buildRawRequest(
  method: string,
  path: string,
  host: string,
  headers: Header[],
  body: Uint8Array,
): Buffer {
  let hasHost = false;
  let hasLength = false;
  let hasConnection = false;
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [name] of headers) {
    const lower = name.toLowerCase();
    if (lower === 'host') hasHost = true;
    else if (lower === 'content-length' || lower === 'transfer-encoding') hasLength = true;
    else if (lower === 'connection') hasConnection = true;
  }
  if (!hasHost) head += `Host: ${host}\r\n`;
  for (const [name, value] of headers) head += `${name}: ${value}\r\n`;
  if (!hasLength) head += `Content-Length: ${body.length}\r\n`;
  if (!hasConnection) head += 'Connection: close\r\n';
  head += '\r\n';
  return Buffer.concat([Buffer.from(head, 'utf8'), body]);
}

export interface RawResponse {
  status: number;
  statusText: string;
  /** Names lower-cased, values as bytes read (latin1), in order. */
  headers: Header[];
  body: Buffer;
  bodyTruncated: boolean;
}

export type ParseState =
  | { kind: 'more' }
  | { kind: 'done'; response: RawResponse }
  | { kind: 'error'; message: string };

const MAX_HEAD = 64 * 1024;
const CRLFCRLF = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const MORE: ParseState = { kind: 'more' };

type BodyMode = 'length' | 'chunked' | 'close' | 'none';

/** An incremental HTTP/1.1 response parser: status line, headers, then a Content-Length, chunked or read-to-close body. */
export class RawResponseParser {
  private buf: Buffer = Buffer.alloc(0);
  private phase: 'head' | 'body' | 'chunk-size' | 'chunk-data' | 'chunk-crlf' | 'trailers' | 'done' = 'head';
  private status = 0;
  private statusText = '';
  private headers: Header[] = [];
  private mode: BodyMode = 'none';
  private remaining = 0;
  private readonly kept: Buffer[] = [];
  private keptBytes = 0;
  private truncated = false;

  constructor(private readonly bodyCap: number) {}

  /** Whether any byte of a response arrived (an early close is then a broken response, not a reset). */
  get started(): boolean {
    return this.status > 0 || this.buf.length > 0;
  }

  feed(chunk: Buffer): ParseState {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    return this.run();
  }

  /** The peer closed the connection. */
  end(): ParseState {
    if (this.phase === 'body' && this.mode === 'close') return this.finish();
    if (this.phase === 'done') return this.finish();
    return { kind: 'error', message: 'the connection closed before the response was complete' };
  }

  private run(): ParseState {
    for (;;) {
      switch (this.phase) {
        case 'head': {
          const at = this.buf.indexOf(CRLFCRLF);
          if (at < 0) {
            if (this.buf.length > MAX_HEAD) return { kind: 'error', message: 'response head too large' };
            return MORE;
          }
          const err = this.parseHead(this.buf.subarray(0, at).toString('latin1'));
          this.buf = this.buf.subarray(at + 4);
          if (err) return { kind: 'error', message: err };
          if (this.status < 200) {
            // Informational (100 Continue, 103 Early Hints): the real answer follows.
            this.status = 0;
            this.headers = [];
            continue;
          }
          if (this.mode === 'none' || (this.mode === 'length' && this.remaining === 0)) return this.finish();
          this.phase = this.mode === 'chunked' ? 'chunk-size' : 'body';
          continue;
        }
        case 'body': {
          if (this.buf.length === 0) return MORE;
          if (this.mode === 'close') {
            this.keep(this.buf);
            this.buf = Buffer.alloc(0);
            return MORE;
          }
          const take = Math.min(this.remaining, this.buf.length);
          this.keep(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          this.remaining -= take;
          if (this.remaining === 0) return this.finish();
          return MORE;
        }
        case 'chunk-size': {
          const at = this.buf.indexOf(CRLF);
          if (at < 0)
            return this.buf.length > 1024 ? { kind: 'error', message: 'bad chunk size line' } : MORE;
          const line = this.buf.subarray(0, at).toString('latin1');
          this.buf = this.buf.subarray(at + 2);
          const size = Number.parseInt(line.split(';')[0]!.trim(), 16);
          if (!Number.isFinite(size) || size < 0 || !/^[0-9a-fA-F]+$/.test(line.split(';')[0]!.trim())) {
            return { kind: 'error', message: 'bad chunk size' };
          }
          if (size === 0) {
            this.phase = 'trailers';
            continue;
          }
          this.remaining = size;
          this.phase = 'chunk-data';
          continue;
        }
        case 'chunk-data': {
          if (this.buf.length === 0) return MORE;
          const take = Math.min(this.remaining, this.buf.length);
          this.keep(this.buf.subarray(0, take));
          this.buf = this.buf.subarray(take);
          this.remaining -= take;
          if (this.remaining > 0) return MORE;
          this.phase = 'chunk-crlf';
          continue;
        }
        case 'chunk-crlf': {
          if (this.buf.length < 2) return MORE;
          if (this.buf[0] !== 13 || this.buf[1] !== 10)
            return { kind: 'error', message: 'bad chunk terminator' };
          this.buf = this.buf.subarray(2);
          this.phase = 'chunk-size';
          continue;
        }
        case 'trailers': {
          const at = this.buf.indexOf(CRLF);
          if (at < 0)
            return this.buf.length > MAX_HEAD ? { kind: 'error', message: 'trailers too large' } : MORE;
          this.buf = this.buf.subarray(at + 2);
          // An empty line ends the trailers (and the message); trailer fields are ignored.
          if (at === 0) return this.finish();
          continue;
        }
        case 'done':
          return this.finish();
      }
    }
  }

  private parseHead(text: string): string | undefined {
    const lines = text.split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: (.*))?$/.exec(lines[0] ?? '');
    if (!m) return 'malformed status line';
    this.status = Number(m[1]);
    this.statusText = m[2] ?? '';
    let length: number | undefined;
    let chunked = false;
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i]!;
      const colon = line.indexOf(':');
      if (colon <= 0) return 'malformed header line';
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      this.headers.push([name, value]);
      if (name === 'content-length') {
        if (!/^\d+$/.test(value)) return 'bad Content-Length';
        const n = Number(value);
        if (length !== undefined && length !== n) return 'conflicting Content-Length';
        length = n;
      } else if (name === 'transfer-encoding' && /(^|,)\s*chunked\s*$/i.test(value)) {
        chunked = true;
      }
    }
    if (this.status < 200 || this.status === 204 || this.status === 304) this.mode = 'none';
    else if (chunked) this.mode = 'chunked';
    else if (length !== undefined) {
      this.mode = 'length';
      this.remaining = length;
    } else this.mode = 'close';
    return undefined;
  }

  private keep(part: Buffer): void {
    if (this.truncated) return;
    const room = this.bodyCap - this.keptBytes;
    if (part.length > room) {
      this.truncated = true;
      part = part.subarray(0, room);
    }
    if (part.length === 0) return;
    // Copied so a small excerpt does not pin the socket's whole read buffer.
    this.kept.push(Buffer.from(part));
    this.keptBytes += part.length;
  }

  private finish(): ParseState {
    this.phase = 'done';
    return {
      kind: 'done',
      response: {
        status: this.status,
        statusText: this.statusText,
        headers: this.headers,
        body: Buffer.concat(this.kept, this.keptBytes),
        bodyTruncated: this.truncated,
      },
    };
  }
}
