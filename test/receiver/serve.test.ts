import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeArgs, serve } from '../../src/cli/serve.js';
import { agent, effectsOf, event, get, post, signHeaders } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

afterAll(() => agent.close());

/** Runs `serve` in this process until aborted; returns the printed lines as they come. */
function startServe(args: Partial<ServeArgs>) {
  const out: string[] = [];
  const err: string[] = [];
  const controller = new AbortController();
  let ready!: () => void;
  const listening = new Promise<void>((r) => {
    ready = r;
  });
  const done = serve(
    { preset: 'stripe', port: 0, host: '127.0.0.1', ...args },
    {
      out: (l) => {
        out.push(l);
        if (l.startsWith('Ctrl+C')) ready();
      },
      err: (l) => err.push(l),
      signal: controller.signal,
    },
  );
  done.catch(() => ready());
  const url = () => /webhook {2}(\S+)/.exec(out.join('\n'))?.[1] ?? '';
  return { out, err, done, listening, url, stop: () => controller.abort() };
}

describe('wh-bench serve', () => {
  it('prints the URL, preset and effects URL, never the secret, and stops on abort', async () => {
    const secret = 'whsec_serve_test_secret_77';
    const s = startServe({ secret });
    await s.listening;
    const text = s.out.join('\n');
    expect(text).toContain('preset stripe');
    expect(text).toMatch(/effects {2}http:\/\/127\.0\.0\.1:\d+\/__wh-bench\/effects\/<event id>/);
    expect(text).not.toContain(secret);
    expect(s.err).toEqual([]);
    const e = event('stripe');
    expect((await post(s.url(), await signHeaders('stripe', e, secret), e.body)).status).toBe(200);
    expect(await effectsOf(new URL(s.url()).origin, e.id)).toBe(1);
    s.stop();
    await s.done;
    expect(s.out.at(-1)).toMatch(/stopped: 1 deliveries, 1 accepted/);
    expect(s.out.join('\n')).not.toContain(secret);
  });

  it("uses the preset's demo secret by default (a valid whsec_ key for standard-webhooks)", async () => {
    const s = startServe({ preset: 'standard-webhooks' });
    await s.listening;
    expect(s.out.join('\n')).toContain('demo secret');
    const { DEMO_SECRETS } = await import('../../src/receiver/demo-secrets.js');
    const e = event('standard-webhooks');
    const h = await signHeaders('standard-webhooks', e, DEMO_SECRETS['standard-webhooks']);
    expect((await post(s.url(), h, e.body)).status).toBe(200);
    s.stop();
    await s.done;
  });

  it('reads the secret from an environment variable and takes an allowlist', async () => {
    process.env['WH_BENCH_SERVE_TEST_SECRET'] = 'from-env-secret';
    const s = startServe({
      preset: 'github',
      'secret-env': 'WH_BENCH_SERVE_TEST_SECRET',
      allow: ['10.9.9.9'],
    });
    await s.listening;
    expect(s.out.join('\n')).toContain('from $WH_BENCH_SERVE_TEST_SECRET');
    const e = event('github');
    expect((await post(s.url(), await signHeaders('github', e, 'from-env-secret'), e.body)).status).toBe(403);
    s.stop();
    await s.done;
    delete process.env['WH_BENCH_SERVE_TEST_SECRET'];
  });

  it('warns when binding a non-loopback address', async () => {
    const s = startServe({ host: '0.0.0.0', secret: 'x' });
    await s.listening;
    expect(s.err.join('\n')).toMatch(/warning: listening on 0\.0\.0\.0, not loopback/);
    expect((await get(`${new URL(s.url()).origin}/__wh-bench/health`)).status).toBe(200);
    s.stop();
    await s.done;
  });

  it('reports bad flags as user errors', async () => {
    await expect(serve({ preset: 'stripe', port: 70_000, host: '127.0.0.1' }, io())).rejects.toMatchObject({
      name: 'UserError',
    });
    await expect(
      serve({ preset: 'stripe', port: 0, host: '127.0.0.1', secret: 'a', 'secret-env': 'B' }, io()),
    ).rejects.toMatchObject({ name: 'UserError' });
    await expect(
      serve({ preset: 'stripe', port: 0, host: '127.0.0.1', 'secret-env': 'WH_BENCH_UNSET_VAR_123' }, io()),
    ).rejects.toMatchObject({ name: 'UserError' });
    await expect(
      serve({ preset: 'stripe', port: 0, host: '127.0.0.1', allow: ['nope'] }, io()),
    ).rejects.toMatchObject({
      name: 'UserError',
    });
  });

  it('as a process: exits 0 on SIGTERM with a clean stop line', async () => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        TSX,
        join(ROOT, 'test/receiver/fixtures/serve-main.ts'),
        'serve',
        '--port',
        '0',
        '--secret',
        'proc-secret-99',
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString();
    });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', () => out.includes('Ctrl+C') && resolve());
        child.once('exit', () => reject(new Error(`serve exited early:\n${out}`)));
      });
      const code = await new Promise<number | null>((resolve) => {
        child.once('exit', (c) => resolve(c));
        child.kill('SIGTERM');
      });
      expect(code).toBe(0);
      expect(out).toMatch(/stopped: 0 deliveries/);
      expect(out).not.toContain('proc-secret-99');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

function io() {
  return { out: () => {}, err: () => {}, signal: AbortSignal.abort() };
}
