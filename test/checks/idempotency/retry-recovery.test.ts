/** Load retries: failed first attempts retried on the preset's schedule, counted apart from first attempts. */
import { describe, expect, it } from 'vitest';
import { start as flaky } from '../../fixtures/zoo-idempotency/receivers/flaky.js';
import { explain, loadZooScenario, notPassing, runZoo } from '../../fixtures/zoo-idempotency/run.js';

const LOAD = { loadOnly: true, durationMs: 1000, rate: 30 };

describe('delivery.retry-recovery', () => {
  it('transient 503s with Retry-After: ack.errors fails, every event recovers, Retry-After is honoured (time-scaled)', async () => {
    const arrivals = new Map<string, number[]>();
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('slack.yaml'),
      options: LOAD,
      start: (provider) =>
        flaky({ provider, mode: 'transient', every: 3, status: 503, retryAfter: '20', arrivals }),
    });
    expect(notPassing(result.checks), explain(result.checks)).toEqual({ 'ack.errors': 'fail' });
    const phase = result.phases[0]!;
    expect(phase.retries).toEqual({ attempted: 10, recovered: 10, exhausted: 0, notRetried: 0 });
    expect(phase.firstAttemptSuccessRate).toBeCloseTo(2 / 3);
    expect(phase.eventualSuccessRate).toBe(1);
    // Retries never count as first attempts: not in the rate, not in the status counts.
    expect(phase.sent).toBe(30);
    expect(phase.statusCounts).toEqual({ '200': 20, '503': 10 });
    expect(byId.get('delivery.retry-recovery')?.summary).toMatch(
      /^10 of 30 first attempts failed .* recovered 10; eventual success 100\.0%/,
    );
    // Slack retries at once; Retry-After: 20 s, time-scaled by 0.01, holds the retry back 200 ms.
    const gaps = [...arrivals.values()].filter((a) => a.length > 1).map((a) => a[1]! - a[0]!);
    expect(gaps).toHaveLength(10);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(195);
  });

  it('permanent failures exhaust the schedule: an advisory warn, a fail when the scenario makes it required', async () => {
    const scenario = await loadZooScenario('custom.yaml');
    for (const required of [false, true]) {
      const { result, byId } = await runZoo({
        scenario: { ...scenario, checks: { 'delivery.retry-recovery': { required } } },
        options: LOAD,
        start: (provider) => flaky({ provider, mode: 'permanent', every: 5 }),
      });
      expect(notPassing(result.checks), explain(result.checks)).toEqual({
        'ack.errors': 'fail',
        'delivery.retry-recovery': required ? 'fail' : 'warn',
      });
      // custom.yaml retries 3 times (0 s, 1 s, 2 s, time-scaled).
      expect(result.phases[0]?.retries).toEqual({ attempted: 18, recovered: 0, exhausted: 6, notRetried: 0 });
      const rr = byId.get('delivery.retry-recovery')!;
      expect(rr.summary).toMatch(
        /6 still failed after the last retry; eventual success 80\.0% \(min 99\.90%\)/,
      );
      expect(rr.evidence[0]).toMatchObject({
        label: 'a delivery that failed its last retry',
        response: { status: 500 },
      });
      expect(rr.evidence[0]?.request?.headers.some(([n]) => n === 'X-Webhook-Id')).toBe(true);
    }
  });

  it('retries due after the run ended are counted as not retried, and leave the check undecided', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('stripe.yaml'),
      options: { ...LOAD, retryWindowMs: 0 },
      start: (provider) => flaky({ provider, mode: 'transient', every: 3, status: 500 }),
    });
    const r = result.phases[0]!.retries!;
    expect(r.recovered + r.notRetried).toBe(10);
    expect(r.notRetried).toBeGreaterThan(0);
    expect(byId.get('delivery.retry-recovery')).toMatchObject({ status: 'skip' });
    expect(byId.get('delivery.retry-recovery')?.summary).toMatch(
      /not retried before the run ended; undecided/,
    );
  });

  it('github does not retry: the check skips and nothing is re-sent', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('github.yaml'),
      options: LOAD,
      start: (provider) => flaky({ provider, mode: 'transient', every: 3, status: 503 }),
    });
    expect(byId.get('delivery.retry-recovery')?.summary).toMatch(
      /github does not retry failed deliveries automatically/,
    );
    expect(result.phases[0]?.retries).toEqual({ attempted: 0, recovered: 0, exhausted: 10, notRetried: 0 });
  });
});
