/** `npm run bench -- [section...] [--seconds N] [--rounds N] [--smoke] [--write-results]`. */
import { parseArgs } from 'node:util';

export const SECTIONS = ['throughput', 'open', 'memory', 'signing'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchArgs {
  sections: Section[];
  /** Length of one contender run (throughput) and of one open-model run. */
  seconds: number;
  rounds: number;
  smoke: boolean;
  writeResults: boolean;
  /** Deliveries of the memory run, and how often the heap is sampled. */
  deliveries: number;
  sampleEvery: number;
  /** Deliveries before the heap slope counts (JIT, pools and caches settle first). */
  warmup: number;
  signingSeconds: number;
  connections: number;
  /** Unmeasured run per contender before the rounds (0 in a smoke run). */
  warmupSeconds: number;
  /** Open model: the warm-up phase before each measured phase. */
  openWarmupSeconds: number;
}

export class BenchUsageError extends Error {}

function positive(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new BenchUsageError(`--${name} needs a positive number, got ${v}`);
  return n;
}

const OPTIONS = {
  seconds: { type: 'string' },
  rounds: { type: 'string' },
  deliveries: { type: 'string' },
  smoke: { type: 'boolean', default: false },
  'write-results': { type: 'boolean', default: false },
} as const;

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw new BenchUsageError(err instanceof Error ? err.message : String(err));
  }
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values, positionals } = parse(argv);
  for (const p of positionals) {
    if (!(SECTIONS as readonly string[]).includes(p)) {
      throw new BenchUsageError(`no benchmark named ${p} (choose from ${SECTIONS.join(', ')})`);
    }
  }
  const sections = positionals.length === 0 ? [...SECTIONS] : SECTIONS.filter((s) => positionals.includes(s));
  const smoke = values.smoke === true;
  // The smoke run proves the suite works end to end in a few seconds; its figures mean little.
  const seconds = positive('seconds', values.seconds, smoke ? 1 : 5);
  const rounds = Math.round(positive('rounds', values.rounds, smoke ? 1 : 3));
  const deliveries = Math.round(positive('deliveries', values.deliveries, smoke ? 20_000 : 1_000_000));
  const sampleEvery = Math.max(1000, Math.round(deliveries / 20));
  return {
    sections,
    seconds,
    rounds,
    smoke,
    writeResults: values['write-results'] === true,
    deliveries,
    sampleEvery,
    warmup: Math.round(deliveries / 5),
    signingSeconds: smoke ? 0.1 : 2,
    connections: 50,
    warmupSeconds: smoke ? 0 : 2,
    openWarmupSeconds: smoke ? 0.25 : 1,
  };
}
