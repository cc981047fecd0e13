import type { Header } from '../signing/types.js';

/**
 * Delivery classes tag every request so load histograms never mix with conformance traffic.
 * `preflight` and `load` are fixed; conformance deliveries use the id of the check that sent them.
 */
export type DeliveryClass = 'preflight' | 'load' | (string & {});

export type ErrorClass = 'timeout' | 'refused' | 'reset' | 'tls' | 'dns' | 'protocol' | 'other';

/** Released all at once: N prepared requests wait on it, then write their last bytes together. */
export interface WriteBarrier {
  readonly parties: number;
}

export interface TransportOptions {
  /** A new connection for this delivery only, closed after it. Default: the pooled keep-alive one. */
  fresh?: boolean;
  /** Bind the client socket to this local address (e.g. 127.0.0.2). */
  localAddress?: string;
  /** Abort the request this many ms after it was fully written (the provider timed out). */
  abortAfterMs?: number;
  /** Send over node:net with hand-written HTTP/1.1, for header shapes HTTP clients refuse. */
  raw?: boolean;
  /** Hold the request until every party of the barrier is ready, then release together. */
  barrier?: WriteBarrier;
  /** Per-request timeout; a later answer counts as a timeout. Default: the dispatcher's. */
  timeoutMs?: number;
}

/** A delivery is a descriptor: everything needed to send it, nothing about how it is judged. */
export interface Delivery {
  method: 'POST';
  url: string;
  headers: Header[];
  body: Uint8Array;
  class: DeliveryClass;
  eventId: string;
  attempt: number;
  /** Intended send instant, on the engine's monotonic clock (performance.now(), ms). */
  intendedAt: number;
  transport?: TransportOptions;
}

export interface DeliveryResult {
  delivery: Delivery;
  /** HTTP status, or undefined when no response arrived. */
  status?: number;
  statusText?: string;
  /** Response headers (lower-cased names), untrusted. */
  headers?: Header[];
  /** Response body up to the dispatcher's cap, untrusted. */
  body?: Uint8Array;
  /** True when the body was longer than the cap. */
  bodyTruncated?: boolean;
  errorClass?: ErrorClass;
  /** A short message for the error class, never containing secrets. */
  error?: string;
  /** The delivery was aborted on purpose (abortAfterMs): not an error of the receiver. */
  aborted?: boolean;
  /** Monotonic ms: when the request was fully written, and when it ended (response or error). */
  writtenAt: number;
  endedAt: number;
  /** Latency in µs from intendedAt (corrected) and from writtenAt (uncorrected). */
  correctedUs: number;
  uncorrectedUs: number;
}
