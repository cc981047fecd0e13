import { Agent, request } from 'undici';
import type { Header } from '../signing/types.js';
import { asCount, lookup, parseJsonPath } from './probe-path.js';
import { type CountReader, ProbeError } from './probe-types.js';

/** Answer bytes kept from a probe: a count answer is tiny; anything longer is cut. */
const ANSWER_CAP = 64 * 1024;
const EVENT_ID = /\{\{\s*event\.id\s*\}\}/g;

export interface HttpProbeOptions {
  /** URL template holding `{{event.id}}`. */
  url: string;
  /** JSON path to the count (default `count`). */
  path: string;
  timeoutMs: number;
  /** Sent with every probe request (the target's headers, when the probe is on the target's origin). */
  headers?: readonly Header[];
  tls?: { rejectUnauthorized: boolean; ca?: string };
}

/** The template without its query string: what messages show (a query may carry a token). */
export function templateLabel(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : `${url.slice(0, q)}?…`;
}

export function probeUrl(template: string, eventId: string): string {
  return template.replace(EVENT_ID, encodeURIComponent(eventId));
}

const excerpt = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);

/** `GET <template with the id>` answering JSON; the count sits at a JSON path. */
export function httpCountReader(o: HttpProbeOptions): CountReader {
  // A bad path fails each read (the checks report `error`), never the construction of a run.
  const steps = parseJsonPath(o.path);
  const agent = new Agent({
    keepAliveTimeout: 2000,
    connect: {
      timeout: o.timeoutMs,
      ...(o.tls ? { rejectUnauthorized: o.tls.rejectUnauthorized, ca: o.tls.ca } : {}),
    },
  });
  const label = templateLabel(o.url);
  const headers: string[] = [];
  for (const [n, v] of o.headers ?? []) headers.push(n, v);
  headers.push('accept', 'application/json');

  return {
    label: `GET ${label} (${o.path})`,
    async read(eventId) {
      if (steps === null) {
        throw new ProbeError(
          `the probe's JSON path '${o.path}' is not a path`,
          'write e.g. $.count or data.effects',
        );
      }
      const url = probeUrl(o.url, eventId);
      let status: number;
      let text: string;
      try {
        const res = await request(url, {
          method: 'GET',
          headers,
          dispatcher: agent,
          headersTimeout: o.timeoutMs,
          bodyTimeout: o.timeoutMs,
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        status = res.statusCode;
        text = await readCapped(res.body);
      } catch (err) {
        const e = err as { code?: string; name?: string; message?: string };
        const why =
          e.name === 'TimeoutError' ||
          e.code === 'UND_ERR_HEADERS_TIMEOUT' ||
          e.code === 'UND_ERR_BODY_TIMEOUT'
            ? `no answer within ${o.timeoutMs} ms`
            : (e.code ?? e.message ?? String(err));
        throw new ProbeError(
          `the probe ${label} could not be read: ${why}`,
          'check the probe URL answers from this machine',
        );
      }
      if (status < 200 || status > 299) {
        throw new ProbeError(
          `the probe answered ${status} for ${eventId} (${label})`,
          'the probe must answer 200 with a count, also 0 for an event it never saw',
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new ProbeError(
          `the probe's answer for ${eventId} is not JSON: ${excerpt(text)}`,
          'answer e.g. {"count": 1}',
        );
      }
      const found = lookup(json, steps);
      if (!found.found) {
        throw new ProbeError(
          `the probe's answer for ${eventId} has no ${o.path}: ${excerpt(text)}`,
          'set probe.count to the JSON path of the count',
        );
      }
      const n = asCount(found.value);
      if (n === null) {
        throw new ProbeError(
          `${o.path} in the probe's answer for ${eventId} is ${excerpt(JSON.stringify(found.value) ?? 'undefined')}, not a count`,
          'the probe must give the number of times the event was processed',
        );
      }
      return n;
    },
    close: () => agent.close(),
  };
}

async function readCapped(
  body: AsyncIterable<Buffer | Uint8Array> & { destroy?: () => void },
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const b = Buffer.from(chunk);
    if (size + b.length > ANSWER_CAP) {
      chunks.push(b.subarray(0, ANSWER_CAP - size));
      size = ANSWER_CAP;
      body.destroy?.();
      break;
    }
    chunks.push(b);
    size += b.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
