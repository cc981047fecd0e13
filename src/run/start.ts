import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'undici';
import { UserError } from '../errors.js';

export interface StartedProcess {
  /** Stops the process group: SIGTERM, then SIGKILL after a grace period. */
  stop(): Promise<void>;
}

/** Keeps the last lines a process printed, to explain why it died before it was ready. */
function tail(limit: number) {
  const lines: string[] = [];
  return {
    push(chunk: string) {
      for (const l of chunk.split('\n')) if (l.trim()) lines.push(l);
      if (lines.length > limit) lines.splice(0, lines.length - limit);
    },
    text: () => lines.join('\n'),
  };
}

async function answers(url: string): Promise<boolean> {
  try {
    const res = await request(url, { method: 'GET', headersTimeout: 2000, bodyTimeout: 2000 });
    await res.body.dump();
    return true;
  } catch {
    return false;
  }
}

/**
 * `--start CMD --wait-on URL`: starts the receiver under test in its own process group, waits until
 * the URL answers any HTTP status, and hands back a stop function. A command that exits first, or a
 * URL that never answers, is a run that could not be carried out (exit 3).
 */
export async function startAndWait(o: {
  command: string;
  waitOn: string;
  timeoutMs: number;
  onOutput?: (line: string) => void;
}): Promise<StartedProcess> {
  const child: ChildProcess = spawn('/bin/sh', ['-c', o.command], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  const recent = tail(20);
  let exited: number | string | null = null;
  const exit = new Promise<void>((resolve) => {
    child.on('exit', (code, signal) => {
      exited = code ?? signal ?? 'unknown';
      resolve();
    });
  });
  const forward = (b: Buffer) => {
    const s = b.toString();
    recent.push(s);
    if (o.onOutput) for (const l of s.split('\n')) if (l) o.onOutput(l);
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);

  const stop = async () => {
    if (exited !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const killer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, 5000);
    await exit;
    clearTimeout(killer);
  };

  const deadline = Date.now() + o.timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== null) {
      throw new UserError(
        `--start command exited (${exited}) before ${o.waitOn} answered${recent.text() ? `; its last output:\n${recent.text()}` : ''}`,
        'run the command by hand to see why it stops',
        3,
      );
    }
    if (await answers(o.waitOn)) return { stop };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new UserError(
    `${o.waitOn} did not answer within ${Math.round(o.timeoutMs / 1000)} s of starting the receiver`,
    'check --wait-on points at the receiver (a health URL), or raise --wait-timeout',
    3,
  );
}
