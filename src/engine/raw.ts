import { isIP, connect as netConnect, type Socket } from 'node:net';
import { type ConnectionOptions, connect as tlsConnect } from 'node:tls';
import { arriveFailed, arriveReady } from './barrier.js';
import { classifyError } from './classify.js';
import type { Delivery, DeliveryResult, ErrorClass } from './delivery.js';
import { buildRawRequest, type ParseState, RawResponseParser } from './raw-http.js';

export interface RawSendOptions {
  timeoutMs: number;
  bodyCapBytes: number;
  tls?: { rejectUnauthorized: boolean; ca?: string };
}

/** Bytes held back until a barrier releases: the request is complete only when they arrive. */
const HOLD_BACK = 1;

/**
 * One delivery over its own node:net (or node:tls) socket with hand-written HTTP/1.1: for header
 * shapes undici refuses, and for write barriers, where we must control exactly when the last byte
 * leaves. Not a hot path: one socket and a few closures per delivery are fine here.
 */
export function sendRaw(
  d: Delivery,
  o: RawSendOptions,
  startedAt: number,
  cb: (r: DeliveryResult) => void,
): void {
  const url = new URL(d.url);
  const https = url.protocol === 'https:';
  const port = Number(url.port) || (https ? 443 : 80);
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  const request = buildRawRequest(d.method, url.pathname + url.search, url.host, d.headers, d.body);
  const parser = new RawResponseParser(o.bodyCapBytes);
  const tr = d.transport ?? {};
  const barrier = tr.barrier;
  let barrierDone = barrier === undefined;
  let writtenAt = -1;
  let done = false;
  let abortTimer: NodeJS.Timeout | undefined;

  const finish = (
    now: number,
    outcome:
      | ParseState
      | { kind: 'fail'; errorClass: ErrorClass | undefined; message: string; aborted?: boolean },
  ): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    if (abortTimer !== undefined) clearTimeout(abortTimer);
    if (!barrierDone && barrier) {
      barrierDone = true;
      arriveFailed(barrier);
    }
    socket.destroy();
    const written = writtenAt < 0 ? startedAt : writtenAt;
    const r: DeliveryResult = {
      delivery: d,
      writtenAt: written,
      endedAt: now,
      correctedUs: Math.round((now - d.intendedAt) * 1000),
      uncorrectedUs: Math.round((now - written) * 1000),
    };
    if (outcome.kind === 'done') {
      const res = outcome.response;
      r.status = res.status;
      r.statusText = res.statusText;
      r.headers = res.headers;
      r.body = res.body;
      r.bodyTruncated = res.bodyTruncated;
    } else if (outcome.kind === 'error') {
      r.errorClass = 'protocol';
      r.error = outcome.message;
    } else if (outcome.kind === 'fail') {
      if (outcome.errorClass !== undefined) r.errorClass = outcome.errorClass;
      r.error = outcome.message;
      if (outcome.aborted) r.aborted = true;
    }
    cb(r);
  };

  const onWritten = (): void => {
    writtenAt = performance.now();
    if (tr.abortAfterMs !== undefined && !done) {
      abortTimer = setTimeout(() => {
        finish(performance.now(), {
          kind: 'fail',
          errorClass: undefined,
          message: `aborted ${tr.abortAfterMs} ms after the request was written`,
          aborted: true,
        });
      }, tr.abortAfterMs);
    }
  };

  const onConnected = (): void => {
    if (done) return;
    if (!barrier) {
      socket.write(request, onWritten);
      return;
    }
    const hold = Math.min(HOLD_BACK, request.length - 1);
    socket.write(request.subarray(0, request.length - hold), (err) => {
      if (err || done) return;
      barrierDone = true;
      arriveReady(barrier, () => {
        if (done) return;
        socket.write(request.subarray(request.length - hold));
        onWritten();
      });
    });
  };

  const socket: Socket = https
    ? tlsConnect(
        {
          host: hostname,
          port,
          servername: isIP(hostname) === 0 ? hostname : undefined,
          rejectUnauthorized: o.tls?.rejectUnauthorized ?? true,
          ca: o.tls?.ca,
          // tls.connect passes socket.connect() options through; its typings just do not list them.
          localAddress: tr.localAddress,
        } as ConnectionOptions,
        onConnected,
      )
    : netConnect({ host: hostname, port, localAddress: tr.localAddress }, onConnected);
  socket.setNoDelay(true);

  const timeoutMs = tr.timeoutMs ?? o.timeoutMs;
  const timer = setTimeout(() => {
    finish(performance.now(), {
      kind: 'fail',
      errorClass: 'timeout',
      message: `no complete answer within ${timeoutMs} ms`,
    });
  }, timeoutMs);

  socket.on('data', (chunk: Buffer) => {
    if (done) return;
    const state = parser.feed(chunk);
    if (state.kind !== 'more') finish(performance.now(), state);
  });
  socket.on('end', () => {
    if (done) return;
    // A body read to the close ends here; anything else cut short is a closed connection.
    const state = parser.end();
    if (state.kind === 'done') finish(performance.now(), state);
    else {
      const message = parser.started
        ? 'the server closed the connection mid-response'
        : 'the server closed the connection';
      finish(performance.now(), { kind: 'fail', errorClass: 'reset', message });
    }
  });
  socket.on('error', (err) => {
    const c = classifyError(err);
    finish(performance.now(), { kind: 'fail', errorClass: c.errorClass, message: c.message });
  });
  socket.on('close', () => {
    if (done) return;
    finish(performance.now(), { kind: 'fail', errorClass: 'reset', message: 'the connection closed' });
  });
}
