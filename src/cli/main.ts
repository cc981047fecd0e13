#!/usr/bin/env node
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { UserError } from '../errors.js';
import { ScenarioError } from '../scenario/errors.js';
import { VERSION } from '../version.js';
import { checksCommand } from './checks.js';
import { compareCommand } from './compare.js';
import { mergeCommand } from './merge.js';
import { reportCommand } from './report.js';
import { runCommand } from './run.js';
import { sendCommand } from './send.js';
import { serveCommand } from './serve.js';
import { validateCommand } from './validate.js';

/** User mistakes print a message and a hint, never a stack trace; bugs still crash loudly. */
function reportError(err: unknown): never {
  if (err instanceof ScenarioError) {
    process.stderr.write(`${err.format()}\n`);
    process.exit(2);
  }
  if (err instanceof UserError) {
    process.stderr.write(`wh-bench: ${err.message}\n${err.hint ? `hint: ${err.hint}\n` : ''}`);
    process.exit(err.exitCode);
  }
  throw err;
}

try {
  await yargs(hideBin(process.argv))
    .scriptName('wh-bench')
    .usage('$0 <command> [options]\n\nLoad-testing and conformance harness for webhook receivers.')
    .command(runCommand)
    .command(sendCommand)
    .command(validateCommand)
    .command(serveCommand)
    .command(checksCommand)
    .command(reportCommand)
    .command(compareCommand)
    .command(mergeCommand)
    .demandCommand(1, 'name a command: run, validate, serve, checks, report, compare, merge')
    .strict()
    .version(VERSION)
    .alias('h', 'help')
    .epilogue(
      'Exit codes: 0 pass, 1 fail, 2 bad usage or invalid scenario, 3 run not carried out, 130 interrupted.',
    )
    .fail((msg, err, y) => {
      if (err) reportError(err);
      y.showHelp((h: string) => process.stderr.write(`${h}\n\n`));
      process.stderr.write(`wh-bench: ${msg}\n`);
      process.exit(2);
    })
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .parseAsync();
} catch (err) {
  reportError(err);
}
