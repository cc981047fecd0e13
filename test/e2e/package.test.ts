import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../support/process.js';

const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, npm_config_loglevel: 'error' },
  });

/** The package works as a dependency: packed, installed into an empty folder, run and type-checked there. */
describe('wh-bench as an installed package', () => {
  it('npm pack → npm install → npx wh-bench run, and a consumer file type-checks', async () => {
    const packDir = tempDir('wh-bench-pack-');
    const tarball = npm(['pack', '--pack-destination', packDir, '--silent'], ROOT).trim().split('\n').at(-1)!;
    const app = tempDir('wh-bench-consumer-');
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    // A TypeScript consumer on Node has @types/node, as here.
    npm(['install', '--no-audit', '--no-fund', join(packDir, tarball), '@types/node@^20'], app);

    const cliRun = spawnSync(
      'npx',
      [
        'wh-bench',
        'run',
        'node_modules/wh-bench/scenarios/stripe-like.yaml',
        '--duration',
        '1s',
        '--rate',
        '20/s',
        '--out',
        'out',
      ],
      { cwd: app, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    expect(cliRun.status, cliRun.stderr).toBe(0);
    expect(cliRun.stdout).toMatch(/verdict: PASS/);
    expect(JSON.parse(readFileSync(join(app, 'out/report.json'), 'utf8')).verdict).toBe('pass');

    writeFileSync(
      join(app, 'consumer.ts'),
      `import { run, loadScenario, serve, sign, type ResultJson, type Scenario } from 'wh-bench';
const scenario: Scenario = await loadScenario('node_modules/wh-bench/scenarios/stripe-like.yaml', { env: {} });
const receiver = await serve({ provider: scenario.provider });
const { result, exitCode }: { result: ResultJson; exitCode: number } = await run({ scenario, target: receiver.url, durationMs: 500, rate: 20 });
const headers: Array<[string, string]> = sign('stripe', ['whsec_test_secret']).sign({ body: new Uint8Array(), timestamp: 1, id: 'evt_1', eventType: 't' });
await receiver.close();
console.log(result.verdict, exitCode, headers.length);
`,
    );
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          types: ['node'],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', app], {
      encoding: 'utf8',
    });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  }, 240_000);
});
