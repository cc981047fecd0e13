import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { RENDERERS, writeReports } from '../../src/report/index.js';
import { parseResult, readResult } from '../../src/report/load.js';
import { makeResult } from './fixtures.js';
import { runCli } from './helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wh-bench-report-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeReports', () => {
  it('registers every format and writes report.json plus the ones asked for', async () => {
    expect(Object.keys(RENDERERS).sort()).toEqual(['html', 'json', 'junit', 'md']);
    const out = join(dir, 'run');
    const files = await writeReports(makeResult(), out, ['html', 'junit', 'md']);
    expect(files.map((f) => f.slice(out.length + 1))).toEqual([
      'report.json',
      'report.html',
      'junit.xml',
      'summary.md',
    ]);
    expect((await readdir(out)).sort()).toEqual(['junit.xml', 'report.html', 'report.json', 'summary.md']);
    expect((await readResult(join(out, 'report.json'))).runId).toBe('r1a2b3');
  });
});

describe('reading a saved report', () => {
  it('accepts what the renderers write, unknown extra fields included', () => {
    const r = { ...makeResult(), extra: { future: true } };
    expect(parseResult(JSON.parse(JSON.stringify(r)), 'r.json')).toHaveProperty('extra.future', true);
  });

  it('refuses other JSON with a message naming the file and the field', () => {
    const bad = (v: unknown) => {
      try {
        parseResult(v, 'r.json');
      } catch (e) {
        expect(e).toBeInstanceOf(UserError);
        expect((e as UserError).exitCode).toBe(2);
        return (e as UserError).message;
      }
      throw new Error('accepted');
    };
    expect(bad([1, 2])).toBe('r.json is not a wh-bench report (no schemaVersion)');
    expect(bad({ name: 'x' })).toBe('r.json is not a wh-bench report (no schemaVersion)');
    expect(bad({ ...makeResult(), schemaVersion: 99 })).toMatch(/schema v99; this wh-bench reads up to v1/);
    const broken = makeResult() as unknown as { checks: unknown };
    broken.checks = 'nope';
    expect(bad(broken)).toMatch(/^r\.json is not a valid wh-bench report: checks: /);
    const phase = makeResult();
    (phase.phases[0] as unknown as { histograms: unknown }).histograms = null;
    expect(bad(phase)).toMatch(/phases\.0\.histograms/);
  });
});

describe('wh-bench report', () => {
  it('re-renders html, junit and md next to the JSON and leaves the JSON alone', async () => {
    const folder = join(dir, 'saved');
    await mkdir(folder);
    const json = join(folder, 'report.json');
    const original = `${JSON.stringify(makeResult())}\n`;
    await writeFile(json, original);
    const before = await stat(json);
    const r = await runCli(['report', json, '--format', 'html,junit,md']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual(
      ['report.html', 'junit.xml', 'summary.md'].map((f) => join(folder, f)),
    );
    expect(await readFile(json, 'utf8')).toBe(original);
    expect((await stat(json)).mtimeMs).toBe(before.mtimeMs);
    expect(await readFile(join(folder, 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(await readFile(join(folder, 'junit.xml'), 'utf8')).toMatch(/^<\?xml/);
    expect(await readFile(join(folder, 'summary.md'), 'utf8')).toMatch(/^## wh-bench/);
  });

  it('writes into --out and defaults to html', async () => {
    const json = join(dir, 'saved', 'report.json');
    const out = join(dir, 'elsewhere');
    const r = await runCli(['report', json, '--out', out]);
    expect(r.code).toBe(0);
    expect(await readdir(out)).toEqual(['report.html']);
  });

  it('exits 2 with a message and a hint, no stack trace, for files that are not reports', async () => {
    const text = join(dir, 'notes.txt');
    await writeFile(text, 'hello');
    const other = join(dir, 'package.json');
    await writeFile(other, JSON.stringify({ name: 'x', version: '1.0.0' }));
    const cases: Array<[string[], RegExp]> = [
      [['report', text], /notes\.txt is not JSON, so not a wh-bench report\nhint: /],
      [
        ['report', other],
        /package\.json is not a wh-bench report \(no schemaVersion\)\nhint: pass the report\.json/,
      ],
      [['report', join(dir, 'missing.json')], /cannot read .*missing\.json \(ENOENT\)\nhint: /],
      [['report', join(dir, 'saved', 'report.json'), '--format', 'pdf'], /unknown report format 'pdf'/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});
