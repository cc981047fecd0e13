import { z } from 'zod';
import { ScenarioFileSchema } from './schema.js';

export const SCHEMA_ID = 'https://wh-bench.dev/schema/scenario.schema.json';

/**
 * The JSON Schema of scenario files, as written (units are strings with patterns), for editors:
 * `# yaml-language-server: $schema=../schema/scenario.schema.json`. Draft 7: the draft YAML and JSON
 * language servers support best.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ScenarioFileSchema, { io: 'input', target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  return { $schema: schema['$schema'], $id: SCHEMA_ID, title: 'wh-bench scenario', ...schema };
}

/** The committed file's exact text: two-space JSON and a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
