import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/run/run.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { ROOT } from '../../support/process.js';

describe('pacing truth, end to end', () => {
  it('achieves 2,000/s within 1% over 10 s against the reference receiver', async () => {
    const scenario = await loadScenario(join(ROOT, 'scenarios/stripe-like.yaml'), { env: {} });
    const { result } = await run({ scenario, loadOnly: true, durationMs: 10_000, rate: 2000, seed: 1 });
    const phase = result.phases[0]!;
    expect(phase.intendedRate).toBe(2000);
    expect(Math.abs(phase.achievedRate - 2000) / 2000).toBeLessThan(0.01);
    expect(phase.dropped).toBe(0);
    expect(phase.statusCounts['200']).toBe(phase.completed);
    // Each second of the timeseries is near 2,000: no per-second bursts followed by idle time.
    const full = result.timeseries.filter((p) => p.t >= 1 && p.t <= 9);
    expect(full.length).toBeGreaterThanOrEqual(8);
    for (const p of full) expect(Math.abs(p.sent - 2000)).toBeLessThan(100);
  });
});
