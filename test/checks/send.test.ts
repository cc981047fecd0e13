import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argsFromEvidence } from '../../src/cli/send.js';
import { run } from '../../src/run/run.js';
import { ZOO } from '../fixtures/zoo/index.js';
import type { ZooServer } from '../fixtures/zoo/kit.js';
import { ZOO_DIR } from '../fixtures/zoo/run-zoo.js';
import { whBench } from './support/cli.js';
import { drained, listen, zooScenario } from './support/run.js';

const CUSTOM = join(ZOO_DIR, 'scenarios', 'custom.yaml');
const SECRET = 'zoo_custom_secret_8d2f6b1e4a';
const ESC = '\u001b';

async function startZoo(name: string, file: string): Promise<ZooServer> {
  const scenario = await zooScenario(file);
  const p = scenario.provider;
  return ZOO.find((e) => e.name === name)!.start(
    { secret: p.secret, previousSecret: p.previousSecret, toleranceSec: 300 },
    p,
  );
}

describe('wh-bench send', () => {
  let timingsafe: ZooServer;
  let dir: string;
  beforeAll(async () => {
    timingsafe = await startZoo('nodehttp-timingsafe', 'custom.yaml');
    dir = await mkdtemp(join(tmpdir(), 'wh-bench-send-'));
  });
  afterAll(async () => {
    await timingsafe.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends one valid delivery, prints the answer, exits 0 when it is the expected one', async () => {
    const r = await whBench(['send', CUSTOM, '--target', timingsafe.url]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^→ POST http:\/\/127\.0\.0\.1:\d+\/webhook {2}--mutation valid/);
    expect(r.stdout).toMatch(/X-Signature: sha256=[0-9a-f]{64}/);
    expect(r.stdout).toContain('← 200 OK');
    expect(r.stdout).toContain('{"ok":true}');
    expect(r.stdout).toMatch(/✓ answered 200, as expected \(2xx\)/);
    expect(r.stdout).not.toContain(SECRET);
  });

  it('exits 1 when the answer is not what the mutation expects', async () => {
    const r = await whBench([
      'send',
      CUSTOM,
      '--target',
      timingsafe.url,
      '--mutation',
      'malformed:wrong-length',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('a well-encoded digest one byte too long (33 bytes)');
    expect(r.stdout).toContain('← 500 Internal Server Error');
    expect(r.stdout).toMatch(/✗ answered 500; expected 4xx/);
  });

  it('re-sends the failing case of a check from a saved report (--from --check)', async () => {
    const scenario = await zooScenario('custom.yaml');
    const { result } = await run({
      scenario,
      target: timingsafe.url,
      conformanceOnly: true,
      timeScale: 0.01,
      seed: 5,
    });
    const malformed = result.checks.find((c) => c.id === 'signature.malformed')!;
    expect(malformed.status).toBe('fail');
    const shape = malformed.evidence[0]!.sendArgs![1]!;
    expect(shape).toMatch(/^malformed:/);
    expect(malformed.evidence[0]!.reproducers!.send).toContain(`--mutation ${shape}`);
    const report = join(dir, 'report.json');
    await writeFile(report, JSON.stringify(result));
    // No --target: the report's (non-embedded) target is reused.
    const r = await whBench(['send', CUSTOM, '--from', report, '--check', 'signature.malformed']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`--mutation ${shape}`);
    expect(r.stdout).toMatch(/✗ answered 500; expected 4xx/);

    const passing = await whBench(['send', CUSTOM, '--from', report, '--check', 'signature.tampered-body']);
    expect(passing.code).toBe(2);
    expect(passing.stderr).toMatch(/signature\.tampered-body has no case to re-send .*status pass/);
  });

  it('starts the embedded reference receiver when there is no target', async () => {
    const r = await whBench([
      'send',
      join(ZOO_DIR, 'scenarios', 'stripe.yaml'),
      '--mutation',
      'wrong-secret',
      '--event',
      'invoice.paid',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"type":"invoice.paid"');
    expect(r.stdout).toMatch(/← 401 Unauthorized/);
    expect(r.stdout).toMatch(/✓ answered 401, as expected \(4xx\)/);
  });

  it('neutralises control and bidi characters from the target', async () => {
    const evil = await listen(
      drained((_req, res) => {
        res
          .writeHead(200, { 'x-note': 'fine' })
          .end(`ok ${ESC}]0;pwned\u0007 ${ESC}[2J${ESC}[31mred \u202egnp.exe\n::error::x`);
      }),
    );
    try {
      const r = await whBench(['send', CUSTOM, '--target', evil.url]);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).not.toContain('\u202e');
      expect(r.stdout).toContain('\\u001b[2J');
      expect(r.stdout).toContain('\\u202egnp.exe');
      // Every line of the body is indented: nothing from the target starts a line.
      expect(r.stdout).not.toMatch(/^::error::/m);
    } finally {
      await evil.close();
    }
  });

  it('refuses unknown mutations and those that do not apply, with a hint', async () => {
    const unknown = await whBench(['send', CUSTOM, '--target', timingsafe.url, '--mutation', 'nonsense']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown mutation 'nonsense'; use one of valid, tampered-body/);
    const na = await whBench([
      'send',
      join(ZOO_DIR, 'scenarios', 'github.yaml'),
      '--target',
      timingsafe.url,
      '--mutation',
      'stale-timestamp',
    ]);
    expect(na.code).toBe(2);
    expect(na.stderr).toMatch(/does not apply here: github signs no timestamp/);
    const shape = await whBench(['send', CUSTOM, '--target', timingsafe.url, '--mutation', 'malformed:nope']);
    expect(shape.code).toBe(2);
    expect(shape.stderr).toMatch(/no malformed shape 'nope' for generic-hmac; shapes: empty, truncated/);
  });
});

describe('argsFromEvidence', () => {
  it('reads sendArgs, or falls back to the quoted reproducer line', () => {
    expect(
      argsFromEvidence([{ label: 'x', sendArgs: ['--mutation', 'raw-body:emoji', '--event', 'a.b'] }]),
    ).toEqual({
      mutation: 'raw-body:emoji',
      event: 'a.b',
    });
    expect(
      argsFromEvidence([
        { label: 'no args' },
        {
          label: 'x',
          reproducers: {
            send: "npx wh-bench send s.yaml --target 'http://h/x?a=1' --mutation tampered-body --event 'it'\\''s'",
            curl: '',
          },
        },
      ]),
    ).toEqual({ mutation: 'tampered-body', event: "it's" });
    expect(argsFromEvidence([{ label: 'x' }])).toBeNull();
  });
});
