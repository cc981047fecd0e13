import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryResult, ErrorClass } from '../../src/engine/delivery.js';
import { decodeHistogram, mergeEncoded, percentilesOfEncoded } from '../../src/metrics/histogram.js';
import { isFailure, PhaseRecorder } from '../../src/metrics/recorder.js';

const RUN_START = 10_000;

// A real collection before each heap reading, so the memory test measures retention, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const delivery = (cls = 'load', attempt = 1, intendedAt = RUN_START): Delivery => ({
  method: 'POST',
  url: 'http://127.0.0.1:1/',
  headers: [],
  body: new Uint8Array(0),
  class: cls,
  eventId: 'e',
  attempt,
  intendedAt,
});

function result(
  endedAt: number,
  correctedUs: number,
  extra: { status?: number; errorClass?: ErrorClass; cls?: string; aborted?: boolean } = {},
): DeliveryResult {
  const r: DeliveryResult = {
    delivery: delivery(extra.cls),
    writtenAt: endedAt - correctedUs / 2000,
    endedAt,
    correctedUs,
    uncorrectedUs: Math.round(correctedUs / 2),
  };
  if (extra.errorClass) r.errorClass = extra.errorClass;
  else if (!extra.aborted) r.status = extra.status ?? 200;
  if (extra.aborted) r.aborted = true;
  return r;
}

const recorder = () =>
  new PhaseRecorder({
    name: 'steady',
    model: 'open',
    runStartMs: RUN_START,
    intendedRate: 100,
    startMs: RUN_START,
  });

describe('PhaseRecorder', () => {
  it('counts statuses, error classes, sends, drops and first attempts', () => {
    const rec = recorder();
    for (let i = 0; i < 10; i++)
      rec.recordSent(delivery('load', i < 8 ? 1 : 2, RUN_START + i), RUN_START + i + 0.5);
    rec.recordDropped();
    rec.recordDropped();
    rec.record(result(RUN_START + 10, 1000));
    rec.record(result(RUN_START + 10, 1000, { status: 503 }));
    rec.record(result(RUN_START + 10, 1000, { status: 302 }));
    rec.record(result(RUN_START + 10, 5_000_000, { errorClass: 'timeout' }));
    rec.record(result(RUN_START + 10, 1000, { errorClass: 'refused' }));
    rec.record(result(RUN_START + 10, 1000, { aborted: true }));
    const { result: r } = rec.finish(2000, RUN_START + 2000);
    expect(r.sent).toBe(10);
    expect(r.firstAttempts).toBe(8);
    expect(r.achievedRate).toBe(4);
    expect(r.intendedRate).toBe(100);
    expect(r.dropped).toBe(2);
    expect(r.completed).toBe(6);
    expect(r.statusCounts).toEqual({ '200': 1, '302': 1, '503': 1 });
    expect(r.errorCounts).toEqual({
      timeout: 1,
      refused: 1,
      reset: 0,
      tls: 0,
      dns: 0,
      protocol: 0,
      other: 0,
    });
    expect(r.sendLag.p50).toBeCloseTo(0.5, 2);
    // The timeout is recorded at its elapsed time, not dropped.
    expect(r.latency.corrected.max).toBeCloseTo(5000, -1);
  });

  it('reports corrected and uncorrected percentiles, and per class', () => {
    const rec = recorder();
    for (let i = 1; i <= 1000; i++) rec.record(result(RUN_START + 5, i * 1000));
    for (let i = 0; i < 10; i++)
      rec.record(result(RUN_START + 5, 77_000, { cls: 'signature.tampered-body' }));
    const { result: r } = rec.finish(1000, RUN_START + 1000);
    expect(r.latency.corrected.p50).toBeCloseTo(500, -1);
    expect(r.latency.corrected.p99).toBeCloseTo(990, -1);
    expect(r.latency.uncorrected.p50).toBeCloseTo(250, -1);
    expect(r.classes['load']?.completed).toBe(1000);
    expect(r.classes['load']?.corrected.max).toBeCloseTo(1000, 0);
    expect(r.classes['signature.tampered-body']?.corrected.p50).toBeCloseTo(77, 0);
    expect(decodeHistogram(r.histograms.corrected).totalCount).toBe(1010);
    expect(percentilesOfEncoded(r.histograms.uncorrected)).toEqual(r.latency.uncorrected);
  });

  it('buckets per second since run start: sends when sent, completions when ended, gaps filled', () => {
    const rec = recorder();
    rec.recordSent(delivery(), RUN_START + 100);
    rec.recordSent(delivery(), RUN_START + 900);
    rec.record(result(RUN_START + 950, 2000));
    rec.record(result(RUN_START + 1200, 3000, { status: 500 }));
    rec.recordSent(delivery(), RUN_START + 3500);
    rec.record(result(RUN_START + 3600, 4000, { errorClass: 'reset' }));
    const { timeseries, result: r } = rec.finish(4000, RUN_START + 3999);
    expect(timeseries.map((p) => [p.t, p.sent, p.completed, p.errors])).toEqual([
      [0, 2, 1, 0],
      [1, 0, 1, 1],
      [2, 0, 0, 0],
      [3, 1, 1, 1],
    ]);
    expect(timeseries.every((p) => p.phase === 'steady')).toBe(true);
    expect(timeseries[0]?.p50).toBeCloseTo(2, 2);
    expect(decodeHistogram(timeseries[2]!.histogram).totalCount).toBe(0);
    // The seconds merge back into the phase histogram exactly.
    expect(mergeEncoded(timeseries.map((p) => p.histogram))).toBe(r.histograms.corrected);
  });

  it('ignores results after finish and returns the same outcome twice', () => {
    const rec = recorder();
    rec.record(result(RUN_START + 1, 1000));
    const a = rec.finish(1000, RUN_START + 1000);
    rec.record(result(RUN_START + 2, 1000));
    rec.recordSent(delivery(), RUN_START + 2);
    expect(rec.finish(1000)).toBe(a);
    expect(a.result.completed).toBe(1);
  });

  it('snapshot gives progress with the last finished second', () => {
    const rec = recorder();
    rec.recordSent(delivery(), RUN_START + 10);
    rec.record(result(RUN_START + 20, 1500));
    expect(rec.snapshot()).toEqual({ sent: 1, completed: 1, errors: 0, dropped: 0 });
    rec.record(result(RUN_START + 1020, 1500, { status: 404 }));
    const s = rec.snapshot();
    expect(s.ratePerSec).toBe(1);
    expect(s.p99Ms).toBeCloseTo(1.5, 2);
    expect(s.errors).toBe(1);
    rec.finish(2000, RUN_START + 2000);
  });

  it('isFailure: errors and non-2xx count, deliberate aborts do not', () => {
    expect(isFailure(result(0, 1))).toBe(false);
    expect(isFailure(result(0, 1, { status: 301 }))).toBe(true);
    expect(isFailure(result(0, 1, { errorClass: 'dns' }))).toBe(true);
    expect(isFailure(result(0, 1, { aborted: true }))).toBe(false);
  });

  it('keeps memory flat: a million records grow no arrays', () => {
    const rec = recorder();
    const r = result(RUN_START + 10, 1234);
    const d = delivery();
    // Warm up, then measure the heap across a million records inside one second.
    for (let i = 0; i < 10_000; i++) rec.record(r);
    const used = () => {
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const before = used();
    for (let i = 0; i < 1_000_000; i++) {
      rec.recordSent(d, RUN_START + 500);
      r.correctedUs = 1000 + (i % 50_000);
      rec.record(r);
    }
    const grown = used() - before;
    const out = rec.finish(1000, RUN_START + 999);
    expect(out.result.completed).toBe(1_010_000);
    expect(out.timeseries).toHaveLength(1);
    // Keeping even one number per request would retain ≥ 8 MB for a million.
    expect(grown).toBeLessThan(2 * 1024 * 1024);
  });

  it('a long run costs one encoded histogram per second, nothing per request', () => {
    const rec = recorder();
    const r = result(RUN_START, 1000);
    for (let s = 0; s < 600; s++) {
      for (let i = 0; i < 100; i++) {
        (r as { endedAt: number }).endedAt = RUN_START + s * 1000 + i;
        rec.record(r);
      }
    }
    const out = rec.finish(600_000, RUN_START + 599_999);
    expect(out.timeseries).toHaveLength(600);
    expect(out.timeseries.reduce((n, p) => n + p.completed, 0)).toBe(60_000);
    const bytes = out.timeseries.reduce((n, p) => n + p.histogram.length, 0);
    expect(bytes / 600).toBeLessThan(200);
  });
});
