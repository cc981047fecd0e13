import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ProcessRun, runTs } from '../../support/process.js';

const HARNESS = join(dirname(fileURLToPath(import.meta.url)), 'cli.ts');

export type CliRun = ProcessRun;

/** Runs `wh-bench <args>` (report, compare, merge) in a child process; stops it after 30 s whatever happens. */
export function runCli(args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return runTs(HARNESS, args, { env: { GITHUB_ACTIONS: '', ...opts.env }, timeoutMs: 30_000 });
}
