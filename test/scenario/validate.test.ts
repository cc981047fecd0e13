// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test
import { afterAll, describe, expect, it } from 'vitest';
import { CHECK_IDS as CATALOG_IDS } from '../../src/checks/catalog.js';
import { CHECK_IDS } from '../../src/scenario/check-ids.js';
import { formatProblem, ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/load.js';
import { PRESETS } from '../../src/scenario/presets.js';
import { validateScenarioFile } from '../../src/scenario/validate.js';
import { STRIPE_MIN, tempScenarios } from './helpers.js';

const WHSEC = 'whsec_d2gtYmVuY2ggZGVtbyBrZXk6IG5ldmVyIHVzZSBpbiBwcm9k';

const tmp = tempScenarios({
  'min.yaml': STRIPE_MIN,
  'injection.yaml': `provider:
  preset: stripe
  secret: \${SECRET}
  ack_timeout: 7s
events:
  - type: a
    body: { id: "{{event.id}}", note: "\${NOTE}" }
`,
  'overrides.yaml': `name: overrides
target:
  url: http://127.0.0.1:9/hook
  headers: { Authorization: "Bearer \${TOKEN}", X-Api-Version: 2 }
  tls: { reject_unauthorized: false, ca_file: ca.pem }
  reuse_connections: false
  source_address: 127.0.0.2
provider:
  preset: custom
  secret: custom_secret_123456
  previous_secret: custom_old_secret_654321
  tolerance: 2m
  ack_timeout: 1500ms
  retry_schedule: [0s, 1s, 1m]
  max_payload: 256KB
  dedupe: { location: header, key: X-Event-Key }
  id_prefix: ev_
  generic: { signature_header: X-Sig, algorithm: sha512, encoding: base64, prefix: "", template: "{id}.{body}" }
events:
  - { type: a, weight: 3, body: [1, "{{seq}}"] }
  - { type: b, file: fixtures/b.json }
load:
  - { rate: 10/s, ramp_to: 30000/m, duration: 1m30s }
  - { name: closed, concurrency: 4, duration: 500ms }
probe: { http: "http://127.0.0.1:9/effects/{{event.id}}", count: "$.effects.count", settle: 2s, window: 1s }
checks:
  ack.latency: { p99: 250ms, max: 2s }
  ack.errors: { max: 0.5% }
  delivery.payload-size: { max: 100KB }
  idempotency.concurrent: { copies: 5, required: false }
  transport.source-ip: { required: true }
conformance: { during_load: true }
report: { formats: [json, md] }
`,
  'fixtures/b.json': '{"kind": "{{event.type}}", "at": "{{now}}"}',
  'ca.pem': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
  'sw.yaml': `provider: { preset: standard-webhooks, secret: "\${SW_SECRET}" }
events:
  - { type: user.created, body: { type: "{{event.type}}", data: {} } }
`,
  'leak.yaml': `name: \${SECRET}
provider: { preset: github, secret: "\${SECRET}", max_payload: "\${SECRET}" }
events:
  - { type: push, body: {} }
`,
});
afterAll(tmp.cleanup);
const opts = (env: Record<string, string> = {}, extra: object = {}) => ({ env, cwd: tmp.dir, ...extra });

describe('validateScenarioFile', () => {
  it('expands ${VAR} in parsed values: a secret with # and a newline survives and rewrites nothing', async () => {
    const secret = 'whsec_a#b: c\n  preset: github\n"quoted" # not a comment';
    const { scenario, problems } = await validateScenarioFile(
      'injection.yaml',
      opts({ SECRET: secret, NOTE: '#x\ny' }),
    );
    expect(problems).toEqual([]);
    expect(scenario!.provider.secret).toBe(secret);
    expect(scenario!.provider.preset).toBe('stripe');
    expect(scenario!.provider.ackTimeoutMs).toBe(7000);
    expect(scenario!.secrets).toContain(secret);
    const body = JSON.parse(
      Buffer.from(
        scenario!.events[0]!.template.render({
          eventId: 'e',
          eventType: 'a',
          seq: 1,
          runId: 'r',
          now: 1,
          random: () => 0,
        }),
      ).toString(),
    );
    expect(body).toEqual({ id: 'e', note: '#x\ny' });
  });

  it('reports a missing variable once, naming it and where it is used', async () => {
    const { scenario, problems } = await validateScenarioFile('min.yaml', opts());
    expect(scenario).toBeUndefined();
    expect(problems).toEqual([
      {
        file: 'min.yaml',
        line: 3,
        col: 11,
        message: 'STRIPE_WEBHOOK_SECRET is not set (used at provider.secret)',
        hint: expect.stringContaining('--secret'),
      },
    ]);
  });

  it('takes the secret from the command line instead, without expanding the scenario value', async () => {
    const { scenario, problems } = await validateScenarioFile(
      'min.yaml',
      opts({}, { secretOverride: 'whsec_from_cli_123' }),
    );
    expect(problems).toEqual([]);
    expect(scenario!.provider.secret).toBe('whsec_from_cli_123');
  });

  it('applies every preset field the scenario overrides, and the rest from the preset', async () => {
    const { scenario, problems } = await validateScenarioFile(
      'overrides.yaml',
      opts({ TOKEN: 't0ken-value' }, { headers: [['X-Extra', '1']] }),
    );
    expect(problems.map(formatProblem)).toEqual([]);
    const s = scenario!;
    expect(s.name).toBe('overrides');
    expect(s.target).toEqual({
      url: 'http://127.0.0.1:9/hook',
      headers: [
        ['Authorization', 'Bearer t0ken-value'],
        ['X-Api-Version', '2'],
        ['X-Extra', '1'],
      ],
      tls: {
        rejectUnauthorized: false,
        ca: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n',
      },
      reuseConnections: false,
      disallowedSourceAddress: '127.0.0.2',
    });
    const p = s.provider;
    expect(p).toMatchObject({
      preset: 'custom',
      scheme: 'generic-hmac',
      secret: 'custom_secret_123456',
      previousSecret: 'custom_old_secret_654321',
      toleranceSec: 120,
      ackTimeoutMs: 1500,
      retryScheduleMs: [0, 1000, 60_000],
      maxPayloadBytes: 256 * 1024,
      dedupe: { location: 'header', key: 'X-Event-Key' },
      idPrefix: 'ev_',
      retry: PRESETS.custom.retry,
    });
    expect(p.generic).toEqual({
      ...PRESETS.custom.generic,
      signatureHeader: 'X-Sig',
      algorithm: 'sha512',
      encoding: 'base64',
      prefix: '',
      template: '{id}.{body}',
      idHeader: 'X-Event-Key',
    });
    expect(s.events.map((e) => [e.type, e.weight])).toEqual([
      ['a', 3],
      ['b', 1],
    ]);
    expect(s.events[0]!.source).toMatchObject({ line: 20, col: 33 });
    expect(s.events[1]!.file).toBe(`${tmp.dir}/fixtures/b.json`);
    expect(s.load).toEqual([
      { name: 'phase-1', model: 'open', rate: 10, rampTo: 500, durationMs: 90_000 },
      { name: 'closed', model: 'closed', concurrency: 4, durationMs: 500 },
    ]);
    expect(s.probe).toEqual({
      kind: 'http',
      url: 'http://127.0.0.1:9/effects/{{event.id}}',
      path: '$.effects.count',
      settleMs: 2000,
      windowMs: 1000,
    });
    expect(s.checks['ack.latency']).toEqual({ p99: 250, max: 2000 });
    expect(s.checks['ack.errors']!['max']).toBeCloseTo(0.005, 10);
    expect(s.checks['delivery.payload-size']).toEqual({ max: 102_400 });
    expect(s.checks['idempotency.concurrent']).toEqual({ copies: 5, required: false });
    expect(s.conformance).toEqual({ duringLoad: true });
    expect(s.report).toEqual({ formats: ['json', 'md'] });
    expect(s.secrets.sort()).toEqual(
      ['1', 'Bearer t0ken-value', '2', 'custom_old_secret_654321', 'custom_secret_123456'].sort(),
    );
  });

  it('fills defaults: name from the file, one load phase, html and json reports, the embedded receiver', async () => {
    const { scenario } = await validateScenarioFile(
      'min.yaml',
      opts({ STRIPE_WEBHOOK_SECRET: 'whsec_env_secret' }),
    );
    expect(scenario).toMatchObject({
      name: 'min',
      target: { url: null, headers: [], tls: { rejectUnauthorized: true }, reuseConnections: true },
      load: [{ name: 'steady', model: 'open', rate: 50, durationMs: 10_000 }],
      probe: null,
      checks: {},
      conformance: { duringLoad: false },
      report: { formats: ['html', 'json'] },
    });
  });

  it('checks the Standard Webhooks secret shape without echoing it', async () => {
    const good = await validateScenarioFile('sw.yaml', opts({ SW_SECRET: WHSEC }));
    expect(good.problems).toEqual([]);
    for (const bad of [
      'whsec_c2hvcnQ=',
      'not_whsec_at_all_but_long',
      `whsec_${Buffer.alloc(65, 1).toString('base64')}`,
    ]) {
      const { problems } = await validateScenarioFile('sw.yaml', opts({ SW_SECRET: bad }));
      expect(problems).toHaveLength(1);
      expect(problems[0]!.message).toContain('is not a Standard Webhooks secret');
      expect(JSON.stringify(problems)).not.toContain(bad);
    }
    const cli = await validateScenarioFile(
      'sw.yaml',
      opts({ SW_SECRET: WHSEC }, { secretOverride: 'plain-cli-secret' }),
    );
    expect(cli.problems[0]!.message).toContain(
      'the secret given on the command line is not a Standard Webhooks secret',
    );
  });

  it('never puts a secret in a message, whatever field it lands in', async () => {
    const secret = 'Sup3r s3cret#value';
    const { problems } = await validateScenarioFile('leak.yaml', opts({ SECRET: secret }));
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(problems)).not.toContain(secret);
  });

  it('reads a file that does not exist as one problem', async () => {
    const { problems } = await validateScenarioFile('nope.yaml', opts());
    expect(problems).toEqual([
      expect.objectContaining({
        file: 'nope.yaml',
        line: 1,
        col: 1,
        message: 'cannot read the scenario: no such file',
      }),
    ]);
  });
});

describe('loadScenario', () => {
  it('returns the scenario, or throws a ScenarioError carrying every problem', async () => {
    const s = await loadScenario('min.yaml', opts({ STRIPE_WEBHOOK_SECRET: 'whsec_env_secret' }));
    expect(s.file).toBe(`${tmp.dir}/min.yaml`);
    expect(s.dir).toBe(tmp.dir);
    const err = await loadScenario('min.yaml', opts()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    const se = err as ScenarioError;
    expect(se.problems).toHaveLength(1);
    expect(se.format()).toBe(
      'min.yaml:3:11: STRIPE_WEBHOOK_SECRET is not set (used at provider.secret)\n' +
        '  hint: export STRIPE_WEBHOOK_SECRET=..., or give a default: ${STRIPE_WEBHOOK_SECRET:-value}; or pass --secret, --secret-env NAME or --secret-file PATH',
    );
    expect(se.message).toContain('min.yaml: 1 problem');
  });
});

describe('check ids', () => {
  it('are the catalog ids', () => {
    expect([...CHECK_IDS].sort()).toEqual([...CATALOG_IDS].sort());
  });
});
