import type { Dispatcher as UndiciDispatcher } from 'undici';
import type { Header } from '../signing/types.js';
import { classifyError } from './classify.js';
import type { DeadlineNode } from './deadlines.js';
import type { Delivery, DeliveryResult, ErrorClass } from './delivery.js';

/** What an exchange needs from its dispatcher. */
export interface ExchangeOwner {
  readonly bodyCapBytes: number;
  /** Called exactly once per exchange, with its result. */
  settle(x: Exchange, r: DeliveryResult): void;
}

const timeoutError = (): Error =>
  Object.assign(new Error('wh-bench request timeout'), { code: 'WH_TIMEOUT' });
const abortError = (): Error =>
  Object.assign(new Error('wh-bench aborted the request'), { code: 'WH_ABORT' });

/** Response headers as sent, names lower-cased (raw header buffers come in name/value pairs). */
export function headersFromRaw(raw: Buffer[] | null): Header[] {
  const out: Header[] = [];
  if (raw === null) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    out.push([raw[i]!.toString('latin1').toLowerCase(), raw[i + 1]!.toString('latin1')]);
  }
  return out;
}

/**
 * One request through undici, as a dispatch handler (the callback interface, which undici passes
 * through unwrapped). One object per delivery carries the handler, the deadline-list node and the
 * response being collected: no closures, no promises.
 */
export class Exchange implements UndiciDispatcher.DispatchHandler, DeadlineNode {
  deadline: number;
  dlPrev: DeadlineNode | null = null;
  dlNext: DeadlineNode | null = null;
  dlLinked = false;
  /** When the last byte of the request was handed to the socket. */
  writtenAt = -1;
  private abortFn: ((err?: Error) => void) | null = null;
  private done = false;
  private abortTimer: NodeJS.Timeout | undefined;
  private status = 0;
  private statusText = '';
  private rawHeaders: Buffer[] | null = null;
  private first: Buffer | null = null;
  private more: Buffer[] | null = null;
  private kept = 0;
  private truncated = false;

  constructor(
    private readonly owner: ExchangeOwner,
    readonly delivery: Delivery,
    readonly cb: (r: DeliveryResult) => void,
    /** When the dispatcher took the delivery (monotonic ms). */
    readonly startedAt: number,
    timeoutMs: number,
    /** A one-off undici client to close once the exchange ends (`fresh` deliveries). */
    readonly oneOff: UndiciDispatcher | null,
  ) {
    this.deadline = startedAt + timeoutMs;
  }

  onConnect(abort: (err?: Error) => void): void {
    // Already timed out while queued for a connection: never write it.
    if (this.done) abort(timeoutError());
    else this.abortFn = abort;
  }

  onRequestSent(): void {
    this.writtenAt = performance.now();
    const after = this.delivery.transport?.abortAfterMs;
    if (after !== undefined && !this.done) {
      this.abortTimer = setTimeout(Exchange.abortNow, after, this);
    }
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], _resume: () => void, statusText: string): boolean {
    this.status = statusCode;
    this.statusText = statusText;
    this.rawHeaders = rawHeaders;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.truncated) return true;
    const room = this.owner.bodyCapBytes - this.kept;
    if (chunk.length > room) {
      this.truncated = true;
      chunk = chunk.subarray(0, room);
    }
    if (chunk.length === 0) return true;
    if (this.first === null) this.first = chunk;
    else if (this.more === null) this.more = [chunk];
    else this.more.push(chunk);
    this.kept += chunk.length;
    return true;
  }

  onComplete(): void {
    if (this.done) return;
    this.end(performance.now(), undefined, undefined, false);
  }

  onError(err: Error): void {
    if (this.done) return;
    const c = classifyError(err);
    this.end(performance.now(), c.errorClass, c.message, false);
  }

  /** The deadline list says time is up: a later answer would count as a timeout anyway. */
  onDeadline(now: number): void {
    if (this.done) return;
    this.end(
      now,
      'timeout',
      `no complete answer within ${Math.round(this.deadline - this.startedAt)} ms`,
      false,
    );
    this.abortFn?.(timeoutError());
  }

  private static abortNow(x: Exchange): void {
    if (x.done) return;
    const after = x.delivery.transport?.abortAfterMs ?? 0;
    x.end(performance.now(), undefined, `aborted ${after} ms after the request was written`, true);
    x.abortFn?.(abortError());
  }

  private end(
    now: number,
    errorClass: ErrorClass | undefined,
    error: string | undefined,
    aborted: boolean,
  ): void {
    this.done = true;
    if (this.abortTimer !== undefined) clearTimeout(this.abortTimer);
    const r = new UndiciResult(this.delivery, this.writtenAt < 0 ? this.startedAt : this.writtenAt, now);
    // A response counts only when it completed: headers then an error mid-body is an error.
    if (errorClass === undefined && !aborted && this.status > 0) {
      r.status = this.status;
      r.statusText = this.statusText;
      r.setRawHeaders(this.rawHeaders);
      r.body =
        this.more === null ? (this.first ?? EMPTY) : Buffer.concat([this.first!, ...this.more], this.kept);
      r.bodyTruncated = this.truncated;
    } else {
      r.errorClass = errorClass;
      r.error = error;
      if (aborted) r.aborted = true;
    }
    this.rawHeaders = null;
    this.first = null;
    this.more = null;
    this.owner.settle(this, r);
  }
}

/**
 * A result whose response headers are decoded on first read: most load results are only counted,
 * and decoding headers was the largest cost of an exchange. Spreading the object (`{...r}`) loses
 * `headers` (an accessor); JSON.stringify keeps it through toJSON.
 */
export class UndiciResult implements DeliveryResult {
  status: number | undefined = undefined;
  statusText: string | undefined = undefined;
  body: Uint8Array | undefined = undefined;
  bodyTruncated: boolean | undefined = undefined;
  errorClass: ErrorClass | undefined = undefined;
  error: string | undefined = undefined;
  aborted: boolean | undefined = undefined;
  readonly correctedUs: number;
  readonly uncorrectedUs: number;
  #raw: Buffer[] | null = null;
  #headers: Header[] | undefined = undefined;

  constructor(
    readonly delivery: Delivery,
    readonly writtenAt: number,
    readonly endedAt: number,
  ) {
    this.correctedUs = Math.round((endedAt - delivery.intendedAt) * 1000);
    this.uncorrectedUs = Math.round((endedAt - writtenAt) * 1000);
  }

  setRawHeaders(raw: Buffer[] | null): void {
    this.#raw = raw;
  }

  get headers(): Header[] | undefined {
    if (this.#raw !== null) {
      this.#headers = headersFromRaw(this.#raw);
      this.#raw = null;
    }
    return this.#headers;
  }

  set headers(h: Header[] | undefined) {
    this.#raw = null;
    this.#headers = h;
  }

  toJSON(): DeliveryResult {
    return {
      delivery: this.delivery,
      status: this.status,
      statusText: this.statusText,
      headers: this.headers,
      body: this.body,
      bodyTruncated: this.bodyTruncated,
      errorClass: this.errorClass,
      error: this.error,
      aborted: this.aborted,
      writtenAt: this.writtenAt,
      endedAt: this.endedAt,
      correctedUs: this.correctedUs,
      uncorrectedUs: this.uncorrectedUs,
    };
  }
}

const EMPTY = new Uint8Array(0);
