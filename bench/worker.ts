/**
 * A contender in a process of its own (its own event loop, heap and JIT), driven over IPC by the
 * parent, which reads the target's request count just before `run` and just after `done`.
 *
 *   node --import tsx bench/worker.ts <wh-bench|autocannon|undici> <url>
 */

import type { PhaseResult } from '../src/metrics/types.js';
import { autocannonContender } from './contenders/autocannon.js';
import type { Contender, ContenderReport } from './contenders/types.js';
import { undiciLoopContender } from './contenders/undici-loop.js';
import { benchScenario, runWhBenchOpen, whBenchContender } from './contenders/wh-bench.js';

export type WorkerName = 'wh-bench' | 'autocannon' | 'undici';

export type ToWorker =
  | { type: 'run'; seconds: number; connections: number }
  | { type: 'open'; seconds: number; warmupSeconds: number; rate: number }
  | { type: 'exit' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; report: ContenderReport; cpuMs: number }
  | { type: 'open-done'; warmup: PhaseResult; measured: PhaseResult }
  | { type: 'error'; message: string };

async function contenderFor(name: string, url: string): Promise<Contender> {
  switch (name) {
    case 'wh-bench':
      return whBenchContender(url);
    case 'autocannon':
      return autocannonContender();
    case 'undici':
      return undiciLoopContender();
    default:
      throw new Error(`no contender named ${name}`);
  }
}

const send = (m: FromWorker): void => {
  process.send?.(m);
};

async function main(): Promise<void> {
  const [name, url] = process.argv.slice(2);
  if (!name || !url) throw new Error('usage: worker.ts <contender> <url>');
  const contender = await contenderFor(name, url);
  const scenario = name === 'wh-bench' ? await benchScenario(url) : undefined;
  process.on('message', (m: ToWorker) => {
    const work = async (): Promise<void> => {
      if (m.type === 'exit') process.exit(0);
      if (m.type === 'run') {
        const cpu0 = process.cpuUsage();
        const report = await contender.run({ url, connections: m.connections, seconds: m.seconds });
        const cpu = process.cpuUsage(cpu0);
        send({ type: 'done', report, cpuMs: (cpu.user + cpu.system) / 1000 });
      } else if (m.type === 'open') {
        if (!scenario) throw new Error('only wh-bench runs the open model');
        const phases = await runWhBenchOpen(scenario, {
          url,
          seconds: m.seconds,
          warmupSeconds: m.warmupSeconds,
          rate: m.rate,
        });
        send({ type: 'open-done', ...phases });
      }
    };
    work().catch((err: unknown) =>
      send({ type: 'error', message: err instanceof Error ? err.message : String(err) }),
    );
  });
  process.on('disconnect', () => process.exit(0));
  send({ type: 'ready' });
}

await main();
