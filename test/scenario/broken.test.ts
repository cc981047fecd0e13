import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/scenario/errors.js';
import { validateScenarioFile } from '../../src/scenario/validate.js';
import { tempScenarios } from './helpers.js';

/**
 * The broken-scenario corpus: each file ends with `# expect: [file:]line:col message` lines (at the
 * end, so they shift no position) naming every problem validate must report: the exact set, in one
 * pass, at the exact position.
 */
const dir = fileURLToPath(new URL('./broken/', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

// Files the repository's own YAML tooling cannot parse live here, written to a temporary folder.
const INLINE: Record<string, string> = {
  'tabs.yaml': 'name: tabs\nprovider:\n\tpreset: stripe\n# expect: 3:1 Tabs are not allowed as indentation\n',
  'bad-indent.yaml': [
    'name: bad-indent',
    'provider:',
    '  preset: stripe',
    '   secret: whsec_test_1234567890',
    'events:',
    '  - type: a',
    '    body: { id: "{{event.id}}" }',
    '# expect: 3:11 Nested mappings are not allowed in compact mappings',
    '',
  ].join('\n'),
  'bad-indent-2.yaml': [
    'provider:',
    '  preset: stripe',
    ' secret: whsec_test_1234567890',
    'events:',
    '  - { type: a, body: { id: "{{event.id}}" } }',
    '# expect: 3:1 All mapping items must start at the same column',
    '',
  ].join('\n'),
};
const inline = tempScenarios(Object.fromEntries(Object.entries(INLINE).map(([n, t]) => [`broken/${n}`, t])));
afterAll(inline.cleanup);
const cases = [
  ...files.map((f) => ({ name: f, root: join(dir, '..') })),
  ...Object.keys(INLINE).map((f) => ({ name: f, root: inline.dir })),
];

interface Expected {
  file: string;
  line: number;
  col: number;
  message: string;
}

function expectations(name: string, root: string): Expected[] {
  const text = readFileSync(join(root, 'broken', name), 'utf8');
  return [...text.matchAll(/^# expect: (?:(\S+\.(?:json|txt)):)?(\d+):(\d+) (.+)$/gm)].map((m) => ({
    file: `broken/${m[1] ?? name}`,
    line: Number(m[2]),
    col: Number(m[3]),
    message: m[4]!,
  }));
}

describe('broken scenarios', () => {
  it('has a corpus of at least 20 files, each with expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
    for (const c of cases) expect(expectations(c.name, c.root).length, c.name).toBeGreaterThan(0);
  });

  for (const { name, root } of cases) {
    it(`${name}: reports exactly the expected problems`, async () => {
      const { scenario, problems } = await validateScenarioFile(`broken/${name}`, { env: {}, cwd: root });
      expect(scenario).toBeUndefined();
      const want = expectations(name, root);
      const got = problems.map((p) => ({ file: p.file, line: p.line, col: p.col, message: p.message }));
      expect(got, problems.map(formatProblem).join('\n')).toHaveLength(want.length);
      for (const w of want) {
        const hit = got.find(
          (g) => g.file === w.file && g.line === w.line && g.col === w.col && g.message.includes(w.message),
        );
        expect(
          hit,
          `${w.file}:${w.line}:${w.col} ${w.message}\nbut got:\n${problems.map(formatProblem).join('\n')}`,
        ).toBeDefined();
      }
      for (const p of problems) expect(formatProblem(p)).toMatch(/^broken\/\S+:\d+:\d+: /);
    });
  }
});
