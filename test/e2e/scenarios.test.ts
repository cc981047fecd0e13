import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/index.js';
import { run } from '../../src/run/run.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT, tempDir } from '../support/process.js';

const shipped = readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'));

describe('every shipped scenario passes against the embedded reference receiver', () => {
  it('ships the six scenarios', () => {
    expect(shipped.sort()).toEqual([
      'custom-hmac.yaml',
      'github-like.yaml',
      'shopify-like.yaml',
      'slack-like.yaml',
      'standard-webhooks.yaml',
      'stripe-like.yaml',
    ]);
  });

  for (const file of shipped) {
    it(file, async () => {
      const scenario = await loadScenario(join(ROOT, 'scenarios', file), { env: {} });
      const { result, exitCode } = await run({
        scenario,
        durationMs: 1000,
        rate: 100,
        timeScale: 0.01,
        seed: 7,
      });
      const failed = result.checks.filter((c) => c.required && c.status !== 'pass' && c.status !== 'skip');
      expect(failed.map((c) => `${c.id}: ${c.summary}`)).toEqual([]);
      expect(result.verdict).toBe('pass');
      expect(exitCode).toBe(0);
      expect(result.target.embedded).toBe(true);
      expect(result.timeScale).toBe(0.01);
      expect(result.phases[0]!.sent).toBeGreaterThanOrEqual(95);
      expect(result.phases[0]!.statusCounts['200']).toBe(result.phases[0]!.completed);
      const dir = tempDir();
      const files = await writeReports(result, dir, ['html', 'json', 'junit', 'md']);
      expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
        'junit.xml',
        'report.html',
        'report.json',
        'summary.md',
      ]);
      expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).runId).toBe(result.runId);
    });
  }
});
