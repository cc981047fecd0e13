/**
 * Open-model accuracy: wh-bench at a fixed arrival rate (80% of its closed-model maximum measured in
 * the same invocation): the rate it achieved, the rate the target saw, and how late sends left
 * against their intended instant (send lag).
 */
import type { Percentiles } from '../src/metrics/types.js';
import { median } from './stats.js';
import type { Target } from './target.js';
import type { WorkerHandle } from './workers.js';

export interface OpenRound {
  intendedRate: number;
  /** First attempts per second, as the engine sent them. */
  achievedRate: number;
  /** Requests the target answered over the phase duration (the preflight excluded). */
  targetRate: number;
  dropped: number;
  failures: number;
  sendLag: Percentiles;
}

export interface OpenResult {
  /** The closed-model maximum the rate derives from, and the fraction used. */
  closedMax: number;
  fraction: number;
  rate: number;
  seconds: number;
  /** The warm-up phase before each measured one (same run, same rate). */
  warmupSeconds: number;
  rounds: OpenRound[];
  /** Medians over rounds. */
  achievedRate: number;
  targetRate: number;
  sendLagP50: number;
  sendLagP99: number;
  sendLagP999: number;
  sendLagMax: number;
}

export async function benchOpen(o: {
  target: Target;
  worker: WorkerHandle;
  closedMax: number;
  fraction: number;
  seconds: number;
  warmupSeconds: number;
  rounds: number;
  log: (line: string) => void;
}): Promise<OpenResult> {
  const rate = Math.max(1, Math.round(o.closedMax * o.fraction));
  const rounds: OpenRound[] = [];
  for (let i = 1; i <= o.rounds; i++) {
    const before = await o.target.requests();
    const { warmup, measured: p } = await o.worker.open(o.seconds, o.warmupSeconds, rate);
    // The window also holds wh-bench's preflight and the warm-up phase, which drained before the
    // measured phase began.
    const requests = (await o.target.requests()) - before - 1 - warmup.completed;
    let ok = 0;
    for (const [code, n] of Object.entries(p.statusCounts)) if (code.startsWith('2')) ok += n;
    const round: OpenRound = {
      intendedRate: p.intendedRate ?? rate,
      achievedRate: p.achievedRate,
      targetRate: requests / (p.durationMs / 1000),
      dropped: p.dropped,
      failures: p.completed - ok,
      sendLag: p.sendLag,
    };
    rounds.push(round);
    o.log(
      `  round ${i}/${o.rounds} intended ${rate.toLocaleString('en-US')}/s achieved ${round.achievedRate.toFixed(0)}/s` +
        ` (target saw ${round.targetRate.toFixed(0)}/s), send lag p99 ${round.sendLag.p99.toFixed(3)} ms`,
    );
  }
  const med = (f: (r: OpenRound) => number): number => median(rounds.map(f));
  return {
    closedMax: o.closedMax,
    fraction: o.fraction,
    rate,
    seconds: o.seconds,
    warmupSeconds: o.warmupSeconds,
    rounds,
    achievedRate: med((r) => r.achievedRate),
    targetRate: med((r) => r.targetRate),
    sendLagP50: med((r) => r.sendLag.p50),
    sendLagP99: med((r) => r.sendLag.p99),
    sendLagP999: med((r) => r.sendLag.p999),
    sendLagMax: med((r) => r.sendLag.max),
  };
}
