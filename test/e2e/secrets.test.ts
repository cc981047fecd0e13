import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretForms } from '../../src/run/mask.js';
import { cli, ROOT, tempDir } from '../support/process.js';

const SECRET = 'whsec_leakcanary_7d3f9a1c5e8b2046';
const TOKEN = 'tok_canary_91b7e4c2a8d6f3055';

/** Every place a run writes: stdout, stderr and each file of the report folder. */
function outputs(stdout: string, stderr: string, dir: string): Array<[string, string]> {
  return [
    ['stdout', stdout],
    ['stderr', stderr],
    ...readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'latin1')] as [string, string]),
  ];
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: scenario variables, expanded by wh-bench itself
const TARGET_WITH_HEADER = '  url: ${WH_TARGET:-}\n  headers: { Authorization: "Bearer ${CANARY_TOKEN}" }';

/** stripe-like with an Authorization target header read from CANARY_TOKEN. */
function scenarioWithHeader(dir: string): string {
  const scenario = join(dir, 'leak.yaml');
  const stripe = readFileSync(join(ROOT, 'scenarios/stripe-like.yaml'), 'utf8')
    .replace(/^ {2}url: .*$/m, TARGET_WITH_HEADER)
    .replace(/file: fixtures\//g, `file: ${join(ROOT, 'scenarios/fixtures')}/`);
  if (!stripe.includes('CANARY_TOKEN')) throw new Error('the header was not added to the scenario');
  writeFileSync(scenario, stripe);
  return scenario;
}

describe('secrets and target headers never appear in any output, in any encoding', () => {
  it('a full scenario with a secret from --secret-env and an Authorization header', async () => {
    const dir = tempDir();
    const scenario = scenarioWithHeader(dir);
    const out = join(dir, 'out');
    const r = await cli(
      [
        'run',
        scenario,
        '--secret-env',
        'CANARY_SECRET',
        '--duration',
        '1s',
        '--rate',
        '50/s',
        '--format',
        'html,json,junit,md',
        '--out',
        out,
      ],
      { env: { CANARY_SECRET: SECRET, CANARY_TOKEN: TOKEN } },
    );
    expect(r.code, r.stderr).toBe(0);
    const forms = secretForms([SECRET, TOKEN]);
    expect(forms.length).toBeGreaterThan(6);
    const written = outputs(r.stdout, r.stderr, out);
    expect(written.map(([n]) => n).sort()).toEqual([
      'junit.xml',
      'report.html',
      'report.json',
      'stderr',
      'stdout',
      'summary.md',
    ]);
    for (const [name, text] of written) {
      for (const f of forms) expect(text.includes(f), `${name} holds a form of a secret`).toBe(false);
    }
  });

  it('a failing run, whose evidence carries requests and reproducers', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    // A target that answers 401 fails the preflight: evidence holds the signed request and reproducers.
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(401).end('no'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const scenario = scenarioWithHeader(dir);
      const r = await cli(
        [
          'run',
          scenario,
          '--secret',
          SECRET,
          '--target',
          `http://127.0.0.1:${port}/`,
          '--format',
          'html,junit,md',
          '--out',
          out,
        ],
        { env: { CANARY_TOKEN: TOKEN } },
      );
      expect(r.code).toBe(1);
      const report = readFileSync(join(out, 'report.json'), 'utf8');
      expect(report).toMatch(/curl -sS/);
      expect(report).toMatch(/Authorization/);
      for (const [name, text] of outputs(r.stdout, r.stderr, out)) {
        for (const f of secretForms([SECRET, TOKEN]))
          expect(text.includes(f), `${name} holds a form of a secret`).toBe(false);
      }
    } finally {
      server.close();
    }
  });
});
