/**
 * The ceiling for wh-bench's stack: a bare undici `dispatch` loop over a Pool of N connections doing
 * the same per-request work (fresh id in the body, HMAC-SHA256 signature header), nothing else: no
 * histograms, no pacing, no results. One handler object per connection loop, reused.
 */
import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { type Dispatcher, Pool } from 'undici';
import {
  BENCH_SECRET,
  bodyText,
  eventIdFor,
  RUN_HEADER,
  SIGNATURE_HEADER,
  STATIC_HEADERS,
} from '../payload.js';
import type { Contender, ContenderOptions, ContenderReport } from './types.js';

class Loop implements Dispatcher.DispatchHandler {
  ok = 0;
  failed = 0;
  private status = 0;

  constructor(
    private readonly owner: Runner,
    private readonly key: KeyObject,
  ) {}

  send(): void {
    const o = this.owner;
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(bodyText(eventIdFor(++o.seq), now), 'latin1');
    const sig = createHmac('sha256', this.key).update(`${now}.`).update(body).digest('hex');
    const headers = o.headers.slice();
    headers.push(SIGNATURE_HEADER, `t=${now},v1=${sig}`);
    o.pool.dispatch({ origin: o.origin, path: o.path, method: 'POST', headers, body }, this);
  }

  onConnect(): void {}
  onHeaders(statusCode: number): boolean {
    this.status = statusCode;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    if (this.status >= 200 && this.status < 300) this.ok++;
    else this.failed++;
    this.next();
  }
  onError(): void {
    this.failed++;
    this.next();
  }

  private next(): void {
    if (performance.now() < this.owner.endAt) this.send();
    else this.owner.loopDone();
  }
}

class Runner {
  seq = 0;
  endAt = 0;
  readonly pool: Pool;
  readonly origin: string;
  readonly path: string;
  readonly headers: string[] = [];
  private running = 0;
  private resolve: () => void = () => undefined;

  constructor(url: string, connections: number) {
    const u = new URL(url);
    this.origin = u.origin;
    this.path = u.pathname;
    this.pool = new Pool(this.origin, { connections, pipelining: 1 });
    for (const [n, v] of [...STATIC_HEADERS, RUN_HEADER]) this.headers.push(n, v);
  }

  run(seconds: number, key: KeyObject, n: number): Promise<Loop[]> {
    const loops = Array.from({ length: n }, () => new Loop(this, key));
    this.endAt = performance.now() + seconds * 1000;
    this.running = n;
    const done = new Promise<void>((r) => {
      this.resolve = r;
    });
    for (const l of loops) l.send();
    return done.then(() => loops);
  }

  loopDone(): void {
    if (--this.running === 0) this.resolve();
  }
}

export function undiciLoopContender(): Contender {
  const key = createSecretKey(Buffer.from(BENCH_SECRET, 'utf8'));
  return {
    async run(o: ContenderOptions): Promise<ContenderReport> {
      const runner = new Runner(o.url, o.connections);
      try {
        const loops = await runner.run(o.seconds, key, o.connections);
        let ok = 0;
        let failed = 0;
        for (const l of loops) {
          ok += l.ok;
          failed += l.failed;
        }
        return { selfCount: ok, failures: failed };
      } finally {
        await runner.pool.close();
      }
    },
  };
}
