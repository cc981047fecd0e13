/** Correct receivers pass everything required; the embedded receiver is probed implicitly. */
import { describe, expect, it } from 'vitest';
import { run } from '../../../src/run/run.js';
import {
  explain,
  loadZooScenario,
  notPassing,
  SEED,
  SHORT_LOAD,
} from '../../fixtures/zoo-idempotency/run.js';

describe('the reference receiver (embedded, implicit probe)', () => {
  it.each([
    ['stripe.yaml', 'pass'],
    ['github.yaml', 'skip'],
  ])('%s: every idempotency check sees exactly one side effect', async (file, retries) => {
    // A scenario probe describes the user's system: the embedded receiver is probed through its own.
    const scenario = {
      ...(await loadZooScenario(file)),
      probe: { kind: 'command' as const, command: 'exit 3' },
    };
    const { result, exitCode } = await run({ scenario, ...SHORT_LOAD, timeScale: 0.01, seed: SEED });
    expect(result.target.embedded).toBe(true);
    expect(notPassing(result.checks), explain(result.checks)).toEqual({});
    expect(exitCode).toBe(0);
    const byId = new Map(result.checks.map((c) => [c.id, c]));
    for (const id of ['idempotency.sequential', 'idempotency.concurrent']) {
      expect(byId.get(id)?.summary).toMatch(
        /exactly 1 side effect \(1 (at the first read|after \d+ ms), unchanged for 100 ms\)$/,
      );
    }
    // GitHub never retries on its own: both retry checks skip.
    expect(byId.get('idempotency.timeout-retry')?.status).toBe(retries);
    expect(byId.get('delivery.retry-recovery')).toMatchObject({ status: retries, required: false });
    if (retries === 'skip') {
      expect(byId.get('idempotency.timeout-retry')?.summary).toMatch(/github does not retry automatically/);
    } else {
      expect(byId.get('idempotency.timeout-retry')?.summary).toMatch(
        /the retry answered 200; exactly 1 side effect/,
      );
    }
    expect(result.phases[0]).toMatchObject({
      retries: { attempted: 0, recovered: 0, exhausted: 0, notRetried: 0 },
      firstAttemptSuccessRate: 1,
      eventualSuccessRate: 1,
    });
  });
});
