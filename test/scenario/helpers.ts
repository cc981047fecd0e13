// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A temporary folder of scenario files; `cleanup` removes it. */
export function tempScenarios(files: Record<string, string>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'wh-bench-scenario-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small valid Stripe scenario to vary. */
export const STRIPE_MIN = `provider:
  preset: stripe
  secret: \${STRIPE_WEBHOOK_SECRET}
events:
  - type: payment_intent.succeeded
    body: { id: "{{event.id}}", object: event, amount: "{{int 1 9}}" }
`;
