import { UserError } from '../errors.js';
import type { FromChild, ToChild } from './ipc.js';
import { type RunningReceiver, startReceiver } from './server.js';

/**
 * Entry of the child process that hosts the reference receiver (forked by spawn.ts). It waits for
 * its options over IPC, reports its URL, and exits when told to, on SIGTERM, or when the parent goes.
 */

let receiver: RunningReceiver | null = null;
let stopping = false;

function reply(message: FromChild): void {
  if (process.connected) process.send?.(message);
}

async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  // Bound the wait: a stuck socket must not keep an orphan alive.
  setTimeout(() => process.exit(0), 2000).unref();
  await receiver?.close();
  process.exit(0);
}

process.on('message', (message: ToChild) => {
  if (message.type === 'close') {
    void stop();
    return;
  }
  if (message.type !== 'start' || receiver !== null) return;
  startReceiver(message.options).then(
    (r) => {
      receiver = r;
      reply({ type: 'listening', url: r.url, origin: r.origin, port: r.port });
    },
    (err: unknown) => {
      const userError = err instanceof UserError;
      reply({
        type: 'error',
        message: err instanceof Error ? err.message : String(err),
        ...(userError && err.hint !== undefined ? { hint: err.hint } : {}),
        userError,
      });
      void stop();
    },
  );
});

// The parent died or let go of us: nobody is left to send to this receiver.
process.on('disconnect', () => void stop());
process.on('SIGTERM', () => void stop());
// Ctrl+C reaches the whole process group; the parent decides when the receiver stops (it may still
// be writing a partial report that needs in-flight answers).
process.on('SIGINT', () => {});
