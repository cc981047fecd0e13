import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arriveFailed, arriveReady, createWriteBarrier } from '../../src/engine/barrier.js';
import type { DeliveryResult } from '../../src/engine/delivery.js';
import { createDispatcher, type Dispatcher } from '../../src/engine/dispatcher.js';
import { delivery, startServer, type TestServer } from './servers.js';

let srv: TestServer;
let dispatcher: Dispatcher;
const arrivals = new Map<string, number[]>();

beforeAll(async () => {
  srv = await startServer((req, res) => {
    // The handler runs once the whole request (body included) has arrived.
    const key = req.url ?? '';
    arrivals.set(key, [...(arrivals.get(key) ?? []), performance.now()]);
    res.end('ok');
  });
  dispatcher = createDispatcher({ origin: srv.url, connections: 2, timeoutMs: 3000, bodyCapBytes: 100 });
});

afterAll(async () => {
  await dispatcher.close();
  await srv.close();
});

describe('createWriteBarrier', () => {
  it('releases every party at once when the last one arrives, and late parties at once', () => {
    const b = createWriteBarrier(3);
    const released: number[] = [];
    arriveReady(b, () => released.push(1));
    arriveReady(b, () => released.push(2));
    expect(released).toEqual([]);
    arriveFailed(b);
    expect(released).toEqual([1, 2]);
    arriveReady(b, () => released.push(4));
    expect(released).toEqual([1, 2, 4]);
  });

  it('rejects a barrier of no parties', () => {
    expect(() => createWriteBarrier(0)).toThrow(RangeError);
  });
});

describe('write barrier deliveries', () => {
  it('releases 10 copies that reach the server within a few ms of each other', async () => {
    const n = 10;
    const barrier = createWriteBarrier(n);
    const sent = Array.from({ length: n }, () =>
      dispatcher.sendAsync(delivery(`${srv.url}/together`, { transport: { barrier } })),
    );
    const results: DeliveryResult[] = await Promise.all(sent);
    expect(results.map((r) => r.status)).toEqual(Array(n).fill(200));
    const times = arrivals.get('/together') ?? [];
    expect(times).toHaveLength(n);
    const spread = Math.max(...times) - Math.min(...times);
    expect(spread).toBeLessThan(50);
    const written = results.map((r) => r.writtenAt);
    expect(Math.max(...written) - Math.min(...written)).toBeLessThan(50);
  });

  it('holds prepared requests until every party is ready: short of a party, none completes', async () => {
    const barrier = createWriteBarrier(3);
    const results = await Promise.all(
      [0, 1].map(() =>
        dispatcher.sendAsync(delivery(`${srv.url}/held`, { transport: { barrier, timeoutMs: 300 } })),
      ),
    );
    expect(results.map((r) => r.errorClass)).toEqual(['timeout', 'timeout']);
    expect(arrivals.get('/held')).toBeUndefined();
  });

  it('a party that cannot connect does not hold the others back', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const barrier = createWriteBarrier(3);
    const results = await Promise.all([
      dispatcher.sendAsync(delivery(`${srv.url}/partial`, { transport: { barrier } })),
      dispatcher.sendAsync(delivery(`${srv.url}/partial`, { transport: { barrier } })),
      dispatcher.sendAsync(delivery(`${closed.url}/partial`, { transport: { barrier } })),
    ]);
    expect(results.map((r) => r.status ?? r.errorClass)).toEqual([200, 200, 'refused']);
    expect(arrivals.get('/partial')).toHaveLength(2);
  });
});
