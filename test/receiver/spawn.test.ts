import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnReceiver } from '../../src/receiver/spawn.js';
import { providerFromPreset } from '../../src/scenario/presets.js';
import { agent, effectsOf, event, get, post, signHeaders } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/** Pids of this process's children that run the receiver entry (Linux /proc). */
async function receiverChildren(): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes('receiver/child')) pids.push(Number(name));
  }
  return pids;
}

afterAll(() => agent.close());

describe('spawnReceiver (child process, from the TypeScript sources)', () => {
  it('serves deliveries, keeps the secret off the command line, and close() reaps it', async () => {
    const secret = 'whsec_spawn_test_secret_4242';
    const rx = await spawnReceiver({ provider: providerFromPreset('stripe', secret) });
    try {
      expect(rx.pid).not.toBe(process.pid);
      expect(rx.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/webhook$/);
      const e = event('stripe');
      const a = await post(rx.url, await signHeaders('stripe', e, secret), e.body);
      expect(a.status).toBe(200);
      expect(await effectsOf(rx.origin, e.id)).toBe(1);
      const cmdline = await readFile(`/proc/${rx.pid}/cmdline`, 'utf8').catch(() => '');
      const environ = await readFile(`/proc/${rx.pid}/environ`, 'utf8').catch(() => '');
      expect(cmdline).toContain('child.ts');
      expect(cmdline).not.toContain(secret);
      expect(environ).not.toContain(secret);
    } finally {
      await rx.close();
    }
    expect(alive(rx.pid)).toBe(false);
    await rx.close(); // twice is fine
  });

  it('reports a start-up failure as a user error and leaves no process behind', async () => {
    const first = await spawnReceiver({ provider: providerFromPreset('github', 'x') });
    try {
      const err = await spawnReceiver({
        provider: providerFromPreset('github', 'x'),
        port: first.port,
      }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).name).toBe('UserError');
      expect((err as Error).message).toMatch(/in use/);
      expect(await receiverChildren()).toEqual([first.pid]);
    } finally {
      await first.close();
    }
  });

  it('exits on its own when its parent dies', async () => {
    const parent = spawn(
      process.execPath,
      ['--import', TSX, join(ROOT, 'test/receiver/fixtures/spawn-parent.ts')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        parent.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        parent.once('exit', () => reject(new Error('parent exited early')));
      });
      const { pid, url } = JSON.parse(line) as { pid: number; url: string };
      expect((await get(`${new URL(url).origin}/__wh-bench/health`)).status).toBe(200);
      parent.kill('SIGKILL');
      expect(await waitGone(pid, 10_000)).toBe(true);
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

describe('spawnReceiver from compiled JavaScript (as in dist/)', () => {
  it('forks child.js without tsx', async () => {
    const out = await mkdtemp(join(tmpdir(), 'wh-bench-rx-'));
    try {
      await promisify(execFile)(
        process.execPath,
        [
          join(ROOT, 'node_modules/typescript/bin/tsc'),
          ...[
            '--outDir',
            out,
            '--rootDir',
            join(ROOT, 'src'),
            '--module',
            'nodenext',
            '--moduleResolution',
            'nodenext',
          ],
          ...['--target', 'es2023', '--skipLibCheck', '--types', 'node', '--strict'],
          join(ROOT, 'src/receiver/spawn.ts'),
          join(ROOT, 'src/receiver/child.ts'),
        ],
        { cwd: ROOT },
      );
      await writeFile(join(out, 'package.json'), '{"type":"module"}');
      const script = `
        const { spawnReceiver } = await import(${JSON.stringify(pathToFileURL(join(out, 'receiver/spawn.js')).href)});
        const provider = ${JSON.stringify(providerFromPreset('github', 'dist-secret'))};
        const rx = await spawnReceiver({ provider });
        const res = await fetch(rx.origin + '/__wh-bench/health');
        await rx.close();
        let gone = false;
        try { process.kill(rx.pid, 0); } catch { gone = true; }
        console.log(JSON.stringify({ status: res.status, gone }));
      `;
      const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
        cwd: tmpdir(),
        timeout: 30_000,
      });
      expect(JSON.parse(stdout.trim())).toEqual({ status: 200, gone: true });
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
