import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildTarget {
  url: string;
  stop(): Promise<void>;
}

/** Starts target-server.mjs in a child process (its own event loop) and waits for its port. */
export async function startChildTarget(env: Record<string, string>): Promise<ChildTarget> {
  const script = fileURLToPath(new URL('./target-server.mjs', import.meta.url));
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m) => resolve((m as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`target exited early (${code})`)));
  });
  return {
    url: `http://127.0.0.1:${port}/hook`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill();
      }),
  };
}
