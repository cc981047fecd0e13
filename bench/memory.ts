/**
 * Memory under a long run: 10^6 deliveries (closed model, 50 senders, against the target) in a child
 * with --expose-gc; peak RSS, and the slope of heap-after-GC after warm-up in bytes per 100k deliveries.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { MemoryChildResult } from './memory-child.js';
import { slope } from './stats.js';
import type { Target } from './target.js';

const CHILD = fileURLToPath(new URL('./memory-child.ts', import.meta.url));

export interface MemoryResult extends MemoryChildResult {
  warmup: number;
  /** Bytes of heap per 100,000 deliveries after warm-up (least squares over the samples). */
  heapSlopePer100k: number;
  /** Of that, what the per-second timeseries explains at this run's rate (one point per second). */
  seriesPer100k: number;
  /** The slope the timeseries does not explain: growth per delivery, which must be nil. */
  residualPer100k: number;
  /** heapUsed after GC: the first sample after warm-up and the last. */
  heapAfterWarmup: number;
  heapEnd: number;
  rate: number;
}

export function heapSlopePer100k(heap: ReadonlyArray<readonly [number, number]>, warmup: number): number {
  return slope(heap.filter(([n]) => n >= warmup)) * 100_000;
}

export async function benchMemory(o: {
  target: Target;
  deliveries: number;
  sampleEvery: number;
  warmup: number;
}): Promise<MemoryResult> {
  const child = fork(CHILD, [o.target.url, String(o.deliveries), String(o.sampleEvery)], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const r = await new Promise<MemoryChildResult>((resolve, reject) => {
    let got: MemoryChildResult | undefined;
    child.once('message', (m) => {
      got = m as MemoryChildResult;
    });
    child.once('exit', (code) => {
      if (got) resolve(got);
      else reject(new Error(`the memory run exited (${code}) without a result`));
    });
  });
  const after = r.heap.filter(([n]) => n >= o.warmup);
  const slope100k = heapSlopePer100k(r.heap, o.warmup);
  const seriesPer100k = r.deliveries > 0 ? (r.seriesBytes / r.deliveries) * 100_000 : 0;
  return {
    ...r,
    warmup: o.warmup,
    heapSlopePer100k: slope100k,
    seriesPer100k,
    residualPer100k: slope100k - seriesPer100k,
    heapAfterWarmup: after[0]?.[1] ?? Number.NaN,
    heapEnd: r.heap[r.heap.length - 1]?.[1] ?? Number.NaN,
    rate: r.deliveries / r.seconds,
  };
}
