/**
 * Synchronous work before the ack, one event at a time: fine alone, too slow under load. Timed (it
 * judges latency), and at --time-scale 1 so the 3 s Slack ack timeout is the real one.
 */
import { describe, expect, it } from 'vitest';
import { start as slowSync } from '../../fixtures/zoo-idempotency/receivers/slow-sync.js';
import { explain, loadZooScenario, notPassing, runZoo } from '../../fixtures/zoo-idempotency/run.js';

describe('slow synchronous work (slack, 200 ms per event, serialised)', () => {
  it('fails ack.latency under 10 concurrent senders, and nothing else', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('slack.yaml'),
      start: (provider) => slowSync({ provider, workMs: 200 }),
      // 10 senders each wait for the 9 events queued ahead: about 2 s per ack, over the 1.5 s p99
      // limit (half the 3 s timeout) and under the timeout itself, so no delivery fails.
      options: { timeScale: 1, concurrency: 10, durationMs: 3000, rate: undefined },
    });
    expect(notPassing(result.checks), explain(result.checks)).toEqual({ 'ack.latency': 'fail' });
    const phase = result.phases[0]!;
    expect(phase.latency.corrected.p99).toBeGreaterThan(1500);
    expect(phase.latency.corrected.max).toBeLessThan(3000);
    expect(byId.get('ack.latency')?.summary).toMatch(
      /acknowledged too slowly: p99 .* \(limit 1\.50 s\).*acknowledge first/,
    );
    // Duplicates skip the queue: the concurrent copies are all acknowledged, one does the work.
    expect(byId.get('idempotency.concurrent')?.summary).toMatch(/answered 200 ×10; exactly 1 side effect/);
  });
});
