import type { CommandModule } from 'yargs';
import { CATALOG } from '../checks/catalog.js';
import { CHECKS } from '../checks/registry.js';
import { PRESET_NAMES } from '../scenario/presets.js';

/** `wh-bench checks`: the catalog, as text or JSON. */
export const checksCommand: CommandModule<object, { json?: boolean }> = {
  command: 'checks',
  describe: 'list every check: what it sends, what passes, why it matters, how to fix a failure',
  builder: (y) => y.option('json', { type: 'boolean', describe: 'print the catalog as JSON' }),
  handler: (argv) => {
    const implemented = new Set(CHECKS.map((c) => c.id));
    const rows = CATALOG.map((c) => ({
      id: c.id,
      title: c.title,
      implemented: implemented.has(c.id),
      required: Object.fromEntries(PRESET_NAMES.map((p) => [p, c.requiredFor(p) ? 'required' : 'advisory'])),
      optIn: c.optIn ?? false,
      sends: c.sends,
      passes: c.passes,
      why: c.why,
      fix: c.fix,
    }));
    if (argv.json) {
      process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return;
    }
    const out: string[] = [];
    for (const r of rows) {
      const req = Object.entries(r.required);
      const allSame = req.every(([, v]) => v === req[0]![1]);
      const reqText = allSame ? req[0]![1] : req.map(([p, v]) => `${p}: ${v}`).join(', ');
      out.push(`${r.id}${r.implemented ? '' : '  (not implemented yet: never run)'}`);
      out.push(`  ${r.title}. ${reqText}${r.optIn ? ', opt-in' : ''}`);
      out.push(`  sends:  ${r.sends}`);
      out.push(`  passes: ${r.passes}`);
      out.push(`  why:    ${r.why}`);
      out.push(`  fix:    ${r.fix}`);
      out.push('');
    }
    process.stdout.write(out.join('\n'));
  },
};
