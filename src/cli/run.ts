import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { parseProbeOption } from '../checks/probe.js';
import { UserError } from '../errors.js';
import { emitGithub, writeReports } from '../report/index.js';
import { renderSummary, styleFor, verdictLine } from '../report/terminal.js';
import type { ResultJson } from '../run/result.js';
import { type RunProgress, run } from '../run/run.js';
import { type StartedProcess, startAndWait } from '../run/start.js';
import { loadScenario } from '../scenario/load.js';
import type { ReportFormat } from '../scenario/types.js';
import { parseDuration, parseRate } from '../scenario/units.js';
import { resolveSecretOption, type SecretArgs, secretOptions } from './validate.js';

const FORMATS: ReportFormat[] = ['html', 'json', 'junit', 'md'];

export interface RunArgs extends SecretArgs {
  scenario: string;
  target?: string;
  out?: string;
  format?: string;
  duration?: string;
  rate?: string;
  concurrency?: number;
  'load-only'?: boolean;
  'conformance-only'?: boolean;
  'time-scale': number;
  seed?: number;
  'run-id'?: string;
  shard?: string;
  quiet?: boolean;
  start?: string;
  'wait-on'?: string;
  'wait-timeout'?: string;
  'abort-on-fail'?: boolean;
  log?: string;
  'log-sample'?: number;
  probe?: string;
}

export function parseFormats(value: string | undefined, fallback: readonly ReportFormat[]): ReportFormat[] {
  if (value === undefined) return [...fallback];
  const list = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const f of list) {
    if (!FORMATS.includes(f as ReportFormat)) {
      throw new UserError(
        `unknown report format '${f}'`,
        `use a comma-separated list of ${FORMATS.join(', ')}`,
      );
    }
  }
  return list as ReportFormat[];
}

export function parseShard(value: string | undefined): { index: number; count: number } | null {
  if (value === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UserError(`--shard '${value}' is not I/N`, 'write it like 2/4: shard 2 of 4, counting from 1');
  }
  return { index, count };
}

function timestampSlug(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/** One progress line, rewritten in place on a TTY. */
function progressLine(p: RunProgress): string {
  const secs = (p.elapsedMs / 1000).toFixed(1);
  if (p.stage !== 'load') return `[${secs}s] ${p.stage}${p.phase ? ` ${p.phase}` : ''}`;
  const rate = p.ratePerSec !== undefined ? ` ${p.ratePerSec.toFixed(0)}/s` : '';
  const p99 = p.p99Ms !== undefined ? ` p99 ${p.p99Ms.toFixed(1)}ms` : '';
  return `[${secs}s] load ${p.phase ?? ''}: sent ${p.sent}${rate}${p99} errors ${p.errors}`;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <scenario>',
  describe: 'fire signed deliveries at a target, grade it, write reports (exit 0 pass, 1 fail)',
  builder: (y) =>
    secretOptions(y as Argv)
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario YAML file' })
      .option('target', {
        type: 'string',
        describe: 'URL to send to (default: the scenario target, else the embedded reference receiver)',
      })
      .option('out', { type: 'string', describe: 'report folder (default reports/<scenario>-<timestamp>/)' })
      .option('format', {
        type: 'string',
        describe: 'report formats: html,json,junit,md (report.json is always written)',
      })
      .option('duration', {
        type: 'string',
        describe: "replace the scenario's load with one phase of this length, e.g. 10s",
      })
      .option('rate', { type: 'string', describe: 'open model arrival rate for that phase, e.g. 500/s' })
      .option('concurrency', {
        type: 'number',
        describe: 'closed model: N concurrent senders for that phase',
      })
      .option('load-only', { type: 'boolean', describe: 'skip the conformance checks' })
      .option('conformance-only', { type: 'boolean', describe: 'skip the load phases' })
      .option('probe', {
        type: 'string',
        describe: 'side-effect probe: GET URL template with {{event.id}} answering {"count": n}',
      })
      .option('time-scale', {
        type: 'number',
        default: 1,
        describe: 'compress provider timeouts and retry schedules by this factor (e.g. 0.01)',
      })
      .option('seed', {
        type: 'number',
        describe: 'seed for event choice and templates (reproducible bodies)',
      })
      .option('run-id', { type: 'string', describe: 'run id carried by every event id (default: random)' })
      .option('shard', {
        type: 'string',
        describe: 'I/N: this machine runs shard I of N (use the same --run-id)',
      })
      .option('quiet', { type: 'boolean', describe: 'print the verdict line only' })
      .option('start', {
        type: 'string',
        describe: 'shell command that starts the receiver under test (stopped after the run)',
      })
      .option('wait-on', {
        type: 'string',
        describe: 'with --start: URL to poll until it answers before the run',
      })
      .option('wait-timeout', {
        type: 'string',
        default: '60s',
        describe: 'with --start: how long to wait for --wait-on',
      })
      .option('abort-on-fail', {
        type: 'boolean',
        describe: 'skip the load when a required conformance check failed',
      })
      .option('log', { type: 'string', describe: 'write one JSON line per delivery to this file' })
      .option('log-sample', {
        type: 'number',
        default: 0.01,
        describe: 'with --log: share of load deliveries logged (conformance: all)',
      })
      .implies('start', 'wait-on')
      .conflicts('rate', 'concurrency')
      .conflicts('load-only', 'conformance-only') as Argv<RunArgs>,
  handler: async (argv) => {
    process.exitCode = await runCli(argv);
  },
};

export async function runCli(argv: RunArgs): Promise<number> {
  const secretOverride = await resolveSecretOption(argv);
  const scenario = await loadScenario(argv.scenario, { env: process.env, secretOverride });
  const formats = parseFormats(argv.format, scenario.report.formats);
  const shard = parseShard(argv.shard);
  const timeScale = argv['time-scale'];
  if (!(timeScale > 0 && timeScale <= 1)) {
    throw new UserError(
      `--time-scale ${timeScale} is out of range`,
      'use a factor in (0, 1], e.g. 0.01 to run 100 times faster',
    );
  }
  const durationMs = argv.duration === undefined ? undefined : parseDuration(argv.duration, '--duration');
  const rate = argv.rate === undefined ? undefined : parseRate(argv.rate, '--rate');
  if (argv.concurrency !== undefined && !(Number.isInteger(argv.concurrency) && argv.concurrency > 0)) {
    throw new UserError(`--concurrency ${argv.concurrency} is not a positive whole number`);
  }
  const probe = argv.probe === undefined ? undefined : parseProbeOption(argv.probe);
  const outDir = resolve(argv.out ?? `reports/${scenario.name}-${timestampSlug(new Date())}`);
  const logSample = argv['log-sample'] ?? 0.01;
  if (!(logSample >= 0 && logSample <= 1)) {
    throw new UserError(`--log-sample ${logSample} is out of range`, 'a share from 0 to 1, e.g. 0.01 for 1%');
  }
  if (argv['wait-on'] && !argv.start)
    throw new UserError('--wait-on goes with --start', 'add --start "<command>"');

  const err = process.stderr;
  const style = styleFor(process.stdout);
  const tty = err.isTTY && !argv.quiet;
  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    if (!argv.quiet)
      err.write(`\n${sig}: stopping; waiting for deliveries in flight (again to quit at once)\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let lastPrint = 0;
  const onProgress = (p: RunProgress) => {
    if (argv.quiet) return;
    const now = Date.now();
    if (tty) {
      if (now - lastPrint < 100 && p.stage === 'load') return;
      lastPrint = now;
      err.write(`\r\u001b[2K${progressLine(p)}`);
      if (p.stage === 'done') err.write('\r\u001b[2K');
    } else if (p.stage !== 'done' && (now - lastPrint >= 5000 || p.stage !== 'load')) {
      lastPrint = now;
      err.write(`${progressLine(p)}\n`);
    }
  };

  let started: StartedProcess | null = null;
  if (argv.start) {
    if (!argv.quiet) err.write(`starting the receiver: ${argv.start}\n`);
    started = await startAndWait({
      command: argv.start,
      waitOn: argv['wait-on']!,
      timeoutMs: parseDuration(argv['wait-timeout'] ?? '60s', '--wait-timeout'),
      onOutput: argv.quiet ? undefined : (l) => err.write(`[receiver] ${l}\n`),
    });
  }

  let result: ResultJson;
  let exitCode: number;
  try {
    ({ result, exitCode } = await run({
      scenario,
      target: argv.target ?? null,
      durationMs,
      rate,
      concurrency: argv.concurrency,
      loadOnly: argv['load-only'],
      conformanceOnly: argv['conformance-only'],
      timeScale,
      seed: argv.seed,
      runId: argv['run-id'],
      shard,
      signal: controller.signal,
      onProgress,
      abortOnFail: argv['abort-on-fail'],
      log: argv.log ? { path: resolve(argv.log), loadSample: logSample } : undefined,
      probe: probe ?? null,
    }));
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await started?.stop();
  }

  let files: string[];
  try {
    files = await writeReports(result, outDir, formats);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    process.stdout.write(`${argv.quiet ? verdictLine(result, style) : renderSummary(result, style)}\n`);
    throw new UserError(
      `could not write the reports to ${outDir}: ${msg}`,
      'choose a writable folder with --out',
      3,
    );
  }
  await emitGithub(result, process.env, (s) => process.stdout.write(s));
  if (argv.quiet) {
    process.stdout.write(`${verdictLine(result, style)}\n`);
  } else {
    process.stdout.write(`${renderSummary(result, style, [`reports: ${files.join(', ')}`])}\n`);
  }
  return exitCode;
}
