/**
 * wh-bench itself, through the real `run()` library API: the bench scenario (stripe preset, the 1 KB
 * body), load only, closed model with N senders; or open model at a given rate.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhaseResult } from '../../src/metrics/types.js';
import { run } from '../../src/run/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/types.js';
import { writeBenchScenario } from '../payload.js';
import type { Contender, ContenderOptions, ContenderReport } from './types.js';

export async function benchScenario(url: string): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-scenario-'));
  try {
    return await loadScenario(writeBenchScenario(dir, url), { env: {} });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function failuresOf(p: PhaseResult): number {
  let ok = 0;
  for (const [code, n] of Object.entries(p.statusCounts)) if (code.startsWith('2')) ok += n;
  return p.completed - ok;
}

/** One load-only closed-model run of N senders; the result of its phase. */
export async function runWhBench(
  scenario: Scenario,
  o: { url: string; seconds: number; concurrency: number },
): Promise<PhaseResult> {
  const { result } = await run({
    scenario,
    target: o.url,
    loadOnly: true,
    durationMs: o.seconds * 1000,
    concurrency: o.concurrency,
    seed: 1,
  });
  const phase = result.phases[0];
  if (!phase) throw new Error(`wh-bench ran no load phase: ${result.stopReason ?? 'no reason given'}`);
  return phase;
}

/**
 * One load-only open-model run at `rate`: a warm-up phase at the same rate, then the measured one,
 * in the same run (same connections), as a scenario's warm-up phase would. Without it the figures
 * would mostly measure the opening of the connections in the first milliseconds.
 */
export async function runWhBenchOpen(
  scenario: Scenario,
  o: { url: string; seconds: number; warmupSeconds: number; rate: number },
): Promise<{ warmup: PhaseResult; measured: PhaseResult }> {
  const load = [
    { name: 'warmup', model: 'open' as const, rate: o.rate, durationMs: o.warmupSeconds * 1000 },
    { name: 'measured', model: 'open' as const, rate: o.rate, durationMs: o.seconds * 1000 },
  ];
  const { result } = await run({ scenario: { ...scenario, load }, target: o.url, loadOnly: true, seed: 1 });
  const [warmup, measured] = result.phases;
  if (!warmup || !measured)
    throw new Error(`wh-bench ran no load: ${result.stopReason ?? 'no reason given'}`);
  return { warmup, measured };
}

export async function whBenchContender(url: string): Promise<Contender> {
  const scenario = await benchScenario(url);
  return {
    async run(o: ContenderOptions): Promise<ContenderReport> {
      const p = await runWhBench(scenario, { url: o.url, seconds: o.seconds, concurrency: o.connections });
      return { selfCount: p.completed - failuresOf(p), failures: failuresOf(p) };
    },
  };
}
