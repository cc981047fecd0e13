import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFromCompressedBase64, encodeIntoCompressedBase64 } from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { readResult } from '../../src/report/load.js';
import { mergeResults } from '../../src/report/merge.js';
import type { ResultJson } from '../../src/run/result.js';
import { makeResult, newHistogram, percentiles, rng } from './fixtures.js';
import { runCli } from './helpers/run-cli.js';

/**
 * Two shards whose latencies are known value by value: the merged histogram must be exactly the one
 * recorded from all the values together, and its percentiles those of the whole, not an average.
 */
function shards(): { a: ResultJson; b: ResultJson; all: number[] } {
  const rand = rng(42);
  // Shard 1 is fast, shard 2 has a slow tail: averaging their p99s would be far from the truth.
  const valuesA = Array.from({ length: 3000 }, () => Math.round(1000 + rand() * 4000));
  const valuesB = Array.from({ length: 1000 }, (_, i) =>
    Math.round(i % 20 === 0 ? 200_000 + rand() * 100_000 : 2000 + rand() * 3000),
  );
  const a = makeResult({ shard: { index: 1, count: 2 }, seed: 1 });
  const b = makeResult({ shard: { index: 2, count: 2 }, seed: 2 });
  const fill = (r: ResultJson, values: number[]) => {
    const h = newHistogram();
    for (const v of values) h.recordValue(v);
    const p = r.phases.find((x) => x.name === 'steady')!;
    p.histograms = { corrected: encodeIntoCompressedBase64(h), uncorrected: encodeIntoCompressedBase64(h) };
    p.latency = { corrected: percentiles(h), uncorrected: percentiles(h) };
    p.sent = values.length;
    p.completed = values.length;
  };
  fill(a, valuesA);
  fill(b, valuesB);
  return { a, b, all: [...valuesA, ...valuesB] };
}

describe('mergeResults', () => {
  it('merges histograms exactly and recomputes percentiles from the sum', () => {
    const { a, b, all } = shards();
    const merged = mergeResults([a, b]);
    const truth = newHistogram();
    for (const v of all) truth.recordValue(v);
    const steady = merged.phases.find((p) => p.name === 'steady')!;
    const decoded = decodeFromCompressedBase64(steady.histograms.corrected);
    expect(decoded.totalCount).toBe(all.length);
    expect(steady.latency.corrected).toEqual(percentiles(truth));
    for (const p of [50, 90, 99, 99.9, 100])
      expect(decoded.getValueAtPercentile(p)).toBe(truth.getValueAtPercentile(p));
    // Not the mean of the shards' p99s.
    const meanP99 = (a.phases[1]!.latency.corrected.p99 + b.phases[1]!.latency.corrected.p99) / 2;
    expect(Math.abs(steady.latency.corrected.p99 - meanP99)).toBeGreaterThan(10);
  });

  it('sums counts and rates, keeps phases by name in order', () => {
    const { a, b } = shards();
    const merged = mergeResults([a, b]);
    expect(merged.phases.map((p) => p.name)).toEqual(['warmup', 'steady', 'spike']);
    merged.phases.forEach((p, i) => {
      const pa = a.phases[i]!;
      const pb = b.phases[i]!;
      expect(p.sent).toBe(pa.sent + pb.sent);
      expect(p.dropped).toBe(pa.dropped + pb.dropped);
      expect(p.achievedRate).toBeCloseTo(pa.achievedRate + pb.achievedRate, 9);
      expect(p.intendedRate).toBe(pa.intendedRate! + pb.intendedRate!);
      for (const code of new Set([...Object.keys(pa.statusCounts), ...Object.keys(pb.statusCounts)])) {
        expect(p.statusCounts[code]).toBe((pa.statusCounts[code] ?? 0) + (pb.statusCounts[code] ?? 0));
      }
      expect(p.errorCounts.timeout).toBe(pa.errorCounts.timeout + pb.errorCounts.timeout);
    });
  });

  it('sums load retry counts and recomputes the success rates from the merged counts', () => {
    const { a, b } = shards();
    const set = (r: ResultJson, completed: number, ok: number, recovered: number, exhausted: number) => {
      const p = r.phases.find((x) => x.name === 'steady')!;
      p.completed = completed;
      p.statusCounts = { '200': ok, '503': completed - ok };
      p.retries = { attempted: recovered + exhausted * 3, recovered, exhausted, notRetried: 0 };
    };
    set(a, 1000, 990, 10, 0);
    set(b, 1000, 900, 60, 40);
    const steady = mergeResults([a, b]).phases.find((p) => p.name === 'steady')!;
    expect(steady.retries).toEqual({ attempted: 190, recovered: 70, exhausted: 40, notRetried: 0 });
    expect(steady.firstAttemptSuccessRate).toBeCloseTo(1890 / 2000, 12);
    expect(steady.eventualSuccessRate).toBeCloseTo(1960 / 2000, 12);
    // Phases without retry counts stay without them.
    expect(mergeResults([a, b]).phases.find((p) => p.name === 'warmup')!.retries).toBeUndefined();
  });

  it('merges the timeseries by second, histograms included', () => {
    const { a, b } = shards();
    const merged = mergeResults([a, b]);
    expect(merged.timeseries.map((p) => p.t)).toEqual(a.timeseries.map((p) => p.t));
    merged.timeseries.forEach((p, i) => {
      const pa = a.timeseries[i]!;
      const pb = b.timeseries[i]!;
      expect(p.sent).toBe(pa.sent + pb.sent);
      expect(p.errors).toBe(pa.errors + pb.errors);
      const h = newHistogram();
      h.add(decodeFromCompressedBase64(pa.histogram));
      h.add(decodeFromCompressedBase64(pb.histogram));
      expect(p.p99).toBe(h.getValueAtPercentile(99) / 1000);
      expect(decodeFromCompressedBase64(p.histogram).totalCount).toBe(h.totalCount);
    });
  });

  it('keeps the worst status of each check, its evidence labelled by shard, and recomputes the verdict', () => {
    const a = makeResult({ shard: { index: 1, count: 2 } });
    const b = makeResult({ shard: { index: 2, count: 2 } });
    for (const r of [a, b]) for (const c of r.checks) if (c.status === 'fail') c.status = 'pass';
    expect(a.checks.some((c) => c.status === 'fail')).toBe(false);
    a.verdict = 'pass';
    b.verdict = 'pass';
    const bad = b.checks.find((c) => c.id === 'signature.malformed')!;
    bad.status = 'fail';
    const merged = mergeResults([a, b]);
    const m = merged.checks.find((c) => c.id === 'signature.malformed')!;
    expect(m.status).toBe('fail');
    expect(m.summary).toBe(`shard 2/2: ${bad.summary}`);
    expect(m.evidence.map((e) => e.label)).toEqual(bad.evidence.map((e) => `shard 2/2: ${e.label}`));
    expect(merged.verdict).toBe('fail');
    expect(merged.shard).toBeNull();
    expect(merged.checks.map((c) => c.id)).toEqual(a.checks.map((c) => c.id));
    // skip < pass: a check one shard skipped and another passed passed.
    a.checks.find((c) => c.id === 'transport.tls')!.status = 'pass';
    expect(mergeResults([a, b]).checks.find((c) => c.id === 'transport.tls')!.status).toBe('pass');
  });

  it('refuses shards of different runs and the same shard twice (exit 2)', () => {
    const a = makeResult({ shard: { index: 1, count: 2 } });
    const other = makeResult({ shard: { index: 2, count: 2 }, runId: 'zzz' });
    expect(() => mergeResults([a, other], ['a.json', 'b.json'])).toThrow(UserError);
    try {
      mergeResults([a, other], ['a.json', 'b.json']);
    } catch (e) {
      expect((e as UserError).exitCode).toBe(2);
      expect((e as UserError).message).toBe('b.json is from run zzz, a.json from run r1a2b3');
    }
    expect(() => mergeResults([a, structuredClone(a)], ['a.json', 'a2.json'])).toThrow(/both shard 1\/2/);
  });

  it('marks the result partial when shards are missing', () => {
    const merged = mergeResults([
      makeResult({ shard: { index: 1, count: 3 } }),
      makeResult({ shard: { index: 3, count: 3 } }),
    ]);
    expect(merged.partial).toBe(true);
    expect(merged.stopReason).toBe('merged 2 of 3 shards');
  });
});

describe('wh-bench merge', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-merge-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one report from the shard files and exits with the merged verdict', async () => {
    const { a, b } = shards();
    await writeFile(join(dir, 'a.json'), JSON.stringify(a));
    await writeFile(join(dir, 'b.json'), JSON.stringify(b));
    const out = join(dir, 'merged');
    const r = await runCli([
      'merge',
      join(dir, 'a.json'),
      join(dir, 'b.json'),
      '--out',
      out,
      '--format',
      'html,md',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('merged 2 shards');
    expect(r.stdout).toMatch(/verdict: FAIL/);
    const merged = await readResult(join(out, 'report.json'));
    expect(merged.phases[1]!.sent).toBe(a.phases[1]!.sent + b.phases[1]!.sent);
    expect(await readFile(join(out, 'report.html'), 'utf8')).toContain('verdict: FAIL');
    expect(await readFile(join(out, 'summary.md'), 'utf8')).toContain('## wh-bench: ❌ FAIL');
  });

  it('exits 2 when the shards come from different runs', async () => {
    await writeFile(
      join(dir, 'c.json'),
      JSON.stringify(makeResult({ runId: 'other', shard: { index: 2, count: 2 } })),
    );
    await writeFile(join(dir, 'd.json'), JSON.stringify(makeResult({ shard: { index: 1, count: 2 } })));
    const r = await runCli(['merge', join(dir, 'd.json'), join(dir, 'c.json'), '--out', join(dir, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is from run other');
    expect(r.stderr).toContain('hint: merge only the shards of one run');
  });
});
