/**
 * Writes schema/scenario.schema.json from the zod scenario schema. Run after changing the schema:
 *   node --import tsx scripts/export-schema.ts
 * test/scenario/json-schema.test.ts fails while the committed file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from '../src/scenario/json-schema.js';

const out = fileURLToPath(new URL('../schema/scenario.schema.json', import.meta.url));
writeFileSync(out, scenarioJsonSchemaText());
process.stdout.write(`wrote ${out}\n`);
