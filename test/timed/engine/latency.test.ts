import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../../src/engine/dispatcher.js';
import { runPhase } from '../../../src/engine/pacer.js';
import { loadDeliveries } from '../../support/deliveries.js';
import { type ChildTarget, startChildTarget } from './child-target.js';

let target: ChildTarget | undefined;
let dispatcher: Dispatcher | undefined;

afterEach(async () => {
  await dispatcher?.close();
  await target?.stop();
  dispatcher = undefined;
  target = undefined;
});

const body = Buffer.from('{"id":"evt_timing"}');
const maker = (url: string) => loadDeliveries(url, { headers: [['Content-Type', 'application/json']], body });

describe('timing truth', () => {
  it('a server that answers after 50 ms gives p50 within max(2 ms, 5%) of 50 ms', async () => {
    const D = 50;
    target = await startChildTarget({ MODE: 'delay', DELAY_MS: String(D) });
    dispatcher = createDispatcher({
      origin: target.url,
      connections: 8,
      timeoutMs: 5000,
      bodyCapBytes: 1024,
    });
    // Warm the connections so connection setup is not in the measured phase.
    await Promise.all(
      Array.from({ length: 8 }, () => dispatcher!.sendAsync(maker(target!.url)(0, performance.now()))),
    );
    const out = await runPhase({
      phase: { name: 'timing', model: 'open', rate: 40, durationMs: 3000 },
      maxInflight: 100,
      makeDelivery: maker(target.url),
      dispatcher,
    });
    const tolerance = Math.max(2, 0.05 * D);
    expect(out.result.statusCounts).toEqual({ '204': 120 });
    const { corrected, uncorrected } = out.result.latency;
    expect(Math.abs(uncorrected.p50 - D)).toBeLessThanOrEqual(tolerance);
    expect(uncorrected.p50).toBeGreaterThanOrEqual(D);
    // Corrected latency also carries how late each send left (the pacer's lag), by design.
    expect(corrected.p50).toBeGreaterThanOrEqual(uncorrected.p50);
    expect(corrected.p50 - D).toBeLessThanOrEqual(tolerance + out.result.sendLag.p50);
  });
});

describe('coordinated omission', () => {
  it('a target stalling S ms every P ms gives corrected p99 ≈ S − 0.01·P while uncorrected p99 stays near service time', async () => {
    const S = 200;
    const P = 2000;
    target = await startChildTarget({ MODE: 'stall', STALL_MS: String(S), PERIOD_MS: String(P) });
    // One connection: requests queue behind a stalled one, exactly what a closed-loop tool would not see.
    dispatcher = createDispatcher({
      origin: target.url,
      connections: 1,
      timeoutMs: 10_000,
      bodyCapBytes: 1024,
    });
    await dispatcher.sendAsync(maker(target.url)(0, performance.now()));
    const out = await runPhase({
      phase: { name: 'stalls', model: 'open', rate: 200, durationMs: 5 * P },
      maxInflight: 10_000,
      makeDelivery: maker(target.url),
      dispatcher,
    });
    const expected = S - 0.01 * P;
    expect(out.result.dropped).toBe(0);
    expect(out.result.completed).toBe(2000);
    expect(Math.abs(out.result.latency.corrected.p99 - expected) / expected).toBeLessThanOrEqual(0.1);
    expect(out.result.latency.uncorrected.p99).toBeLessThan(S / 4);
    expect(out.result.latency.corrected.max).toBeGreaterThan(S * 0.9);
  });
});
