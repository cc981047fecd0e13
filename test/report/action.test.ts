import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type ProcessRun, runProcess } from '../support/process.js';

/**
 * action.yml, read as GitHub reads it, and its `run:` steps executed by bash the way a runner does
 * (`bash --noprofile --norc -eo pipefail`), with the step's `env:` expressions evaluated from the
 * inputs. `npm` and `wh-bench` are stubs on PATH: the stub wh-bench writes real reports and calls the
 * real emitGithub, so the summary file and the annotations come from the step as it would run.
 */

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Step {
  name?: string;
  id?: string;
  uses?: string;
  shell?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  name: string;
  inputs: Record<string, { required?: boolean; default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

/** `${{ expr }}` as written in a workflow file. */
const expr = (e: string) => '$' + `{{ ${e} }}`;

const action = parse(await readFile(join(ROOT, 'action.yml'), 'utf8')) as Action;

/** The expressions this action may use; any other is a test failure, not silently passed through. */
function evaluate(value: string, inputs: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expr: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expr);
    if (input) {
      const name = input[1]!;
      if (!(name in action.inputs)) throw new Error(`action.yml reads undeclared input ${name}`);
      return inputs[name] ?? action.inputs[name]!.default ?? '';
    }
    if (expr === 'github.action_path') return ROOT;
    throw new Error(`unexpected expression in action.yml: ${expr}`);
  });
}

function bash(script: string, env: NodeJS.ProcessEnv, cwd: string): Promise<ProcessRun> {
  return runProcess('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    env,
    replaceEnv: true,
    cwd,
  });
}

describe('action.yml', () => {
  let dir: string;
  let bin: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-action-'));
    bin = join(dir, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'npm'), '#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> "$WH_BENCH_NPM_LOG"\n');
    await writeFile(
      join(bin, 'wh-bench'),
      `#!/usr/bin/env bash\nexec "${process.execPath}" --import "${TSX}" "${join(HERE, 'helpers/wh-bench-stub.ts')}" "$@"\n`,
    );
    await chmod(join(bin, 'npm'), 0o755);
    await chmod(join(bin, 'wh-bench'), 0o755);
  });

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('is a composite action with the documented inputs, and no input pasted into a script', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.inputs['scenario']!.required).toBe(true);
    for (const name of ['target', 'secret', 'start', 'wait-on', 'args', 'node-version'])
      expect(action.inputs).toHaveProperty(name);
    const setup = action.runs.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(setup?.with?.['node-version']).toBe(expr('inputs.node-version'));
    for (const step of action.runs.steps.filter((s) => s.run)) {
      expect(step.shell).toBe('bash');
      // Script injection: an input must reach a script through env, never as ${{ }} inside it.
      expect(step.run).not.toContain('$' + '{{');
    }
    expect(action.outputs['report-dir']!.value).toBe(expr('steps.run.outputs.report-dir'));
  });

  async function runSteps(inputs: Record<string, string>, name: string) {
    const work = join(dir, name);
    await mkdir(work);
    const files = {
      summary: join(work, 'step-summary.md'),
      output: join(work, 'github-output'),
      npm: join(work, 'npm.log'),
      stub: join(work, 'wh-bench.log'),
    };
    await writeFile(files.summary, '');
    await writeFile(files.output, '');
    const results: Array<ProcessRun & { step: string }> = [];
    for (const step of action.runs.steps) {
      if (!step.run) continue;
      const env: NodeJS.ProcessEnv = {
        PATH: `${bin}:${process.env['PATH']}`,
        HOME: work,
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: files.summary,
        GITHUB_OUTPUT: files.output,
        GITHUB_WORKSPACE: work,
        RUNNER_TEMP: work,
        WH_BENCH_NPM_LOG: files.npm,
        WH_BENCH_STUB_LOG: files.stub,
      };
      for (const [k, v] of Object.entries(step.env ?? {})) env[k] = evaluate(v, inputs);
      const r = await bash(step.run, env, work);
      results.push({ ...r, step: step.name ?? '' });
      if (r.code !== 0) break;
    }
    const read = async (f: string) => readFile(f, 'utf8').catch(() => '');
    return {
      work,
      results,
      summary: await read(files.summary),
      output: await read(files.output),
      npm: (await read(files.npm)).trim().split('\n'),
      calls: (await read(files.stub))
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { argv: string[]; secretEnv: string | null }),
    };
  }

  it('installs itself, runs wh-bench with every format, and fails the step on a failed verdict', async () => {
    const secret = 'whsec_c2VjcmV0LWZvci10ZXN0cw==';
    const r = await runSteps(
      {
        scenario: 'scenarios/stripe.yaml',
        target: 'http://127.0.0.1:4000/hooks',
        secret,
        start: 'node server.js --port 4000',
        'wait-on': 'http://127.0.0.1:4000/health',
        args: `--rate 200/s --duration "30 s" --run-id 'a b' $HOME \`id\``,
      },
      'full',
    );
    expect(r.results.map((s) => [s.step, s.code])).toEqual([
      ['Install wh-bench', 0],
      ['Run wh-bench', 1],
    ]);
    expect(r.npm).toEqual([
      `ci --prefix ${ROOT} --no-audit --no-fund`,
      `install --global --no-audit --no-fund ${ROOT}`,
    ]);

    expect(r.calls).toHaveLength(1);
    const call = r.calls[0]!;
    expect(call.argv).toEqual([
      'run',
      'scenarios/stripe.yaml',
      '--out',
      'wh-bench-report',
      '--format',
      'html,json,junit,md',
      '--target',
      'http://127.0.0.1:4000/hooks',
      '--secret-env',
      'WH_BENCH_SECRET',
      '--start',
      'node server.js --port 4000',
      '--wait-on',
      'http://127.0.0.1:4000/health',
      '--rate',
      '200/s',
      '--duration',
      '30 s',
      '--run-id',
      'a b',
      // Not expanded, not executed: input text stays text.
      '$HOME',
      '`id`',
    ]);
    // The secret goes by environment, never argv, and is masked in the log.
    expect(call.secretEnv).toBe(secret);
    expect(call.argv.join(' ')).not.toContain(secret);
    const run = r.results[1]!;
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${secret}`);

    // What the step left behind: the summary, the annotations, the reports, the outputs.
    expect(r.summary).toMatch(/^## wh-bench: ❌ FAIL/);
    expect(r.summary).toContain('| ❌ fail | `signature.tampered-body` | required |');
    const annotations = run.stdout.split('\n').filter((l) => l.startsWith('::error '));
    expect(annotations.map((l) => l.slice(0, l.indexOf('::', 2)))).toEqual([
      '::error title=signature.tampered-body',
      '::error title=signature.malformed',
      '::error title=idempotency.concurrent',
      '::error title=ack.latency',
    ]);
    expect((await readdir(join(r.work, 'wh-bench-report'))).sort()).toEqual([
      'junit.xml',
      'report.html',
      'report.json',
      'summary.md',
    ]);
    expect(r.output).toBe('report-dir=wh-bench-report\nexit-code=1\n');
  });

  it('passes only what is set, and masks each line of a multi-line secret', async () => {
    const r = await runSteps(
      { scenario: 's.yaml', secret: 'line-one\n100%-two\n', out: 'out dir' },
      'minimal',
    );
    expect(r.results.at(-1)!.code).toBe(1);
    expect(r.calls[0]!.argv).toEqual([
      'run',
      's.yaml',
      '--out',
      'out dir',
      '--format',
      'html,json,junit,md',
      '--secret-env',
      'WH_BENCH_SECRET',
    ]);
    const masks = r.results
      .at(-1)!
      .stdout.split('\n')
      .filter((l) => l.startsWith('::add-mask::'));
    expect(masks).toEqual(['::add-mask::line-one', '::add-mask::100%25-two']);
    expect(r.output).toContain('report-dir=out dir\n');
  });

  it('stops on args with an unmatched quote instead of guessing', async () => {
    const r = await runSteps({ scenario: 's.yaml', args: `--run-id 'oops` }, 'badargs');
    expect(r.results.at(-1)!.code).not.toBe(0);
    expect(r.results.at(-1)!.stderr).toMatch(/unmatched/i);
    expect(r.calls).toEqual([]);
  });
});
