/**
 * Closed-model throughput, side by side: the contenders run interleaved (A B C D, A B C D, ...) for
 * the same duration and connections, and each rate is what the target answered in that window.
 */
import type { ContenderReport } from './contenders/types.js';
import { runWrk } from './contenders/wrk.js';
import { median } from './stats.js';
import type { Target } from './target.js';
import type { WorkerHandle } from './workers.js';

export type ContenderName = 'wh-bench' | 'autocannon' | 'undici' | 'wrk';

export const CONTENDER_LABELS: Record<ContenderName, string> = {
  'wh-bench': 'closed model through run(), stripe preset',
  autocannon: 'signed per request in setupRequest',
  undici: 'bare dispatch loop, signed (the ceiling)',
  wrk: 'static body, one thread (context)',
};

export interface RoundFigure {
  /** Requests per second counted by the target. */
  rate: number;
  requests: number;
  seconds: number;
  /** What the tool itself counted (for the record). */
  report: ContenderReport;
  /** CPU the contender's process used, µs per request (node contenders only). */
  cpuUsPerRequest?: number;
}

export interface ContenderFigures {
  name: ContenderName;
  label: string;
  rounds: RoundFigure[];
  median: number;
}

export interface ThroughputResult {
  contenders: ContenderFigures[];
  seconds: number;
  connections: number;
}

export async function benchThroughput(o: {
  target: Target;
  workers: Partial<Record<ContenderName, WorkerHandle>>;
  wrk: boolean;
  seconds: number;
  rounds: number;
  connections: number;
  /** An unmeasured run per node contender first, so no round measures a cold JIT. */
  warmupSeconds: number;
  log: (line: string) => void;
}): Promise<ThroughputResult> {
  const names: ContenderName[] = ['wh-bench', 'autocannon', 'undici'];
  if (o.wrk) names.push('wrk');
  if (o.warmupSeconds > 0) {
    for (const name of names) {
      const w = o.workers[name];
      if (w) await w.run(o.warmupSeconds, o.connections);
    }
    o.log(`  warmed up: ${o.warmupSeconds} s unmeasured per node contender`);
  }
  const figures = new Map<ContenderName, RoundFigure[]>(names.map((n) => [n, []]));
  for (let round = 1; round <= o.rounds; round++) {
    for (const name of names) {
      const before = await o.target.requests();
      const t0 = performance.now();
      let report: ContenderReport;
      let cpuMs: number | undefined;
      if (name === 'wrk') {
        report = await runWrk({ url: o.target.url, connections: o.connections, seconds: o.seconds });
      } else {
        const w = o.workers[name];
        if (!w) throw new Error(`no worker for ${name}`);
        ({ report, cpuMs } = await w.run(o.seconds, o.connections));
      }
      const seconds = (performance.now() - t0) / 1000;
      const requests = (await o.target.requests()) - before;
      const fig: RoundFigure = { rate: requests / seconds, requests, seconds, report };
      if (cpuMs !== undefined && requests > 0) fig.cpuUsPerRequest = (cpuMs * 1000) / requests;
      figures.get(name)!.push(fig);
      o.log(
        `  round ${round}/${o.rounds} ${name.padEnd(10)} ${Math.round(fig.rate).toLocaleString('en-US').padStart(8)} req/s` +
          (report.failures > 0 ? `  (${report.failures} failures)` : ''),
      );
    }
  }
  return {
    seconds: o.seconds,
    connections: o.connections,
    contenders: names.map((name) => {
      const rounds = figures.get(name)!;
      return { name, label: CONTENDER_LABELS[name], rounds, median: median(rounds.map((r) => r.rate)) };
    }),
  };
}
