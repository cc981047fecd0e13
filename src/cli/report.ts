import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UserError } from '../errors.js';
import { parseFormatList } from '../report/formats.js';
import { writeFormats } from '../report/index.js';
import { readResult } from '../report/load.js';

export interface ReportArgs {
  report: string;
  format: string;
  out?: string;
}

export interface Output {
  write(s: string): unknown;
}

/** `wh-bench report`: re-renders a saved report.json; the JSON itself is left alone unless asked for. */
export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <report>',
  describe: 're-render a saved report.json as html, junit or md',
  builder: (y) =>
    (y as Argv)
      .positional('report', {
        type: 'string',
        demandOption: true,
        describe: 'a report.json written by wh-bench run',
      })
      .option('format', {
        type: 'string',
        default: 'html',
        describe: 'formats to write: html,junit,md (json rewrites it)',
      })
      .option('out', {
        type: 'string',
        describe: 'folder to write into (default: the folder of the JSON)',
      }) as Argv<ReportArgs>,
  handler: async (argv) => {
    process.exitCode = await reportCli(argv, process.stdout);
  },
};

export async function reportCli(argv: ReportArgs, out: Output): Promise<number> {
  const formats = parseFormatList(argv.format);
  const result = await readResult(argv.report);
  const dir = resolve(argv.out ?? dirname(argv.report));
  let files: string[];
  try {
    files = await writeFormats(result, dir, formats);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new UserError(`could not write to ${dir}: ${msg}`, 'choose a writable folder with --out', 3);
  }
  for (const f of files) out.write(`${f}\n`);
  return 0;
}
