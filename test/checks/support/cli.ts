import { cli, type ProcessRun } from '../../support/process.js';

export { ROOT } from '../../support/process.js';
export type CliRun = ProcessRun;

/** `wh-bench <args>` in a child process (src/cli/main.ts under tsx); killed after 30 s whatever happens. */
export function whBench(args: string[]): Promise<CliRun> {
  // The zoo scenarios read their probe URL from ZOO_PROBE.
  return cli(args, { env: { ZOO_PROBE: 'http://127.0.0.1:9/effects/{{event.id}}' }, timeoutMs: 30_000 });
}
