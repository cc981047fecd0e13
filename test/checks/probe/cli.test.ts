/** `wh-bench run --probe URL_TEMPLATE`, through the CLI handler. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../src/cli/run.js';
import { UserError } from '../../../src/errors.js';
import type { ResultJson } from '../../../src/run/result.js';
import type { IdemServer } from '../../fixtures/zoo-idempotency/kit.js';
import { start as checkThenInsert } from '../../fixtures/zoo-idempotency/receivers/check-then-insert.js';
import { loadZooScenario, ZOO_IDEM_DIR } from '../../fixtures/zoo-idempotency/run.js';

const scenarioFile = join(ZOO_IDEM_DIR, 'scenarios', 'stripe.yaml');
let server: IdemServer;

beforeAll(async () => {
  server = await checkThenInsert({ provider: (await loadZooScenario('stripe.yaml')).provider });
});
afterAll(() => server.close());

describe('--probe', () => {
  it('is a usage error without {{event.id}}, before anything is sent', async () => {
    const err = await runCli({
      scenario: scenarioFile,
      probe: `${server.origin}/effects`,
      'time-scale': 1,
    }).catch((e) => e);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ exitCode: 2, message: expect.stringMatching(/has no \{\{event\.id\}\}/) });
  });

  it('probes the receiver under test and the report names the probe', async () => {
    const out = mkdtempSync(join(tmpdir(), 'wh-bench-probe-cli-'));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    let code: number;
    try {
      code = await runCli({
        scenario: scenarioFile,
        target: server.url,
        probe: `${server.origin}/effects/{{event.id}}`,
        out,
        format: 'json',
        duration: '300ms',
        rate: '50/s',
        'time-scale': 0.01,
        seed: 3,
        quiet: true,
      });
    } finally {
      write.mockRestore();
    }
    const result = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as ResultJson;
    expect(result.scenario.probe).toBe(`${server.origin}/effects/{{event.id}}`);
    const byId = new Map(result.checks.map((c) => [c.id, c]));
    // The race only concurrent copies hit: seen through the probe, the run fails.
    expect(byId.get('idempotency.concurrent')).toMatchObject({ status: 'fail' });
    expect(byId.get('idempotency.sequential')?.summary).toMatch(/exactly 1 side effect/);
    expect(code).toBe(1);
  });
});
