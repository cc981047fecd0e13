import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResultJson } from '../../src/run/result.js';
import { cli, tempDir } from '../support/process.js';

/** A receiver that rejects everything with 401, as one with the wrong secret would. */
let rejecting: Server;
let rejectingUrl = '';

beforeAll(async () => {
  rejecting = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"error":"invalid signature"}');
    });
  });
  await new Promise<void>((r) => rejecting.listen(0, '127.0.0.1', r));
  rejectingUrl = `http://127.0.0.1:${(rejecting.address() as AddressInfo).port}/webhook`;
});

afterAll(async () => {
  await new Promise((r) => rejecting.close(r));
});

const readReport = (dir: string): ResultJson => JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));

describe('exit codes (real CLI processes)', () => {
  it('0: a passing run against the embedded receiver, with report.json and report.html', async () => {
    const out = tempDir();
    const r = await cli([
      'run',
      'scenarios/stripe-like.yaml',
      '--duration',
      '1s',
      '--rate',
      '50/s',
      '--out',
      out,
    ]);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(r.code).toBe(0);
    const report = readReport(out);
    expect(report.verdict).toBe('pass');
    expect(report.phases).toHaveLength(1);
    expect(report.phases[0]!.sent).toBeGreaterThanOrEqual(45);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(r.stdout.trim().split('\n').at(-1)).toMatch(/^verdict: PASS/);
  });

  it('1: a receiver that rejects valid deliveries stops at the preflight', async () => {
    const out = tempDir();
    const r = await cli(['run', 'scenarios/stripe-like.yaml', '--target', rejectingUrl, '--out', out]);
    expect(r.code).toBe(1);
    const report = readReport(out);
    expect(report.verdict).toBe('fail');
    expect(report.partial).toBe(true);
    expect(report.stopReason).toMatch(/rejected a valid delivery.*wrong secret or preset/);
    const valid = report.checks.find((c) => c.id === 'signature.valid-accepted')!;
    expect(valid.status).toBe('fail');
    expect(valid.evidence[0]?.response?.status).toBe(401);
    expect(
      report.checks.filter((c) => c.id !== 'signature.valid-accepted').every((c) => c.status === 'skip'),
    ).toBe(true);
    expect(report.phases).toHaveLength(0);
  });

  it('2: an invalid scenario prints file:line:col problems and no stack trace', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'provider:\n  preset: stripe\n  secret: whsec_abcdefgh\nevents:\n  - type: x\n    body: { id: "{{event.id}}" }\nload:\n  - { rate_limit: 5/s, duration: 30 }\n',
    );
    const r = await cli(['run', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:8:\d+: unknown key 'rate_limit'/);
    expect(r.stderr).toMatch(/bad\.yaml:8:\d+: .*duration/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('2: a bad flag value is a usage error', async () => {
    const r = await cli(['run', 'scenarios/stripe-like.yaml', '--time-scale', '5']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--time-scale 5 is out of range/);
    expect(r.stderr).toMatch(/hint:/);
  });

  it('3: nothing listening; report.json is still written', async () => {
    // Bind then close a port so nothing listens there.
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const out = tempDir();
    const r = await cli([
      'run',
      'scenarios/stripe-like.yaml',
      '--target',
      `http://127.0.0.1:${port}/`,
      '--out',
      out,
    ]);
    expect(r.code).toBe(3);
    const report = readReport(out);
    expect(report.stopReason).toMatch(/could not be reached.*refused/);
    expect(report.checks.find((c) => c.id === 'signature.valid-accepted')!.status).toBe('error');
  });

  it('3: an unwritable output folder', async () => {
    const dir = tempDir();
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    const r = await cli([
      'run',
      'scenarios/stripe-like.yaml',
      '--duration',
      '1s',
      '--rate',
      '20/s',
      '--out',
      join(file, 'sub'),
    ]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/could not write the reports/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('130: SIGINT stops the run and writes a partial report marked interrupted', async () => {
    const out = tempDir();
    const r = await cli(
      ['run', 'scenarios/stripe-like.yaml', '--duration', '30s', '--rate', '50/s', '--out', out],
      {
        onStarted: (pid, output) => {
          const poll = setInterval(() => {
            if (/load cli/.test(output())) {
              clearInterval(poll);
              setTimeout(() => process.kill(pid, 'SIGINT'), 1500);
            }
          }, 100);
        },
      },
    );
    expect(r.code).toBe(130);
    const report = readReport(out);
    expect(report.interrupted).toBe(true);
    expect(report.partial).toBe(true);
    expect(report.phases[0]!.sent).toBeGreaterThan(0);
    expect(report.phases[0]!.sent).toBeLessThan(50 * 20);
  });
});
