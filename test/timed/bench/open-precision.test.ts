/**
 * Above 1,000 sends/s the open-model pacer polls the loop instead of sleeping on 1 ms timers, so sends
 * leave at their intended instant (the bench's send-lag goal), not up to a timer tick late. A slow fake
 * target (answers after 50 ms) keeps completions from waking the pump: only the pacer's own wake-ups count.
 */
import { describe, expect, it } from 'vitest';
import type { Delivery, DeliveryResult } from '../../../src/engine/delivery.js';
import { UndiciResult } from '../../../src/engine/exchange.js';
import { runPhase } from '../../../src/engine/pacer.js';
import { loadDeliveries } from '../../support/deliveries.js';

const slowTarget = {
  send(d: Delivery, cb: (r: DeliveryResult) => void): void {
    setTimeout(() => {
      const now = performance.now();
      const r = new UndiciResult(d, now - 50, now);
      r.status = 204;
      cb(r);
    }, 50);
  },
};

const delivery = loadDeliveries('http://127.0.0.1:9/hook');

describe('open-model send precision', () => {
  it('at 5,000/s sends leave within a fraction of a millisecond of their instant', async () => {
    const out = await runPhase({
      phase: { name: 'precise', model: 'open', rate: 5000, durationMs: 1000 },
      maxInflight: 10_000,
      makeDelivery: delivery,
      dispatcher: slowTarget,
    });
    expect(out.result.sent).toBe(5000);
    expect(out.result.dropped).toBe(0);
    // Sleeping on 1 ms timers gives a median near 0.5 ms and a p90 near 1 ms.
    expect(out.result.sendLag.p50).toBeLessThan(0.1);
    expect(out.result.sendLag.p90).toBeLessThan(0.5);
  });

  it('at 200/s it still sleeps between sends, and sends on time', async () => {
    const cpu0 = process.cpuUsage();
    const out = await runPhase({
      phase: { name: 'slow', model: 'open', rate: 200, durationMs: 1000 },
      maxInflight: 10_000,
      makeDelivery: delivery,
      dispatcher: slowTarget,
    });
    const cpu = process.cpuUsage(cpu0);
    expect(out.result.sent).toBe(200);
    expect(out.result.sendLag.p99).toBeLessThan(5);
    // Polling would cost a whole core for the second; sleeping costs a small part of it.
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(500);
  });
});
