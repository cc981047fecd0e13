import { appendFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProbe } from '../../../src/checks/probe.js';
import { commandCountReader } from '../../../src/checks/probe-command.js';

const dir = mkdtempSync(join(tmpdir(), 'wh-bench-probe-'));
const cmd = (command: string, timeoutMs = 5000) => commandCountReader({ command, timeoutMs, cwd: dir });

describe('the command probe', () => {
  it('runs through /bin/sh -c with the event id in WH_EVENT_ID, never in the command text', async () => {
    const log = join(dir, 'effects.log');
    writeFileSync(log, 'evt_1\nevt_10\nevt_1\n');
    const r = cmd(`grep -cxF "$WH_EVENT_ID" ${log} || true`);
    expect(await r.read('evt_1')).toBe(2);
    expect(await r.read('evt_10')).toBe(1);
    expect(await r.read('evt_2')).toBe(0);
    // An id full of shell syntax stays data.
    expect(await r.read('$(touch pwned); `id`')).toBe(0);
  });

  it('takes the count with surrounding whitespace (psql -t pads it)', async () => {
    expect(await cmd("printf '  7 \\n'").read('x')).toBe(7);
  });

  it('fails when the command exits non-zero, and hints at grep -c exiting 1 on a count of 0', async () => {
    const log = join(dir, 'empty.log');
    writeFileSync(log, '');
    await expect(cmd(`grep -c "$WH_EVENT_ID" ${log}`).read('evt_1')).rejects.toMatchObject({
      message: expect.stringMatching(/exited 1 for evt_1/),
      hint: expect.stringMatching(/\|\| true/),
    });
    await expect(cmd('echo "relation effects does not exist" >&2; exit 2').read('e')).rejects.toThrow(
      /exited 2 for e: relation effects does not exist/,
    );
  });

  it('fails when it prints something other than a count', async () => {
    await expect(cmd('echo one').read('e')).rejects.toThrow(/printed "one" for e, not a count/);
    await expect(cmd('true').read('e')).rejects.toThrow(/printed "" for e, not a count/);
    // A missing file under `|| true` prints nothing: an error, not a silent 0.
    await expect(cmd('grep -c x /nonexistent/effects.log 2>/dev/null || true').read('e')).rejects.toThrow(
      /not a count/,
    );
  });

  it('kills a command that runs past its timeout, with what it started', async () => {
    const marker = join(dir, 'still-running');
    const started = performance.now();
    // A background subshell outlives a killed /bin/sh unless the whole process group is killed.
    await expect(cmd(`(sleep 0.4; touch ${marker}) & wait; echo 1`, 100).read('e')).rejects.toThrow(
      /did not finish within 100 ms/,
    );
    expect(performance.now() - started).toBeLessThan(380);
    await new Promise((r) => setTimeout(r, 700));
    expect(existsSync(marker)).toBe(false);
  });

  it('watches a count that grows in a file, as a probe', async () => {
    const log = join(dir, 'grow.log');
    writeFileSync(log, '');
    const p = createProbe(
      { kind: 'command', command: `grep -cxF "$WH_EVENT_ID" ${log} || true`, settleMs: 2000, windowMs: 150 },
      { timeScale: 1 },
    );
    setTimeout(() => appendFileSync(log, 'evt_g\n'), 50);
    const out = await p.expectOne('evt_g');
    expect(out).toMatchObject({ ok: true, max: 1, last: 1 });
    await p.close();
  });
});
