import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { type CompareLimits, compareResults, DEFAULT_LIMITS, renderComparison } from '../report/compare.js';
import { readResult } from '../report/load.js';
import type { Output } from './report.js';

export interface CompareArgs {
  base: string;
  head: string;
  'p99-pct': number;
  'p99-ms': number;
  'rate-pct': number;
  'error-points': number;
  json?: boolean;
}

/** `wh-bench compare`: exit 1 on a regression, 2 when the runs are of different scenarios, else 0. */
export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <base> <head>',
  describe: 'regression gate between two runs (exit 1 on a regression)',
  builder: (y) =>
    (y as Argv)
      .positional('base', {
        type: 'string',
        demandOption: true,
        describe: 'report.json of the reference run',
      })
      .positional('head', { type: 'string', demandOption: true, describe: 'report.json of the run to judge' })
      .option('p99-pct', {
        type: 'number',
        default: DEFAULT_LIMITS.p99Pct,
        describe: 'p99 regresses above this % increase…',
      })
      .option('p99-ms', { type: 'number', default: DEFAULT_LIMITS.p99Ms, describe: '…and this many ms' })
      .option('rate-pct', {
        type: 'number',
        default: DEFAULT_LIMITS.ratePct,
        describe: 'achieved rate regresses below this % decrease',
      })
      .option('error-points', {
        type: 'number',
        default: DEFAULT_LIMITS.errorPoints,
        describe: 'error rate regresses above this increase in percentage points',
      })
      .option('json', { type: 'boolean', describe: 'print the comparison as JSON' }) as Argv<CompareArgs>,
  handler: async (argv) => {
    process.exitCode = await compareCli(argv, process.stdout);
  },
};

function limitsOf(argv: CompareArgs): CompareLimits {
  const limits: CompareLimits = {
    p99Pct: argv['p99-pct'],
    p99Ms: argv['p99-ms'],
    ratePct: argv['rate-pct'],
    errorPoints: argv['error-points'],
  };
  const flags: Record<keyof CompareLimits, string> = {
    p99Pct: '--p99-pct',
    p99Ms: '--p99-ms',
    ratePct: '--rate-pct',
    errorPoints: '--error-points',
  };
  for (const [k, v] of Object.entries(limits) as Array<[keyof CompareLimits, number]>) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new UserError(
        `${flags[k]} must be a number of 0 or more`,
        `e.g. ${flags[k]} ${DEFAULT_LIMITS[k]}`,
      );
    }
  }
  return limits;
}

export async function compareCli(argv: CompareArgs, out: Output): Promise<number> {
  const limits = limitsOf(argv);
  const [base, head] = await Promise.all([readResult(argv.base), readResult(argv.head)]);
  if (base.scenario.name !== head.scenario.name) {
    throw new UserError(
      `the runs are of different scenarios: '${base.scenario.name}' (base) and '${head.scenario.name}' (head)`,
      'compare two runs of the same scenario',
      2,
    );
  }
  const comparison = compareResults(base, head, limits);
  out.write(argv.json ? `${JSON.stringify(comparison, null, 2)}\n` : `${renderComparison(comparison)}\n`);
  return comparison.regressions.length > 0 ? 1 : 0;
}
