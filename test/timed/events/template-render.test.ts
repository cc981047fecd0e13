import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../../src/events/template.js';

const fixture = (p: string) =>
  JSON.parse(
    readFileSync(fileURLToPath(new URL(`../../../scenarios/fixtures/${p}`, import.meta.url)), 'utf8'),
  );

/** The load path renders one body per delivery: thousands per second must cost little CPU. */
describe('template render throughput', () => {
  for (const [name, minPerSec] of [
    ['stripe/invoice.paid.json', 50_000],
    ['slack/message.json', 50_000],
    ['github/pull_request.opened.json', 10_000],
  ] as const) {
    it(`${name}: at least ${minPerSec / 1000}k renders/s`, () => {
      const { template } = compileTemplate(fixture(name));
      let x = 1;
      const random = () => {
        x = (x * 16807) % 2147483647;
        return x / 2147483647;
      };
      const ctx = {
        eventId: 'evt_abcdefghij_1',
        eventType: 'invoice.paid',
        seq: 1,
        runId: 'abcdefghij',
        now: 1718900000,
        random,
      };
      for (let i = 0; i < 5000; i++) template.render(ctx);
      const n = 50_000;
      const t0 = performance.now();
      let bytes = 0;
      for (let i = 0; i < n; i++) {
        ctx.seq = i;
        bytes += template.render(ctx).length;
      }
      const perSec = n / ((performance.now() - t0) / 1000);
      expect(bytes).toBeGreaterThan(n * 100);
      expect(perSec).toBeGreaterThan(minPerSec);
    });
  }
});
