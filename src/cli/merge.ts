import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { parseFormatList } from '../report/formats.js';
import { emitGithub } from '../report/github.js';
import { writeReports } from '../report/index.js';
import { readResult } from '../report/load.js';
import { mergeResults } from '../report/merge.js';
import { PLAIN as PLAIN_STYLE, renderSummary, styleFor } from '../report/terminal.js';
import type { Output } from './report.js';

export interface MergeArgs {
  shards: string[];
  out?: string;
  format: string;
}

/** `wh-bench merge`: one report from the shards of a run; exit 0 when the merged verdict passes, 1 when not. */
export const mergeCommand: CommandModule<object, MergeArgs> = {
  command: 'merge <shards..>',
  describe: 'merge the report.json of every shard of a run into one report (exit 1 if it fails)',
  builder: (y) =>
    (y as Argv)
      .positional('shards', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'report.json of each shard',
      })
      .option('out', {
        type: 'string',
        describe: 'report folder (default reports/<scenario>-<runId>-merged/)',
      })
      .option('format', {
        type: 'string',
        default: 'html',
        describe: 'formats besides report.json: html,junit,md',
      }) as Argv<MergeArgs>,
  handler: async (argv) => {
    process.exitCode = await mergeCli(argv, process.stdout);
  },
};

export async function mergeCli(
  argv: MergeArgs,
  out: Output,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const formats = parseFormatList(argv.format);
  const shards = await Promise.all(argv.shards.map((p) => readResult(p)));
  const merged = mergeResults(shards, argv.shards);
  const dir = resolve(argv.out ?? `reports/${merged.scenario.name}-${merged.runId}-merged`);
  let files: string[];
  try {
    files = await writeReports(merged, dir, formats);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UserError(
      `could not write the merged report to ${dir}: ${msg}`,
      'choose a writable folder with --out',
      3,
    );
  }
  const style = out === process.stdout ? styleFor(process.stdout) : undefined;
  out.write(
    `${renderSummary(merged, style ?? PLAIN_STYLE, [`merged ${shards.length} shards`, `reports: ${files.join(', ')}`])}\n`,
  );
  await emitGithub(merged, env, (s) => out.write(s));
  return merged.verdict === 'pass' ? 0 : 1;
}
