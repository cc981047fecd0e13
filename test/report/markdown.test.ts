import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { annotationsOf, emitGithub } from '../../src/report/github.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { hostileChecks, makeResult, sampleChecks } from './fixtures.js';

/** Table rows of a Markdown table: cells split on unescaped pipes. */
function rows(md: string, header: string): string[][] {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith(header));
  const out: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    out.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((c) => c.trim()),
    );
  }
  return out;
}

describe('renderMarkdown', () => {
  const result = makeResult();
  const md = renderMarkdown(result);

  it('leads with the verdict and lists every check, worst first, four cells a row', () => {
    expect(md.split('\n')[0]).toBe('## wh-bench: ❌ FAIL');
    const table = rows(md, '| status | check |');
    expect(table).toHaveLength(result.checks.length);
    for (const r of table) expect(r).toHaveLength(4);
    expect(table.slice(0, 4).map((r) => r[0])).toEqual(['❌ fail', '❌ fail', '❌ fail', '❌ fail']);
    expect(table[4]![0]).toBe('⚠️ warn');
    expect(table.at(-1)![0]).toBe('⏭️ skip');
    expect(table[0]![1]).toBe('`signature.tampered-body`');
  });

  it('has a phases table with a row per phase', () => {
    const table = rows(md, '| phase |');
    expect(table.map((r) => r[0])).toEqual(result.phases.map((p) => p.name));
    for (const r of table) expect(r).toHaveLength(10);
  });

  it('folds the reproducers of failures into <details>', () => {
    expect(md).toContain('<details><summary>Reproduce the failures and warnings</summary>');
    expect(md).toContain('--mutation tampered-body');
    expect(md.trimEnd().endsWith('</details>')).toBe(true);
  });

  it('reads as a pass when everything passed', () => {
    const ok = makeResult({
      checks: sampleChecks().map((c) => ({ ...c, status: c.status === 'skip' ? 'skip' : 'pass' })),
    });
    const text = renderMarkdown(ok);
    expect(text.split('\n')[0]).toBe('## wh-bench: ✅ PASS');
    expect(text).not.toContain('<details>');
  });

  it('keeps hostile text inside its cell, without HTML, code or links', () => {
    const hostile = renderMarkdown(makeResult({ checks: hostileChecks() }));
    const table = rows(hostile, '| status | check |');
    expect(table).toHaveLength(3);
    for (const r of table) expect(r).toHaveLength(4);
    const cell = table.find((r) => r[1] === '`signature.tampered-body`')![3]!;
    expect(cell).not.toMatch(/<|>|(?<!\\)`|(?<!\\)\[/);
    expect(cell).toContain('&#60;script&#62;window.\\_\\_pwned = 1&#60;/script&#62;');
    expect(cell).toContain('\\u202e');
    // Outside the fenced reproducers no raw tag from the target survives.
    const outside = hostile.replace(/(`{3,})sh\n[\s\S]*?\n\1/g, '');
    expect(outside).not.toMatch(/<(script|img|svg|iframe|textarea|a )/i);
    // Inside a fence nothing can close it early.
    for (const m of hostile.matchAll(/^(`{3,})sh$/gm)) expect(m[1]!.length).toBeGreaterThanOrEqual(3);
  });
});

describe('emitGithub', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-gh-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('does nothing outside GitHub Actions', async () => {
    const lines: string[] = [];
    const out = await emitGithub(makeResult(), { GITHUB_STEP_SUMMARY: join(dir, 'never.md') }, (s) =>
      lines.push(s),
    );
    expect(out).toEqual({ summaryFile: null, annotations: 0 });
    expect(lines).toEqual([]);
    await expect(readFile(join(dir, 'never.md'))).rejects.toThrow();
  });

  it('appends the summary and prints one ::error per failed required check', async () => {
    const file = join(dir, 'summary.md');
    await writeFile(file, 'previous step\n');
    const lines: string[] = [];
    const result = makeResult();
    const out = await emitGithub(result, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: file }, (s) =>
      lines.push(s),
    );
    const summary = await readFile(file, 'utf8');
    expect(summary.startsWith('previous step\n## wh-bench: ❌ FAIL')).toBe(true);
    const errors = lines.filter((l) => l.startsWith('::error '));
    expect(errors.map((l) => /title=([^:]+)::/.exec(l)![1])).toEqual(
      result.checks.filter((c) => c.required && c.status === 'fail').map((c) => c.id),
    );
    expect(lines).toContain(
      '::warning title=timestamp.future::accepted a timestamp 600 s ahead (the official Stripe library accepts it too)\n',
    );
    expect(out).toEqual({ summaryFile: file, annotations: lines.length });
    for (const l of lines) expect(l.endsWith('\n') && !l.slice(0, -1).includes('\n')).toBe(true);
  });

  it('keeps each annotation one command whatever the summary holds', () => {
    const lines = annotationsOf(makeResult({ checks: hostileChecks() }));
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(l).not.toMatch(/[\r\n]/);
      expect(l).toMatch(/^::(error|warning) title=[^:,]+::/);
    }
    expect(lines[0]).toContain('100%25 \\u000d%0A::warning::forged annotation');
  });

  it('turns an unwritable summary file into a warning, not a failure', async () => {
    const lines: string[] = [];
    const out = await emitGithub(
      makeResult(),
      { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: join(dir, 'missing-dir', 'x.md') },
      (s) => lines.push(s),
    );
    expect(out.summaryFile).toBeNull();
    expect(lines[0]).toMatch(/^::warning title=wh-bench::could not write the step summary/);
  });
});
