/**
 * The memory run, in a process of its own started with --expose-gc: wh-bench's load stage as run()
 * assembles it (delivery factory, undici dispatcher, closed-model pacer, sample keeper) sending N
 * deliveries to the target. Every `sampleEvery` deliveries a full GC runs and heapUsed is recorded.
 *
 *   node --expose-gc --import tsx bench/memory-child.ts <url> <deliveries> <sampleEvery>
 */
import { createDispatcher } from '../src/engine/dispatcher.js';
import { startPhase } from '../src/engine/pacer.js';
import { newRunId } from '../src/events/ids.js';
import { createDeliveryFactory } from '../src/run/deliveries.js';
import { SampleKeeper } from '../src/run/samples.js';
import { benchScenario } from './contenders/wh-bench.js';

export interface MemoryChildResult {
  deliveries: number;
  failures: number;
  seconds: number;
  /** [deliveries so far, heapUsed after a full GC in bytes]; the first is before any delivery. */
  heap: Array<[number, number]>;
  peakRssBytes: number;
  rssEndBytes: number;
  /** RSS once node, the loader and wh-bench's modules are in, before any delivery. */
  rssStartBytes: number;
  /** The per-second timeseries the phase kept (by design it grows with seconds, not deliveries). */
  seriesPoints: number;
  seriesBytes: number;
}

/** Heap bytes of a kept timeseries point: its encoded histogram (a one-byte string) and the object. */
const POINT_OVERHEAD_BYTES = 120;

const gc = (globalThis as { gc?: () => void }).gc;

async function main(): Promise<void> {
  const [url, deliveriesArg, everyArg] = process.argv.slice(2);
  if (!url || !gc) throw new Error('usage: node --expose-gc --import tsx memory-child.ts <url> <n> <every>');
  const deliveries = Number(deliveriesArg);
  const every = Number(everyArg);
  const scenario = await benchScenario(url);
  const factory = createDeliveryFactory({ scenario, runId: newRunId(), targetUrl: url, seed: 1 });
  const dispatcher = createDispatcher({
    origin: new URL(url).origin,
    connections: 50,
    // The provider's ack timeout, as run() sets it at time scale 1.
    timeoutMs: Math.max(1000, scenario.provider.ackTimeoutMs),
    bodyCapBytes: 64 * 1024,
  });
  const samples = new SampleKeeper(20);
  const heap: Array<[number, number]> = [];
  gc();
  const rssStartBytes = process.memoryUsage().rss;
  heap.push([0, process.memoryUsage().heapUsed]);
  let n = 0;
  let failures = 0;
  const t0 = performance.now();
  const phase = startPhase({
    // Ends by count, not by time: stop() after the N-th result.
    phase: { name: 'memory', model: 'closed', concurrency: 50, durationMs: 3_600_000 },
    maxInflight: 200,
    makeDelivery: (_seq, intendedAt) => factory.next('load', intendedAt),
    dispatcher,
    onResult: (r) => {
      samples.offer(r);
      n++;
      if (r.status === undefined || r.status < 200 || r.status > 299) failures++;
      if (n % every === 0) {
        gc();
        heap.push([n, process.memoryUsage().heapUsed]);
      }
      if (n === deliveries) phase.stop();
    },
  });
  const out = await phase.done;
  const seconds = (performance.now() - t0) / 1000;
  await dispatcher.close();
  const result: MemoryChildResult = {
    deliveries: out.result.completed,
    failures,
    seconds,
    heap,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssEndBytes: process.memoryUsage().rss,
    rssStartBytes,
    seriesPoints: out.timeseries.length,
    seriesBytes: out.timeseries.reduce((n, p) => n + p.histogram.length + POINT_OVERHEAD_BYTES, 0),
  };
  process.send?.(result);
  process.disconnect?.();
}

await main();
