/**
 * wrk (Debian's), for context: C, one thread, a static body it cannot sign per request. A Lua script
 * sets the method, the body and the same headers; the signature header is a fixed one.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RUN_HEADER, SIGNATURE_HEADER, STATIC_HEADERS, staticBody } from '../payload.js';
import { spawnSyncText } from '../target.js';
import type { ContenderOptions, ContenderReport } from './types.js';

export const WRK_BIN = '/usr/bin/wrk';

export function wrkVersion(): string | null {
  if (!existsSync(WRK_BIN)) return null;
  return /wrk (\S+)/.exec(spawnSyncText(WRK_BIN, ['-v']))?.[1] ?? null;
}

const lua = (s: string): string => JSON.stringify(s);

/** The Lua script: static method, body and headers (wrk sets Content-Length itself). */
export function wrkScript(): string {
  const lines = ['wrk.method = "POST"', `wrk.body = ${lua(staticBody())}`];
  const headers: Array<readonly [string, string]> = [
    ...STATIC_HEADERS,
    [SIGNATURE_HEADER, `t=1700000000,v1=${'0'.repeat(64)}`],
    RUN_HEADER,
  ];
  for (const [n, v] of headers) lines.push(`wrk.headers[${lua(n)}] = ${lua(v)}`);
  return `${lines.join('\n')}\n`;
}

/** wrk's own summary: `N requests in Xs` and `Non-2xx or 3xx responses: M`. */
export function parseWrkOutput(text: string): ContenderReport {
  const total = Number(/(\d+) requests in/.exec(text)?.[1] ?? Number.NaN);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(text)?.[1] ?? 0);
  const errs = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const socketErrors = errs ? errs.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
  if (!Number.isFinite(total)) throw new Error(`unexpected wrk output: ${text.slice(0, 200)}`);
  return { selfCount: total - non2xx, failures: non2xx + socketErrors };
}

/** wrk takes whole seconds. */
export function runWrk(o: ContenderOptions): Promise<ContenderReport> {
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-wrk-'));
  const script = join(dir, 'post.lua');
  writeFileSync(script, wrkScript());
  const seconds = Math.max(1, Math.round(o.seconds));
  const args = ['-t1', `-c${o.connections}`, `-d${seconds}s`, '-s', script, o.url];
  return new Promise<ContenderReport>((resolve, reject) => {
    const child = spawn(WRK_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`wrk exited with ${code}: ${out.trim()}`));
      else {
        try {
          resolve(parseWrkOutput(out));
        } catch (err) {
          reject(err);
        }
      }
    });
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}
