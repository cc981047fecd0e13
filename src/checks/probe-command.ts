import { spawn } from 'node:child_process';
import { type CountReader, ProbeError } from './probe-types.js';

/** Output kept from a probe command: a count is a few bytes. */
const OUTPUT_CAP = 64 * 1024;

export interface CommandProbeOptions {
  /** Run by /bin/sh -c, with the event id in WH_EVENT_ID. */
  command: string;
  timeoutMs: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs the command in its own process group, so a timeout kills what it started as well. */
function runOnce(o: CommandProbeOptions, eventId: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', o.command], {
      cwd: o.cwd,
      env: { ...(o.env ?? process.env), WH_EVENT_ID: eventId },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    let timedOut = false;
    child.stdout.on('data', (b: Buffer) => {
      if (outSize < OUTPUT_CAP) out.push(b);
      outSize += b.length;
    });
    child.stderr.on('data', (b: Buffer) => {
      if (errSize < OUTPUT_CAP) err.push(b);
      errSize += b.length;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, o.timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        timedOut,
      });
    });
  });
}

const firstLine = (s: string): string => {
  const line =
    s
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
};

/** A shell command that prints the count (`psql -tAc ...`, `grep -c ...`). */
export function commandCountReader(o: CommandProbeOptions): CountReader {
  return {
    label: `command ${JSON.stringify(o.command.length > 80 ? `${o.command.slice(0, 80)}…` : o.command)}`,
    async read(eventId) {
      let ran: Ran;
      try {
        ran = await runOnce(o, eventId);
      } catch (e) {
        throw new ProbeError(
          `the probe command could not start: ${(e as Error).message}`,
          'is /bin/sh available?',
        );
      }
      if (ran.timedOut) {
        throw new ProbeError(
          `the probe command did not finish within ${o.timeoutMs} ms`,
          'a probe runs many times per check: make it a quick count',
        );
      }
      const printed = ran.stdout.trim();
      if (ran.code !== 0) {
        const why = ran.code === null ? `was killed by ${ran.signal}` : `exited ${ran.code}`;
        const said = firstLine(ran.stderr) || firstLine(ran.stdout);
        // grep -c prints 0 and exits 1 when nothing matches: the commonest probe mistake.
        const grepHint =
          ran.code === 1 && printed === '0'
            ? 'grep -c exits 1 when it counts 0: append `|| true` to the command'
            : 'the command must exit 0 and print the count';
        throw new ProbeError(`the probe command ${why} for ${eventId}${said ? `: ${said}` : ''}`, grepHint);
      }
      if (!/^\d{1,15}$/.test(printed)) {
        const shown = printed.length > 120 ? `${printed.slice(0, 120)}…` : printed;
        throw new ProbeError(
          `the probe command printed ${JSON.stringify(shown)} for ${eventId}, not a count`,
          'print only the number (psql -tA, wc -l < file, grep -c)',
        );
      }
      return Number(printed);
    },
    close: async () => {},
  };
}
