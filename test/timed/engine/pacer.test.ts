import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryResult } from '../../../src/engine/delivery.js';
import { runPhase, startPhase } from '../../../src/engine/pacer.js';
import { loadDeliveries } from '../../support/deliveries.js';

/** A dispatcher without sockets: answers 200 after `latencyMs` (0: synchronously, inside send). */
function fakeDispatcher(latencyMs: number) {
  const state = { inflight: 0, maxInflight: 0, sends: [] as Delivery[] };
  const answer = (d: Delivery, cb: (r: DeliveryResult) => void, writtenAt: number) => {
    state.inflight--;
    const now = performance.now();
    cb({
      delivery: d,
      status: 200,
      writtenAt,
      endedAt: now,
      correctedUs: Math.round((now - d.intendedAt) * 1000),
      uncorrectedUs: Math.round((now - writtenAt) * 1000),
    });
  };
  return {
    state,
    send(d: Delivery, cb: (r: DeliveryResult) => void) {
      state.inflight++;
      state.maxInflight = Math.max(state.maxInflight, state.inflight);
      state.sends.push(d);
      const at = performance.now();
      if (latencyMs === 0) answer(d, cb, at);
      else setTimeout(answer, latencyMs, d, cb, at);
    },
  };
}

const make = loadDeliveries('http://127.0.0.1:1/');

describe('open model', () => {
  it('sends every slot of the schedule at its exact intended instant', async () => {
    const fake = fakeDispatcher(2);
    const out = await runPhase({
      phase: { name: 'steady', model: 'open', rate: 200, durationMs: 500 },
      maxInflight: 1000,
      makeDelivery: make,
      dispatcher: fake,
    });
    expect(out.result.sent).toBe(100);
    expect(out.result.completed).toBe(100);
    expect(out.result.dropped).toBe(0);
    expect(out.result.intendedRate).toBe(200);
    expect(out.result.achievedRate).toBe(200);
    expect(out.result.statusCounts).toEqual({ '200': 100 });
    const at = fake.state.sends.map((d) => d.intendedAt);
    for (let k = 1; k < at.length; k++) expect(at[k]! - at[k - 1]!).toBeCloseTo(5, 6);
    expect(fake.state.sends.map((d) => d.eventId)).toEqual(Array.from({ length: 100 }, (_, i) => `evt_${i}`));
    const series = out.timeseries;
    expect(series.every((p) => p.phase === 'steady')).toBe(true);
    expect(series.reduce((n, p) => n + p.sent, 0)).toBe(100);
    expect(series.reduce((n, p) => n + p.completed, 0)).toBe(100);
    expect(out.result.classes['load']?.completed).toBe(100);
  });

  it('drops sends (counted, schedule advancing) when too many are in flight', async () => {
    const fake = fakeDispatcher(150);
    const out = await runPhase({
      phase: { name: 'stall', model: 'open', rate: 100, durationMs: 500 },
      maxInflight: 3,
      makeDelivery: make,
      dispatcher: fake,
    });
    expect(out.result.dropped).toBeGreaterThan(20);
    expect(out.result.sent + out.result.dropped).toBe(50);
    expect(fake.state.maxInflight).toBeLessThanOrEqual(3);
    expect(out.result.completed).toBe(out.result.sent);
  });

  it('ramps: more sends in the second half than in the first', async () => {
    const fake = fakeDispatcher(1);
    const out = await runPhase({
      phase: { name: 'ramp', model: 'open', rate: 50, rampTo: 250, durationMs: 600 },
      maxInflight: 1000,
      makeDelivery: make,
      dispatcher: fake,
    });
    expect(out.result.sent).toBe(90);
    expect(out.result.intendedRate).toBe(150);
    const t0 = fake.state.sends[0]!.intendedAt;
    const firstHalf = fake.state.sends.filter((d) => d.intendedAt - t0 < 300).length;
    // N(0.3 s) = 50·0.3 + (200/1.2)·0.09 = 30.
    expect(firstHalf).toBe(30);
  });

  it('stops scheduling on abort and still records what was in flight', async () => {
    const fake = fakeDispatcher(50);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const out = await runPhase({
      phase: { name: 'cut', model: 'open', rate: 100, durationMs: 5000 },
      maxInflight: 1000,
      makeDelivery: make,
      dispatcher: fake,
      signal: ac.signal,
    });
    expect(out.result.durationMs).toBeGreaterThan(150);
    expect(out.result.durationMs).toBeLessThan(1000);
    expect(out.result.sent).toBeLessThan(100);
    expect(out.result.completed).toBe(out.result.sent);
    expect(Math.abs(out.result.intendedRate! - 100)).toBeLessThan(15);
  });

  it('sends nothing when the signal is already aborted', async () => {
    const fake = fakeDispatcher(1);
    const out = await runPhase({
      phase: { name: 'none', model: 'open', rate: 100, durationMs: 1000 },
      maxInflight: 10,
      makeDelivery: make,
      dispatcher: fake,
      signal: AbortSignal.abort(),
    });
    expect(out.result.sent).toBe(0);
    expect(out.result.durationMs).toBe(0);
  });
});

describe('closed model', () => {
  it('keeps exactly N senders busy, each sending after its previous one ended', async () => {
    const fake = fakeDispatcher(5);
    const progress: number[] = [];
    const out = await runPhase({
      phase: { name: 'closed', model: 'closed', concurrency: 4, durationMs: 300 },
      maxInflight: 1,
      makeDelivery: make,
      dispatcher: fake,
      onProgress: (p) => progress.push(p.sent),
      progressIntervalMs: 100,
    });
    expect(fake.state.maxInflight).toBe(4);
    expect(out.result.sent).toBeGreaterThan(40);
    expect(out.result.completed).toBe(out.result.sent);
    expect(out.result.intendedRate).toBeNull();
    expect(out.result.achievedRate).toBeCloseTo(out.result.sent / 0.3, 6);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[progress.length - 1]).toBe(out.result.sent);
  });

  it('survives a dispatcher that answers synchronously (no recursion), and stop() ends it', async () => {
    const fake = fakeDispatcher(0);
    const run = startPhase({
      phase: { name: 'sync', model: 'closed', concurrency: 2, durationMs: 10_000 },
      maxInflight: 1,
      makeDelivery: make,
      dispatcher: fake,
    });
    setTimeout(() => run.stop(), 100);
    const out = await run.done;
    expect(out.result.sent).toBeGreaterThan(100);
    expect(out.result.completed).toBe(out.result.sent);
    expect(out.result.durationMs).toBeLessThan(1000);
  });
});
