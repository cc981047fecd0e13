import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResultJson } from '../../src/run/result.js';
import { cli, tempDir } from '../support/process.js';

const STRIPE_DEMO_SECRET = 'whsec_demo_4f9b2c7e1a6d8035b2e9c4f7a1d6e3b8';

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('--start/--wait-on and --log', () => {
  it('starts the receiver under test, waits for it, runs, stops it, and logs deliveries', async () => {
    const port = await freePort();
    const dir = tempDir();
    const pidFile = join(dir, 'receiver.pid');
    const logFile = join(dir, 'deliveries.jsonl');
    const start = `echo $$ > ${pidFile}; exec node --import tsx src/cli/main.ts serve --preset stripe --port ${port} --secret ${STRIPE_DEMO_SECRET}`;
    const r = await cli([
      'run',
      'scenarios/stripe-like.yaml',
      '--start',
      start,
      '--wait-on',
      `http://127.0.0.1:${port}/__wh-bench/health`,
      '--target',
      `http://127.0.0.1:${port}/webhook`,
      '--duration',
      '1s',
      '--rate',
      '100/s',
      '--log',
      logFile,
      '--log-sample',
      '0.1',
      '--out',
      join(dir, 'out'),
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\[receiver\]/);
    const report: ResultJson = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    expect(report.target.embedded).toBe(false);
    expect(report.verdict).toBe('pass');
    // The receiver was stopped with the run.
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(processAlive(pid)).toBe(false);
    // One JSON line per logged delivery: the preflight, every conformance delivery, ~10% of the load.
    const lines = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const byClass = (c: string) => lines.filter((l) => l.class === c);
    expect(byClass('preflight')).toHaveLength(1);
    const load = byClass('load');
    expect(load.length).toBeGreaterThanOrEqual(8);
    expect(load.length).toBeLessThanOrEqual(12);
    for (const l of lines) {
      expect(l.eventId).toMatch(new RegExp(`^evt_${report.runId}_\\d+$`));
      expect(typeof l.latencyMs).toBe('number');
      expect(l).toHaveProperty('errorClass');
    }
  });

  it('exits 3 with the command output when the receiver dies before it answers', async () => {
    const port = await freePort();
    const r = await cli([
      'run',
      'scenarios/stripe-like.yaml',
      '--start',
      'echo "boom: missing config" >&2; exit 4',
      '--wait-on',
      `http://127.0.0.1:${port}/`,
      '--out',
      tempDir(),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/exited \(4\) before/);
    expect(r.stderr).toMatch(/boom: missing config/);
  });
});
