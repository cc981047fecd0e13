/**
 * The benchmark suite: wh-bench side by side with its peers, in one invocation.
 *
 *   npm run bench                         # every section
 *   npm run bench -- throughput open      # some sections (throughput, open, memory, signing)
 *   npm run bench -- --seconds 10 --rounds 5 --write-results
 *   npm run bench -- --smoke              # a few seconds end to end: proves the suite works
 *
 * Under CI=true a missing nginx or wrk fails the run; elsewhere nginx falls back to a node:http
 * target and wrk is skipped, both said in the output.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BenchUsageError, parseBenchArgs, type Section } from './args.js';
import { WRK_BIN, wrkVersion } from './contenders/wrk.js';
import { describeMachine, loadAverage } from './machine.js';
import { benchMemory } from './memory.js';
import { benchOpen } from './open.js';
import { type BenchReport, type LoadNote, renderMarkdown, renderText } from './report.js';
import { benchSigning } from './signing.js';
import { median } from './stats.js';
import { startTarget, type Target } from './target.js';
import { benchThroughput, type ContenderName } from './throughput.js';
import { WorkerHandle } from './workers.js';

const RESULTS_FILE = fileURLToPath(new URL('./RESULTS.md', import.meta.url));
/** The open model runs at this fraction of the closed-model maximum. */
const OPEN_FRACTION = 0.8;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const USAGE = `npm run bench -- [throughput] [open] [memory] [signing] [options]

  (no section)       run them all
  --seconds N        length of one contender run and of one open-model run
  --rounds N         interleaved rounds per contender, median reported (default 3)
  --deliveries N     deliveries of the memory run (default 1,000,000)
  --smoke            a quick run that proves every section works (CI)
  --write-results    rewrite bench/RESULTS.md below its marker
`;

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return;
  }
  const args = parseBenchArgs(argv);
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  const has = (s: Section): boolean => args.sections.includes(s);
  const notes: string[] = [];
  const wantsWrk = has('throughput');
  if (wantsWrk && wrkVersion() === null) {
    if (ci) throw new Error(`wrk is required under CI but ${WRK_BIN} is missing (apt-get install wrk)`);
    notes.push('wrk not found: the wrk contender was skipped');
  }
  const command = `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`;
  const machine = describeMachine();
  const needsTarget = has('throughput') || has('open') || has('memory');
  const target: Target | null = needsTarget ? await startTarget({ requireNginx: ci }) : null;
  if (target?.kind === 'node')
    notes.push('nginx not found: the target is a node:http server in a child process');
  const workers: Partial<Record<ContenderName, WorkerHandle>> = {};
  // Whatever happens, nginx must not outlive the bench.
  const onSignal = (): void => {
    void cleanup().finally(() => process.exit(130));
  };
  const cleanup = async (): Promise<void> => {
    await Promise.all(Object.values(workers).map((w) => w.stop()));
    await target?.stop();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const report: BenchReport = {
    command,
    date: new Date().toISOString().slice(0, 10),
    smoke: args.smoke,
    machine,
    target: target?.label ?? 'none (signing only)',
    load: [],
    notes,
  };
  const section = async <T>(name: Section, f: () => Promise<T>): Promise<T> => {
    const note: LoadNote = { section: name, before: loadAverage(), after: [0, 0, 0] };
    log(`-- ${name}: load average ${note.before.join(' ')}`);
    const out = await f();
    note.after = loadAverage();
    report.load.push(note);
    return out;
  };

  try {
    if (target) {
      log(`target: ${target.label} at ${target.url}`);
      const names: Array<Exclude<ContenderName, 'wrk'>> = [];
      if (has('throughput')) names.push('wh-bench', 'autocannon', 'undici');
      else if (has('open')) names.push('wh-bench');
      // Started together: each process pays its start-up (module loading) before any clock runs.
      const started = await Promise.all(names.map((n) => WorkerHandle.start(n, target.url)));
      for (const w of started) workers[w.name] = w;
    }
    let closedMax: number | undefined;
    if (has('throughput') && target) {
      report.throughput = await section('throughput', () =>
        benchThroughput({
          target,
          workers,
          wrk: wrkVersion() !== null,
          seconds: args.seconds,
          rounds: args.rounds,
          connections: args.connections,
          warmupSeconds: args.warmupSeconds,
          log,
        }),
      );
      closedMax = report.throughput.contenders.find((c) => c.name === 'wh-bench')?.median;
    }
    if (has('open') && target) {
      const worker = workers['wh-bench'];
      if (!worker) throw new Error('no wh-bench worker');
      report.open = await section('open', async () => {
        if (closedMax === undefined) {
          // The open rate derives from the closed-model maximum measured in this invocation.
          const rates: number[] = [];
          for (let i = 0; i < args.rounds; i++) {
            const before = await target.requests();
            const t0 = performance.now();
            await worker.run(args.seconds, args.connections);
            const secs = (performance.now() - t0) / 1000;
            rates.push(((await target.requests()) - before) / secs);
          }
          closedMax = median(rates);
          log(`  closed-model max: ${Math.round(closedMax)}/s (median of ${rates.length})`);
        }
        return benchOpen({
          target,
          worker,
          closedMax,
          fraction: OPEN_FRACTION,
          seconds: args.seconds,
          warmupSeconds: args.openWarmupSeconds,
          rounds: args.rounds,
          log,
        });
      });
    }
    // The contender processes are done: stop them before the memory run so they hold no CPU or RAM.
    await Promise.all(Object.values(workers).map((w) => w.stop()));
    if (has('memory') && target) {
      report.memory = await section('memory', () =>
        benchMemory({
          target,
          deliveries: args.deliveries,
          sampleEvery: args.sampleEvery,
          warmup: args.warmup,
        }),
      );
    }
    if (has('signing')) {
      report.signing = await section('signing', () => benchSigning({ seconds: args.signingSeconds }));
    }
  } finally {
    await cleanup();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  log('');
  process.stdout.write(renderText(report));
  if (args.writeResults) {
    const existing = existsSync(RESULTS_FILE) ? readFileSync(RESULTS_FILE, 'utf8') : null;
    writeFileSync(RESULTS_FILE, renderMarkdown(report, existing));
    log(`\nwrote ${RESULTS_FILE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof BenchUsageError) {
    process.stderr.write(`bench: ${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
