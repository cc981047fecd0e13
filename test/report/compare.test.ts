import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Comparison,
  compareResults,
  DEFAULT_LIMITS,
  renderComparison,
} from '../../src/report/compare.js';
import type { ResultJson } from '../../src/run/result.js';
import { DEFAULT_PHASES, makeResult } from './fixtures.js';
import { runCli } from './helpers/run-cli.js';

const clone = (r: ResultJson): ResultJson => structuredClone(r);
const steady = (r: ResultJson) => r.phases.find((p) => p.name === 'steady')!;

describe('compareResults', () => {
  const base = makeResult();

  it('finds nothing between a run and itself', () => {
    const c = compareResults(base, clone(base));
    expect(c.regressions).toEqual([]);
    expect(c.checks).toEqual([]);
    expect(c.phases.map((p) => [p.name, p.presence])).toEqual(DEFAULT_PHASES.map((p) => [p.name, 'both']));
    expect(c.phases[0]!.changes.p99).toEqual({
      base: base.phases[0]!.latency.corrected.p99,
      head: base.phases[0]!.latency.corrected.p99,
      delta: 0,
      pct: 0,
    });
  });

  it('flags p99 only when it grows by more than 20% AND more than 5 ms', () => {
    const b = clone(base);
    steady(b).latency.corrected.p99 = 10;
    const bigPct = clone(b);
    steady(bigPct).latency.corrected.p99 = 14; // +40% but +4 ms
    expect(compareResults(b, bigPct).regressions).toEqual([]);
    const both = clone(b);
    steady(both).latency.corrected.p99 = 15.5; // +55%, +5.5 ms
    const c = compareResults(b, both);
    expect(c.regressions).toHaveLength(1);
    expect(c.regressions[0]).toMatch(/^steady: p99 10 → 15.5 ms/);
    expect(c.phases.find((p) => p.name === 'steady')!.regressed).toEqual(['p99']);
    const slowBase = clone(b);
    steady(slowBase).latency.corrected.p99 = 100;
    const bigMs = clone(b);
    steady(bigMs).latency.corrected.p99 = 110; // +10 ms but +10%
    expect(compareResults(slowBase, bigMs).regressions).toEqual([]);
  });

  it('flags achieved rate falling more than 5%', () => {
    const h = clone(base);
    steady(h).achievedRate = steady(base).achievedRate * 0.94;
    expect(compareResults(base, h).regressions.join()).toMatch(/steady: achieved rate 200 → 188/);
    const ok = clone(base);
    steady(ok).achievedRate = steady(base).achievedRate * 0.96;
    expect(compareResults(base, ok).regressions).toEqual([]);
  });

  it('flags the error rate rising by more than 0.1 points', () => {
    const h = clone(base);
    const p = steady(h);
    // 3 of 1200 (0.25%) → 6 of 1200 (0.5%): +0.25 points
    p.statusCounts = { '200': 1194, '500': 6 };
    const c = compareResults(base, h);
    expect(c.regressions).toHaveLength(1);
    expect(c.regressions[0]).toMatch(/steady: error rate 0.25% → 0.5% \(\+0.25 points/);
    const slight = clone(base);
    steady(slight).statusCounts = { '200': 1196, '500': 4 }; // +0.083 points
    expect(compareResults(base, slight).regressions).toEqual([]);
  });

  it('flags a required check going from pass to fail, and lists other changes without failing', () => {
    const h = clone(base);
    h.checks.find((c) => c.id === 'signature.wrong-secret')!.status = 'fail';
    h.checks.find((c) => c.id === 'response.no-leak')!.status = 'warn';
    h.checks.find((c) => c.id === 'signature.tampered-body')!.status = 'pass';
    const c = compareResults(base, h);
    expect(c.checks).toEqual([
      { id: 'signature.tampered-body', base: 'fail', head: 'pass', required: true, regression: false },
      { id: 'signature.wrong-secret', base: 'pass', head: 'fail', required: true, regression: true },
      { id: 'response.no-leak', base: 'pass', head: 'warn', required: false, regression: false },
    ]);
    expect(c.regressions).toEqual(['signature.wrong-secret: pass → fail (required)']);
  });

  it('reports phases present in one run only, without calling them regressions', () => {
    const h = clone(base);
    h.phases = h.phases.filter((p) => p.name !== 'spike');
    h.phases.push({ ...structuredClone(h.phases[0]!), name: 'soak' });
    const c = compareResults(base, h);
    expect(c.phases.map((p) => [p.name, p.presence])).toEqual([
      ['warmup', 'both'],
      ['steady', 'both'],
      ['spike', 'base-only'],
      ['soak', 'head-only'],
    ]);
    expect(c.regressions).toEqual([]);
  });

  it('honours other limits', () => {
    const h = clone(base);
    steady(h).achievedRate = steady(base).achievedRate * 0.97;
    expect(compareResults(base, h, { ...DEFAULT_LIMITS, ratePct: 2 }).regressions).toHaveLength(1);
  });

  it('renders a table with the regressions marked', () => {
    const h = clone(base);
    steady(h).latency.corrected.p99 = steady(base).latency.corrected.p99 + 50;
    const text = renderComparison(compareResults(base, h));
    expect(text).toMatch(/^phase steady\s+base\s+head\s+change$/m);
    expect(text).toMatch(/^ {2}p99\s+8\.77 ms\s+58\.8 ms\s+\+570\.3%\s+REGRESSION$/m);
    expect(text).toMatch(/^1 regression:$/m);
  });
});

describe('wh-bench compare', () => {
  let dir: string;
  const write = async (name: string, r: unknown) => {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify(r));
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-compare-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 without a regression and 1 with one; --json prints the comparison', async () => {
    const base = makeResult();
    const same = await runCli(['compare', await write('a.json', base), await write('b.json', base)]);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('no regression (limits: p99 +20% and +5 ms');

    const head = makeResult({
      phases: DEFAULT_PHASES.map((p) => (p.name === 'steady' ? { ...p, medianMs: 30 } : p)),
      runId: 'head1',
    });
    const worse = await runCli([
      'compare',
      await write('base.json', base),
      await write('head.json', head),
      '--json',
    ]);
    expect(worse.code).toBe(1);
    const c = JSON.parse(worse.stdout) as Comparison;
    expect(c.head.runId).toBe('head1');
    expect(c.regressions.some((r) => r.startsWith('steady: p99'))).toBe(true);

    const lenient = await runCli([
      'compare',
      join(dir, 'base.json'),
      join(dir, 'head.json'),
      '--p99-pct',
      '10000',
    ]);
    expect(lenient.code).toBe(0);
  });

  it('exits 2 for runs of different scenarios', async () => {
    const r = await runCli([
      'compare',
      await write('s1.json', makeResult()),
      await write('s2.json', makeResult({ scenarioName: 'github-like' })),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("different scenarios: 'stripe-like' (base) and 'github-like' (head)");
    expect(r.stdout).toBe('');
  });

  it('exits 2 with a clear message for a file that is not a wh-bench report, or a bad limit', async () => {
    const notReport = await runCli([
      'compare',
      await write('x.json', { hello: 1 }),
      await write('y.json', makeResult()),
    ]);
    expect(notReport.code).toBe(2);
    expect(notReport.stderr).toMatch(/x\.json is not a wh-bench report \(no schemaVersion\)\nhint: /);
    expect(notReport.stderr).not.toMatch(/\n\s+at /);
    const badLimit = await runCli(['compare', join(dir, 'y.json'), join(dir, 'y.json'), '--rate-pct', '-1']);
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--rate-pct must be a number of 0 or more');
  });
});
