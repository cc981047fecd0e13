import { appendFileSync } from 'node:fs';
import { emitGithub } from '../../../src/report/github.js';
import { writeReports } from '../../../src/report/index.js';
import type { ReportFormat } from '../../../src/scenario/types.js';
import { makeResult } from '../fixtures.js';

/**
 * Stands in for `wh-bench run` in the action test: records how it was called, then does what the
 * real run does at its end with a fixture result (the reports, the GitHub summary and annotations, the
 * exit code of a failed verdict), through the real reporters.
 */
const argv = process.argv.slice(2);
const log = process.env['WH_BENCH_STUB_LOG'];
if (log) {
  appendFileSync(
    log,
    `${JSON.stringify({ argv, secretEnv: process.env['WH_BENCH_SECRET'] ?? null, cwd: process.cwd() })}\n`,
  );
}
const flag = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const result = makeResult();
const formats = (flag('--format') ?? 'html').split(',') as ReportFormat[];
await writeReports(result, flag('--out') ?? 'reports', formats);
await emitGithub(result, process.env, (s) => process.stdout.write(s));
process.exitCode = result.verdict === 'pass' ? 0 : 1;
