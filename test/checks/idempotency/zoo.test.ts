/**
 * The idempotency zoo: receivers correct but for one duplicate-handling flaw, each caught by exactly
 * its checks (every other check passes or skips).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { start as abortRollback } from '../../fixtures/zoo-idempotency/receivers/abort-rollback.js';
import { start as checkThenInsert } from '../../fixtures/zoo-idempotency/receivers/check-then-insert.js';
import { start as duplicateStatus } from '../../fixtures/zoo-idempotency/receivers/duplicate-status.js';
import { start as effectBeforeVerify } from '../../fixtures/zoo-idempotency/receivers/effect-before-verify.js';
import { explain, loadZooScenario, notPassing, runZoo } from '../../fixtures/zoo-idempotency/run.js';

/**
 * signature.rotation sends its cases (valid signature first, middle, last) as one event, so a
 * receiver that refuses duplicates refuses those too: the same flaw, seen from another check.
 */
const withoutRotation = (s: Record<string, string>) => {
  const { 'signature.rotation': _rotation, ...rest } = s;
  return rest;
};

describe('the idempotency zoo', () => {
  it('a duplicate answered 409 (stripe): sequential and timeout-retry fail, concurrent warns', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('stripe.yaml'),
      start: (provider) => duplicateStatus({ provider, duplicateStatus: 409 }),
    });
    expect(withoutRotation(notPassing(result.checks)), explain(result.checks)).toEqual({
      'idempotency.sequential': 'fail',
      'idempotency.concurrent': 'warn',
      'idempotency.timeout-retry': 'fail',
    });
    const seq = byId.get('idempotency.sequential')!;
    expect(seq.summary).toMatch(/^answered 409 to copy 2 of 2 deliveries .*re-signed with a fresh timestamp/);
    expect(seq.summary).toContain('the probe saw exactly 1 side effect');
    expect(seq.evidence[0]).toMatchObject({ label: 'copy 2 of 2', response: { status: 409 } });
    expect(seq.evidence[0]?.reproducers?.curl).toMatch(/^curl /);
    expect(seq.evidence[0]?.note).toMatch(/run the curl line 2 times/);
    // The warn is a finding on a required check that does not fail the run by itself.
    expect(byId.get('idempotency.concurrent')).toMatchObject({ required: true, status: 'warn' });
    expect(byId.get('idempotency.concurrent')?.summary).toMatch(
      /answered 200, 409 ×9; exactly 1 side effect/,
    );
  });

  it('a duplicate answered 500 (shopify, retries keep the HMAC): every idempotency check fails', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('shopify.yaml'),
      start: (provider) => duplicateStatus({ provider, duplicateStatus: 500 }),
    });
    expect(notPassing(result.checks), explain(result.checks)).toEqual({
      'idempotency.sequential': 'fail',
      'idempotency.concurrent': 'fail',
      'idempotency.timeout-retry': 'fail',
    });
    expect(byId.get('idempotency.sequential')?.summary).toMatch(
      /answered 500 to copy 2 .*the same headers, signature and body/,
    );
    expect(byId.get('idempotency.concurrent')?.summary).toMatch(
      /9 of the 10 copies got 500 ×9; .*never get a 5xx/,
    );
  });

  it('check-then-insert (standard-webhooks, command probe on an effects log): only concurrent fails, with the count', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'wh-bench-zoo-idem-')), 'effects.log');
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('standard-webhooks.yaml', { ZOO_EFFECTS_LOG: log }),
      probe: 'scenario',
      start: (provider) => checkThenInsert({ provider, effectsLog: log }),
    });
    expect(notPassing(result.checks), explain(result.checks)).toEqual({ 'idempotency.concurrent': 'fail' });
    const c = byId.get('idempotency.concurrent')!;
    expect(c.summary).toMatch(/the event caused 10 side effects .*make the dedupe atomic/);
    expect(c.evidence.length).toBeGreaterThan(0);
    expect(c.evidence[0]?.note).toMatch(/the probe \(command "grep -cxF .*\) for msg_.*: 10 side effects/);
    // The probe read what the receiver wrote: ten lines for that one event.
    const id = /for (msg_\S+):/.exec(c.evidence[0]?.note ?? '')?.[1] ?? '';
    expect(
      readFileSync(log, 'utf8')
        .split('\n')
        .filter((l) => l === id),
    ).toHaveLength(10);
    expect(byId.get('idempotency.sequential')?.summary).toMatch(/exactly 1 side effect/);
  });

  it('check-then-insert without a probe: the answers are all 2xx, and the summary says side effects were not observed', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('standard-webhooks.yaml', { ZOO_EFFECTS_LOG: '/dev/null' }),
      probe: 'none',
      start: (provider) => checkThenInsert({ provider }),
    });
    expect(notPassing(result.checks), explain(result.checks)).toEqual({});
    const judged = [
      'idempotency.sequential',
      'idempotency.concurrent',
      'idempotency.timeout-retry',
      'timestamp.stale',
    ];
    for (const id of [...judged, 'signature.tampered-body', 'signature.wrong-secret', 'signature.missing']) {
      expect(byId.get(id)?.summary).toMatch(/side effects not observed \(no probe\)$/);
    }
  });

  it('work started before the signature is checked (custom): the rejection checks fail on their side effect', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('custom.yaml'),
      start: (provider) => effectBeforeVerify({ provider }),
    });
    // The answers are all right (4xx); only the probe sees the work the forged deliveries caused.
    expect(notPassing(result.checks), explain(result.checks)).toEqual({
      'signature.tampered-body': 'fail',
      'signature.wrong-secret': 'fail',
      'signature.missing': 'fail',
      'timestamp.stale': 'fail',
    });
    const t = byId.get('signature.tampered-body')!;
    expect(t.summary).toMatch(
      /^answered 401 to a body changed after signing, but it caused 1 side effect for a rejected delivery/,
    );
    expect(t.evidence[0]?.note).toMatch(
      /the probe \(GET http:\/\/127\.0\.0\.1:\d+\/effects\/\{\{event\.id\}\} \(count\)\) for evt_\S+: 1 side effect/,
    );
    expect(t.evidence[0]?.sendArgs).toEqual(['--mutation', 'tampered-body', '--event', 'order.created']);
    // Checks that do not judge side effects keep their answer-only verdict.
    expect(byId.get('timestamp.future')?.status).toBe('pass');
    expect(byId.get('signature.downgrade')?.status).not.toBe('fail');
  });

  it('a correct receiver: every rejection check sees no side effect', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('custom.yaml'),
      start: (provider) => duplicateStatus({ provider, duplicateStatus: 409 }),
      options: { conformanceOnly: true },
    });
    for (const id of [
      'signature.tampered-body',
      'signature.wrong-secret',
      'signature.missing',
      'timestamp.stale',
    ]) {
      expect(byId.get(id)?.summary, explain(result.checks)).toMatch(/; no side effect \(watched 100 ms\)$/);
    }
  });

  it('work kept but its dedupe mark rolled back when the provider hangs up (slack, --probe): only timeout-retry fails', async () => {
    const { result, byId } = await runZoo({
      scenario: await loadZooScenario('slack.yaml'),
      probe: 'cli',
      start: (provider) => abortRollback({ provider, ackAfterMs: 150 }),
    });
    expect(notPassing(result.checks), explain(result.checks)).toEqual({
      'idempotency.timeout-retry': 'fail',
    });
    const t = byId.get('idempotency.timeout-retry')!;
    expect(t.summary).toMatch(
      /^attempt 1 was aborted 100 ms after it was written \(the provider's timeout, time-scaled from 3\.0 s\); the retry answered 200, and the event caused 2 side effects/,
    );
    expect(t.evidence.map((e) => e.label)).toEqual(['attempt 1 (aborted by the provider)', 'the retry']);
    // Slack's retry carries its retry headers.
    expect(t.evidence[1]?.request?.headers).toContainEqual(['X-Slack-Retry-Num', '1']);
  });
});
