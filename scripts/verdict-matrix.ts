/**
 * Regenerates docs/verdict-matrix.md by running wh-bench's conformance checks against every receiver
 * of the zoo (test/fixtures/zoo/). test/checks/zoo.test.ts fails when the committed file drifts.
 *
 *   npx tsx scripts/verdict-matrix.ts          # write docs/verdict-matrix.md
 *   npx tsx scripts/verdict-matrix.ts --check  # exit 1 when it is stale
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECKS } from '../src/checks/registry.js';
import { ZOO } from '../test/fixtures/zoo/index.js';
import { renderMatrix } from '../test/fixtures/zoo/matrix.js';
import { runZooEntry, type StatusMap, statusMap } from '../test/fixtures/zoo/run-zoo.js';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'verdict-matrix.md');
const results = new Map<string, StatusMap>();
for (const entry of ZOO) {
  results.set(entry.name, statusMap(await runZooEntry(entry)));
  process.stderr.write(`graded ${entry.name}\n`);
}
const text = renderMatrix(
  ZOO,
  results,
  CHECKS.map((c) => c.id),
);
if (process.argv.includes('--check')) {
  const current = await readFile(out, 'utf8').catch(() => '');
  if (current !== text) {
    process.stderr.write('docs/verdict-matrix.md is stale: run npx tsx scripts/verdict-matrix.ts\n');
    process.exit(1);
  }
  process.stderr.write('docs/verdict-matrix.md is up to date\n');
} else {
  await writeFile(out, text);
  process.stderr.write(`wrote ${out}\n`);
}
