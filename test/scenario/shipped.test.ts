// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { formatProblem } from '../../src/scenario/errors.js';
import { scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';
import { validateScenarioFile } from '../../src/scenario/validate.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const scenarioDir = join(root, 'scenarios');
const shipped = readdirSync(scenarioDir).filter((f) => f.endsWith('.yaml'));
const committedSchema = readFileSync(join(root, 'schema/scenario.schema.json'), 'utf8');

describe('shipped scenarios', () => {
  it('are the six presets', () => {
    expect(shipped.sort()).toEqual([
      'custom-hmac.yaml',
      'github-like.yaml',
      'shopify-like.yaml',
      'slack-like.yaml',
      'standard-webhooks.yaml',
      'stripe-like.yaml',
    ]);
  });

  for (const name of shipped) {
    it(`${name} validates with an empty environment and targets the embedded receiver`, async () => {
      const text = readFileSync(join(scenarioDir, name), 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/scenario.schema.json');
      const { scenario, problems } = await validateScenarioFile(name, { env: {}, cwd: scenarioDir });
      expect(problems.map(formatProblem)).toEqual([]);
      expect(scenario!.name).toBe(name.replace(/\.yaml$/, ''));
      expect(scenario!.target.url).toBeNull();
      expect(scenario!.probe).toBeNull();
      expect(scenario!.events.length).toBeGreaterThanOrEqual(3);
      // Small enough that a default run against a local receiver takes about 15 s.
      const loadMs = scenario!.load.reduce((a, p) => a + p.durationMs, 0);
      expect(loadMs).toBeLessThanOrEqual(15_000);
      // Every event renders valid JSON.
      for (const e of scenario!.events) {
        const body = e.template.render({
          eventId: 'x_r_1',
          eventType: e.type,
          seq: 1,
          runId: 'r',
          now: 1718900000,
          random: Math.random,
        });
        expect(() => JSON.parse(Buffer.from(body).toString('utf8'))).not.toThrow();
      }
    });

    it(`${name} takes its target and secret from the environment`, async () => {
      const env = { WH_TARGET: 'http://127.0.0.1:8080/hook' } as Record<string, string>;
      const text = readFileSync(join(scenarioDir, name), 'utf8');
      const secretVar = /secret: \$\{(\w+):-/.exec(text)![1]!;
      env[secretVar] = 'whsec_d2gtYmVuY2ggZGVtbyBrZXk6IG5ldmVyIHVzZSBpbiBwcm9k';
      const { scenario } = await validateScenarioFile(name, { env, cwd: scenarioDir });
      expect(scenario!.target.url).toBe('http://127.0.0.1:8080/hook');
      expect(scenario!.provider.secret).toBe(env[secretVar]);
    });

    it(`${name} matches the JSON Schema editors use`, () => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      const validate = ajv.compile(JSON.parse(committedSchema));
      const ok = validate(parse(readFileSync(join(scenarioDir, name), 'utf8')));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    });
  }

  it('stripe-like follows the design sketch with a short default load', async () => {
    const { scenario } = await validateScenarioFile('stripe-like.yaml', { env: {}, cwd: scenarioDir });
    expect(scenario!.load).toEqual([
      { name: 'warmup', model: 'open', rate: 50, durationMs: 3000 },
      { name: 'steady', model: 'open', rate: 200, durationMs: 8000 },
      { name: 'spike', model: 'open', rate: 500, durationMs: 2000 },
    ]);
    expect(scenario!.provider.secret.startsWith('whsec_demo')).toBe(true);
    expect(scenario!.checks['timestamp.future']).toEqual({ required: false });
    expect(scenario!.report.formats).toEqual(['html', 'json', 'junit']);
  });
});

describe('schema/scenario.schema.json', () => {
  it('is what scripts/export-schema.ts writes from the zod schema (run it after changing the schema)', () => {
    expect(committedSchema).toBe(scenarioJsonSchemaText());
  });

  it('rejects what the loader rejects for editors: unknown keys, bad units, unknown check ids', () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(JSON.parse(committedSchema));
    const base = { provider: { preset: 'stripe' }, events: [{ type: 'a', body: {} }] };
    expect(validate(base)).toBe(true);
    expect(validate({ ...base, lod: [] })).toBe(false);
    expect(validate({ ...base, load: [{ rate: '500', duration: '1s' }] })).toBe(false);
    expect(validate({ ...base, load: [{ rate: '${RATE:-500/s}', duration: '1s' }] })).toBe(true);
    expect(validate({ ...base, checks: { 'ack.latncy': {} } })).toBe(false);
    expect(validate({ ...base, checks: { 'ack.latency': { p99: '2s', required: true } } })).toBe(true);
  });
});
