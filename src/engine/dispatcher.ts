import { Agent, Client, EnvHttpProxyAgent, Pool, type Dispatcher as UndiciDispatcher } from 'undici';
import type { Header } from '../signing/types.js';
import { DeadlineList } from './deadlines.js';
import type { Delivery, DeliveryResult } from './delivery.js';
import { Exchange, type ExchangeOwner } from './exchange.js';
import { type ProxyEnv, proxyFor, proxySettingsFrom } from './proxy.js';
import { sendRaw } from './raw.js';

export interface DispatcherOptions {
  /** Where deliveries go (a delivery URL on another origin still works, through a shared agent). */
  origin: string;
  /** Keep-alive connections to the origin. */
  connections: number;
  /** Per-request timeout; a later answer counts as a timeout (a delivery may set its own). */
  timeoutMs: number;
  /** Response bytes kept per delivery; the rest is read and discarded. */
  bodyCapBytes: number;
  tls?: { rejectUnauthorized: boolean; ca?: string };
  pipelining?: 1;
  /** Proxy variables (HTTP_PROXY, HTTPS_PROXY, NO_PROXY); default process.env. */
  env?: ProxyEnv;
}

export interface Dispatcher {
  /** Sends one delivery; `cb` runs exactly once, with a response, an error class or a timeout. */
  send(d: Delivery, cb: (r: DeliveryResult) => void): void;
  sendAsync(d: Delivery): Promise<DeliveryResult>;
  inflight(): number;
  /** Waits for in-flight deliveries (each bounded by its timeout), then closes every connection. */
  close(): Promise<void>;
}

/** Distinct source addresses kept with a pool of their own; more are rare (transport.source-ip). */
const MAX_LOCAL_POOLS = 8;

interface UrlParts {
  origin: string;
  path: string;
}

function flattenHeaders(headers: Header[]): string[] {
  const out = new Array<string>(headers.length * 2);
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    out[2 * i] = h[0];
    out[2 * i + 1] = h[1];
  }
  return out;
}

function rethrowLater(err: unknown): void {
  // A bug in a result callback must crash loudly, not be swallowed as a request error by undici.
  queueMicrotask(() => {
    throw err;
  });
}

const destroyOneOff = (c: UndiciDispatcher): void => {
  c.destroy().catch(() => undefined);
};

class UndiciBackedDispatcher implements Dispatcher, ExchangeOwner {
  readonly bodyCapBytes: number;
  private readonly origin: string;
  private readonly timeoutMs: number;
  private readonly clientOpts: Pool.Options;
  private readonly main: UndiciDispatcher;
  private other: Agent | undefined;
  private readonly local = new Map<string, Pool>();
  private readonly deadlines = new DeadlineList();
  private count = 0;
  private closed = false;
  // Load deliveries share one URL: parse it once.
  private lastUrl = '';
  private lastParts: UrlParts = { origin: '', path: '/' };

  constructor(private readonly o: DispatcherOptions) {
    const origin = new URL(o.origin);
    this.origin = origin.origin;
    this.timeoutMs = o.timeoutMs;
    this.bodyCapBytes = o.bodyCapBytes;
    const connect = o.tls ? { rejectUnauthorized: o.tls.rejectUnauthorized, ca: o.tls.ca } : undefined;
    // Our own deadline list enforces timeouts; undici's per-socket timers would only add cost.
    this.clientOpts = { pipelining: o.pipelining ?? 1, connect, headersTimeout: 0, bodyTimeout: 0 };
    const proxy = proxySettingsFrom(o.env ?? process.env);
    if (proxyFor(origin, proxy) !== undefined) {
      this.main = new EnvHttpProxyAgent({
        ...this.clientOpts,
        ...proxy,
        connections: o.connections,
        ...(connect ? { requestTls: connect } : {}),
      });
    } else {
      this.main = new Pool(this.origin, { ...this.clientOpts, connections: o.connections });
    }
  }

  send(d: Delivery, cb: (r: DeliveryResult) => void): void {
    const startedAt = performance.now();
    if (this.closed) throw new Error('dispatcher used after close()');
    const tr = d.transport;
    if (tr !== undefined && (tr.raw === true || tr.barrier !== undefined)) {
      this.sendRaw(d, cb, startedAt);
      return;
    }
    const parts = this.partsOf(d.url);
    let target: UndiciDispatcher;
    let oneOff: UndiciDispatcher | null = null;
    if (tr?.fresh) {
      oneOff = new Client(parts.origin, { ...this.clientOpts, localAddress: tr.localAddress });
      target = oneOff;
    } else if (tr?.localAddress !== undefined) {
      target = this.localPool(parts.origin, tr.localAddress);
    } else if (parts.origin === this.origin) {
      target = this.main;
    } else {
      this.other ??= new Agent({ ...this.clientOpts, connections: this.o.connections });
      target = this.other;
    }
    const x = new Exchange(this, d, cb, startedAt, tr?.timeoutMs ?? this.timeoutMs, oneOff);
    this.deadlines.add(x);
    this.count++;
    target.dispatch(
      {
        origin: parts.origin,
        path: parts.path,
        method: d.method,
        headers: flattenHeaders(d.headers),
        body: d.body,
      },
      x,
    );
  }

  sendAsync(d: Delivery): Promise<DeliveryResult> {
    return new Promise((resolve) => this.send(d, resolve));
  }

  inflight(): number {
    return this.count;
  }

  settle(x: Exchange, r: DeliveryResult): void {
    this.deadlines.remove(x);
    this.count--;
    // Destroyed outside undici's own callback, and after the answer was read.
    if (x.oneOff !== null) setImmediate(destroyOneOff, x.oneOff);
    try {
      x.cb(r);
    } catch (err) {
      rethrowLater(err);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const all: Promise<unknown>[] = [this.main.close()];
    if (this.other) all.push(this.other.close());
    for (const p of this.local.values()) all.push(p.close());
    await Promise.all(all);
    // Raw sockets end by themselves (answer, error or their own timeout).
    while (this.count > 0) await new Promise((r) => setTimeout(r, 5));
    this.deadlines.clear();
  }

  private sendRaw(d: Delivery, cb: (r: DeliveryResult) => void, startedAt: number): void {
    this.count++;
    const opts = { timeoutMs: this.timeoutMs, bodyCapBytes: this.bodyCapBytes, tls: this.o.tls };
    sendRaw(d, opts, startedAt, (r) => {
      this.count--;
      try {
        cb(r);
      } catch (err) {
        rethrowLater(err);
      }
    });
  }

  private partsOf(url: string): UrlParts {
    if (url === this.lastUrl) return this.lastParts;
    const u = new URL(url);
    this.lastUrl = url;
    this.lastParts = { origin: u.origin, path: `${u.pathname}${u.search}` };
    return this.lastParts;
  }

  private localPool(origin: string, localAddress: string): Pool {
    const key = `${origin} ${localAddress}`;
    let pool = this.local.get(key);
    if (pool === undefined) {
      if (this.local.size >= MAX_LOCAL_POOLS) {
        const [oldestKey, oldest] = this.local.entries().next().value as [string, Pool];
        this.local.delete(oldestKey);
        oldest.close().catch(() => undefined);
      }
      pool = new Pool(origin, { ...this.clientOpts, connections: this.o.connections, localAddress });
      this.local.set(key, pool);
    }
    return pool;
  }
}

/** The dispatcher: undici keep-alive pool for the hot path, node:net for raw shapes and write barriers. */
export function createDispatcher(opts: DispatcherOptions): Dispatcher {
  return new UndiciBackedDispatcher(opts);
}
