import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { compareCommand } from '../../../src/cli/compare.js';
import { mergeCommand } from '../../../src/cli/merge.js';
import { reportCommand } from '../../../src/cli/report.js';
import { UserError } from '../../../src/errors.js';

/**
 * The report, compare and merge commands behind the same error handling as src/cli/main.ts, run as a
 * child process by the tests: real argv parsing, real exit codes, real stdout and stderr.
 */
function fail(err: unknown): never {
  if (err instanceof UserError) {
    process.stderr.write(`wh-bench: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
    process.exit(err.exitCode);
  }
  throw err;
}

try {
  await yargs(hideBin(process.argv))
    .scriptName('wh-bench')
    .command(reportCommand)
    .command(compareCommand)
    .command(mergeCommand)
    .demandCommand(1)
    .strict()
    .fail((msg, err) => {
      if (err) fail(err);
      process.stderr.write(`wh-bench: ${msg}\n`);
      process.exit(2);
    })
    .parseAsync();
} catch (err) {
  fail(err);
}
