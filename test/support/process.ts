import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = join(ROOT, 'src/cli/main.ts');

export interface ProcessRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunProcessOptions {
  cwd?: string;
  /** Added to (or, with `replaceEnv`, instead of) this process's environment. */
  env?: NodeJS.ProcessEnv;
  replaceEnv?: boolean;
  /** Killed with SIGKILL after this long, whatever happens (default 60 s). */
  timeoutMs?: number;
  onStarted?: (pid: number, output: () => string) => void;
}

/** Runs a command to its end, collecting its output; bounded in time. */
export function runProcess(
  command: string,
  args: string[],
  opts: RunProcessOptions = {},
): Promise<ProcessRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.replaceEnv ? opts.env : { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    if (child.pid) opts.onStarted?.(child.pid, () => stdout + stderr);
  });
}

/** A TypeScript entry point run under tsx, from the repository root. */
export function runTs(entry: string, args: string[], opts: RunProcessOptions = {}): Promise<ProcessRun> {
  return runProcess(process.execPath, ['--import', 'tsx', entry, ...args], {
    ...opts,
    env: { NO_COLOR: '1', ...opts.env },
  });
}

/** The real CLI (`wh-bench <args>`) in a child process, from the TypeScript sources. */
export function cli(args: string[], opts: RunProcessOptions = {}): Promise<ProcessRun> {
  return runTs(MAIN, args, opts);
}

export function tempDir(prefix = 'wh-bench-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
