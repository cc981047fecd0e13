import { type ChildProcess, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../errors.js';
import type { FromChild, ToChild } from './ipc.js';
import type { ReceiverOptions } from './server.js';

export interface SpawnedReceiver {
  /** The webhook URL. */
  url: string;
  /** `http://127.0.0.1:<port>`, for the control endpoints (`/__wh-bench/effects/<id>`). */
  origin: string;
  port: number;
  pid: number;
  /** Stops the child and resolves once it has exited. Safe to call twice. */
  close(): Promise<void>;
}

export interface SpawnOptions extends ReceiverOptions {
  /** How long the child may take to report its URL; default 20 s (tsx start-up is slow on CI). */
  startTimeoutMs?: number;
}

const KILL_GRACE_MS = 3000;

/**
 * The child entry next to this module, with the same extension: child.ts under tsx/vitest, child.js
 * from dist/. A .ts entry needs tsx's loader, resolved from here so the caller's cwd does not matter.
 */
function childEntry(): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const ext = extname(here);
  const entry = join(dirname(here), `child${ext}`);
  if (ext !== '.ts') return { entry, execArgv: [] };
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return { entry, execArgv: ['--import', tsx] };
}

/** Starts the reference receiver in its own process, so its CPU never skews the sender's timings. */
export function spawnReceiver(options: SpawnOptions): Promise<SpawnedReceiver> {
  const { startTimeoutMs = 20_000, ...receiverOptions } = options;
  const { entry, execArgv } = childEntry();
  const child = fork(entry, [], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'json',
  });

  return new Promise<SpawnedReceiver>((resolve, reject) => {
    const timer = setTimeout(() => {
      fail(new UserError('the reference receiver did not start in time', 'see its output above; try again'));
    }, startTimeoutMs);

    function cleanup(): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onSpawnError);
    }
    function fail(err: Error): void {
      cleanup();
      // Settle only once the child is gone, so a failed start leaves no process behind.
      void stopChild(child).then(() => reject(err));
    }
    function onExit(code: number | null, signal: NodeJS.Signals | null): void {
      fail(new Error(`the reference receiver exited before it started (${signal ?? `code ${code}`})`));
    }
    function onSpawnError(err: Error): void {
      fail(err);
    }
    function onMessage(message: FromChild): void {
      if (message.type === 'error') {
        fail(message.userError ? new UserError(message.message, message.hint) : new Error(message.message));
        return;
      }
      cleanup();
      // Let the parent exit even if close() is forgotten: the child sees the disconnect and stops.
      child.unref();
      child.channel?.unref();
      resolve({
        url: message.url,
        origin: message.origin,
        port: message.port,
        pid: child.pid!,
        close: () => stopChild(child),
      });
    }

    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onSpawnError);
    const start: ToChild = { type: 'start', options: receiverOptions };
    child.send(start);
  });
}

const stopping = new WeakMap<ChildProcess, Promise<void>>();

/** Ask politely (SIGTERM), then insist (SIGKILL); resolves once the process has exited. */
function stopChild(child: ChildProcess): Promise<void> {
  const existing = stopping.get(child);
  if (existing) return existing;
  const done = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    // Keep the event loop alive until the exit is seen.
    child.ref();
    const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
  stopping.set(child, done);
  return done;
}
