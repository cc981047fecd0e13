import type { ServerResponse } from 'node:http';
import type { Verdict } from './verify.js';

/** A response rendered once at start-up: the hot path only writes these buffers. */
export interface Prebuilt {
  status: number;
  headers: string[];
  body: Buffer;
}

export function prebuilt(status: number, value: unknown, extraHeaders: string[] = []): Prebuilt {
  const body = Buffer.from(JSON.stringify(value));
  return {
    status,
    headers: ['Content-Type', 'application/json', 'Content-Length', String(body.length), ...extraHeaders],
    body,
  };
}

export function send(res: ServerResponse, r: Prebuilt): void {
  res.writeHead(r.status, r.headers);
  res.end(r.body);
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, prebuilt(status, value));
}

export const ACK = prebuilt(200, { ok: true });
export const HEALTHY = prebuilt(200, { ok: true });
export const FORBIDDEN = prebuilt(403, { error: 'source address not allowed' });
export const NOT_FOUND = prebuilt(404, { error: 'not found' });
export const METHOD_NOT_ALLOWED = prebuilt(405, { error: 'method not allowed' }, ['Allow', 'POST, GET']);
export const TOO_LARGE = prebuilt(413, { error: 'payload too large' });
export const MISSING_ID = prebuilt(400, { error: 'missing delivery id' });
export const BAD_EVENT_ID = prebuilt(400, { error: 'bad event id' });

/**
 * Short, fixed bodies for every refusal. They never carry the expected signature, the secret or the
 * received header: whatever a client sends, the answer is one of these constants.
 */
export const REJECTIONS: Record<Exclude<Verdict, 'ok'>, Prebuilt> = {
  missing: prebuilt(400, { error: 'missing signature' }),
  malformed: prebuilt(400, { error: 'malformed signature header' }),
  mismatch: prebuilt(401, { error: 'invalid signature' }),
  stale: prebuilt(401, { error: 'timestamp outside tolerance' }),
  future: prebuilt(401, { error: 'timestamp outside tolerance' }),
};
