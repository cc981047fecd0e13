/**
 * The benchmark target: nginx answering 204 (Debian nginx-light) on a free loopback port, with a
 * generated config in a temp dir; or, when nginx is absent outside CI, a node:http server in a child
 * process. Both count the requests they answered, so figures come from the target, not the tools.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOOK_PATH, nginxConfig, parseStubStatus, STATUS_PATH } from './nginx-config.js';

export const NGINX_BIN = '/usr/sbin/nginx';

export interface Target {
  kind: 'nginx' | 'node';
  /** What the output says about it, e.g. `nginx 1.22.1 (1 worker)`. */
  label: string;
  url: string;
  /** Requests the target has answered so far, the status request itself excluded. */
  requests(): Promise<number>;
  stop(): Promise<void>;
}

/** The installed nginx version, or null when nginx is absent. */
export function nginxVersion(): string | null {
  if (!existsSync(NGINX_BIN)) return null;
  // nginx prints its version on stderr.
  return /nginx\/(\S+)/.exec(spawnSyncText(NGINX_BIN, ['-v']))?.[1] ?? null;
}

/** stdout and stderr of a short command (version flags print on either, some exit non-zero). */
export function spawnSyncText(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}${r.stderr ?? ''}`;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** GET the status page on a connection of its own; the answer's count includes this request. */
function readStatus(origin: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${STATUS_PATH}`, { agent: false, timeout: 5000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        text += c;
      });
      res.on('end', () => {
        try {
          resolve(parseStubStatus(text));
        } catch (err) {
          reject(err);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('status page timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Counts without the status requests: each read adds one, so the n-th read subtracts n. */
function counter(origin: string): () => Promise<number> {
  let reads = 0;
  return async () => {
    reads++;
    return (await readStatus(origin)) - reads;
  };
}

async function waitReady(origin: string, child: ChildProcess, errorLog?: string): Promise<void> {
  const until = performance.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      const log = errorLog && existsSync(errorLog) ? readFileSync(errorLog, 'utf8').trim() : '';
      throw new Error(`the target exited at start (${child.exitCode})${log ? `: ${log}` : ''}`);
    }
    try {
      await readStatus(origin);
      return;
    } catch {
      if (performance.now() > until) throw new Error('the target did not answer within 10 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

export async function startNginxTarget(): Promise<Target> {
  const version = nginxVersion() ?? 'unknown';
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-nginx-'));
  for (const sub of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub));
  let lastError: unknown;
  // The free port is found by binding and releasing it: another process may take it in between.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, 'nginx.conf');
    writeFileSync(conf, nginxConfig({ dir, port }));
    // -e: the startup error log goes to the temp dir too, not /var/log (unwritable without root).
    const child = spawn(NGINX_BIN, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const origin = `http://127.0.0.1:${port}`;
    try {
      await waitReady(origin, child, join(dir, 'error.log'));
    } catch (err) {
      lastError = stderr ? new Error(`${String(err)}: ${stderr.trim()}`) : err;
      await stopChild(child, 'SIGTERM');
      continue;
    }
    // If the bench dies without stopping it, nginx must not outlive it.
    const killOnExit = (): void => {
      child.kill('SIGTERM');
    };
    process.on('exit', killOnExit);
    return {
      kind: 'nginx',
      label: `nginx ${version} (1 worker, return 204)`,
      url: `${origin}${HOOK_PATH}`,
      requests: counter(origin),
      async stop() {
        // SIGTERM: fast shutdown of the master and its worker.
        process.off('exit', killOnExit);
        await stopChild(child, 'SIGTERM');
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

export async function startNodeTarget(): Promise<Target> {
  const script = fileURLToPath(new URL('./node-target.mjs', import.meta.url));
  const child = fork(script, [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the node target exited early (${code})`)));
  });
  const origin = `http://127.0.0.1:${port}`;
  return {
    kind: 'node',
    label: `node:http ${process.version} (fallback: nginx not found)`,
    url: `${origin}${HOOK_PATH}`,
    requests: counter(origin),
    stop: () => stopChild(child, 'SIGTERM'),
  };
}

/** nginx when installed; otherwise the node fallback, unless `requireNginx` (CI), which throws. */
export async function startTarget(o: { requireNginx: boolean; nginxBin?: string }): Promise<Target> {
  const bin = o.nginxBin ?? NGINX_BIN;
  if (existsSync(bin)) return startNginxTarget();
  if (o.requireNginx) {
    throw new Error(`nginx is required under CI but ${bin} is missing (apt-get install nginx-light)`);
  }
  return startNodeTarget();
}
