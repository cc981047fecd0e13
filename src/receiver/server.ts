import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UserError } from '../errors.js';
import type { ProviderConfig } from '../scenario/types.js';
import { createSourceFilter } from './allowlist.js';
import { DedupeStore, EffectCounter } from './dedupe.js';
import { bodyKey, headerKey, normaliseDedupeKey, parseJsonObject, slackChallenge } from './event-id.js';
import {
  ACK,
  BAD_EVENT_ID,
  FORBIDDEN,
  HEALTHY,
  METHOD_NOT_ALLOWED,
  MISSING_ID,
  NOT_FOUND,
  type Prebuilt,
  REJECTIONS,
  send,
  sendJson,
  TOO_LARGE,
} from './responses.js';
import { createVerifier } from './verify.js';

/** Serialisable on purpose: the same options cross the IPC channel to a child receiver. */
export interface ReceiverOptions {
  provider: ProviderConfig;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** Default 25 MB (GitHub's maximum) for every preset, or the preset's maximum if larger. */
  maxBodyBytes?: number;
  dedupeCapacity?: number;
  dedupeTtlMs?: number;
  /** Source addresses or CIDR ranges allowed to deliver; others get 403. Absent: everyone. */
  allowlist?: string[];
}

export interface ReceiverStats {
  /** Webhook POSTs received. */
  requests: number;
  /** Answered 2xx, duplicates included. */
  accepted: number;
  duplicates: number;
  /** Answered 4xx: refused signature, missing id, forbidden source, too large. */
  rejected: number;
}

export interface RunningReceiver {
  /** The webhook URL (`http://127.0.0.1:<port>/webhook`); any path accepts deliveries. */
  url: string;
  /** `http://127.0.0.1:<port>`: the control endpoints hang off it. */
  origin: string;
  port: number;
  /** How many times the work for an event id ran (0 for unknown ids). */
  effects(id: string): number;
  stats(): ReceiverStats;
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 25 * 1024 * 1024;
export const WEBHOOK_PATH = '/webhook';
export const CONTROL_PREFIX = '/__wh-bench/';
const KEEP_ALIVE_MS = 65_000;
const HEADERS_TIMEOUT_MS = 20_000;
/** After a 413, at most this much more is read and thrown away before the socket is cut. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** The probe URL template for the embedded receiver (DESIGN.md, Probes). */
export function effectsUrlTemplate(receiverUrl: string): string {
  return `${new URL(receiverUrl).origin}${CONTROL_PREFIX}effects/{{event.id}}`;
}

/**
 * The reference receiver: verify over the raw bytes, refuse with a fixed 4xx, dedupe atomically,
 * acknowledge at once and do the work on a later tick.
 */
export async function startReceiver(options: ReceiverOptions): Promise<RunningReceiver> {
  const { provider } = options;
  const verify = createVerifier(provider);
  const allowed = createSourceFilter(options.allowlist);
  const maxBody = options.maxBodyBytes ?? Math.max(DEFAULT_MAX_BODY_BYTES, provider.maxPayloadBytes);
  const dedupe = normaliseDedupeKey(provider.dedupe);
  const needsJson = dedupe.location === 'body' || provider.scheme === 'slack';
  const store = new DedupeStore(options.dedupeCapacity, options.dedupeTtlMs);
  const effects = new EffectCounter(options.dedupeCapacity);
  const stats: ReceiverStats = { requests: 0, accepted: 0, duplicates: 0, rejected: 0 };
  // One function for all work, so scheduling it allocates no closure per delivery.
  const work = (id: string): void => effects.increment(id);

  function refuse(res: ServerResponse, r: Prebuilt): void {
    stats.rejected++;
    send(res, r);
  }

  /** Answer 413 at once, then discard what is still coming (bounded) so keep-alive survives. */
  function tooLarge(req: IncomingMessage, res: ServerResponse, alreadyRead: number): void {
    refuse(res, TOO_LARGE);
    let drained = alreadyRead;
    req.removeAllListeners('data');
    req.on('data', (chunk: Buffer) => {
      drained += chunk.length;
      if (drained > maxBody + DRAIN_LIMIT_BYTES) req.socket.destroy();
    });
  }

  function handle(req: IncomingMessage, res: ServerResponse, body: Buffer) {
    const nowMs = Date.now();
    const verdict = verify(req.headers, body, nowMs, req.url ?? '/');
    if (verdict !== 'ok') return refuse(res, REJECTIONS[verdict]);
    // Parsed only now, after the signature held over the raw bytes.
    const obj = needsJson ? parseJsonObject(body) : null;
    if (provider.scheme === 'slack') {
      const challenge = slackChallenge(obj);
      if (challenge !== null) {
        stats.accepted++;
        return sendJson(res, 200, { challenge });
      }
    }
    let id: string | null;
    if (dedupe.location === 'header') {
      id = headerKey(req.headers, dedupe.key);
      if (id === null) return refuse(res, MISSING_ID);
    } else {
      // A signed body without the key (another event shape) is acknowledged; there is nothing to dedupe on.
      id = bodyKey(obj, dedupe.key);
    }
    if (id !== null) {
      // Check-and-set in one synchronous step: concurrent copies cannot both win.
      if (store.claim(id, nowMs)) setImmediate(work, id);
      else stats.duplicates++;
    }
    stats.accepted++;
    send(res, ACK);
  }

  function onWebhook(req: IncomingMessage, res: ServerResponse) {
    stats.requests++;
    if (allowed !== null && !allowed(req.socket.remoteAddress)) return refuse(res, FORBIDDEN);
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBody) return tooLarge(req, res, 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBody) {
        over = true;
        chunks.length = 0;
        tooLarge(req, res, size);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (over) return;
      handle(req, res, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    // A client that gives up mid-body (an aborted attempt) gets no answer and causes no work.
    req.on('error', () => {});
  }

  function onControl(req: IncomingMessage, res: ServerResponse) {
    const target = req.url ?? '/';
    const at = target.indexOf(CONTROL_PREFIX);
    if (at < 0) return send(res, NOT_FOUND);
    const q = target.indexOf('?', at);
    const route = target.slice(at + CONTROL_PREFIX.length, q < 0 ? undefined : q);
    if (route === 'health') return send(res, HEALTHY);
    if (route === 'stats') return sendJson(res, 200, stats);
    if (route.startsWith('effects/')) {
      let id: string;
      try {
        id = decodeURIComponent(route.slice('effects/'.length));
      } catch {
        return send(res, BAD_EVENT_ID);
      }
      return sendJson(res, 200, { count: effects.get(id) });
    }
    send(res, NOT_FOUND);
  }

  const server = createServer(
    { keepAliveTimeout: KEEP_ALIVE_MS, headersTimeout: HEADERS_TIMEOUT_MS, noDelay: true },
    (req, res) => {
      if (req.method === 'POST') return onWebhook(req, res);
      if (req.method === 'GET' || req.method === 'HEAD') return onControl(req, res);
      send(res, METHOD_NOT_ALLOWED);
    },
  );
  // Set on the instance too: the constructor option is not honoured by every Node 20 release.
  server.keepAliveTimeout = KEEP_ALIVE_MS;

  const host = options.host ?? '127.0.0.1';
  const requestedPort = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => reject(listenError(err, host, requestedPort));
    server.once('error', onError);
    server.listen({ host, port: requestedPort }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  const origin = `http://${urlHost(address.address)}:${address.port}`;
  let closing: Promise<void> | null = null;
  return {
    url: origin + WEBHOOK_PATH,
    origin,
    port: address.port,
    effects: (id) => effects.get(id),
    stats: () => ({ ...stats }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        // In-flight requests get a moment to finish, then every socket goes.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      });
      return closing;
    },
  };
}

/** How to reach a bound address from this machine, in URL form. */
function urlHost(address: string): string {
  if (address === '0.0.0.0') return '127.0.0.1';
  if (address === '::') return '[::1]';
  return address.includes(':') ? `[${address}]` : address;
}

function listenError(err: NodeJS.ErrnoException, host: string, port: number): Error {
  switch (err.code) {
    case 'EADDRINUSE':
      return new UserError(
        `${host}:${port} is already in use`,
        'pick another --port, or 0 for any free port',
      );
    case 'EACCES':
      return new UserError(`not allowed to listen on ${host}:${port}`, 'use a port above 1023');
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new UserError(
        `cannot listen on ${host}: not an address of this machine`,
        'use 127.0.0.1 (the default)',
      );
    default:
      return err;
  }
}
