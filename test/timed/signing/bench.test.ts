/** The signing benchmark runs and reports every scheme (the figures themselves are in the report). */
import { describe, expect, it } from 'vitest';
import { benchSigning } from '../../../bench/signing.js';

describe('bench/signing.ts', () => {
  it('measures signatures per second for every scheme', async () => {
    const rows = await benchSigning({ seconds: 0.2 });
    expect(rows.map((r) => r.scheme)).toEqual([
      'stripe',
      'github',
      'slack',
      'standard-webhooks',
      'shopify',
      'generic-hmac',
    ]);
    // A floor far below the target: catches a path gone pathological, not a slow CI machine.
    for (const r of rows) expect(r.perSecond, r.scheme).toBeGreaterThan(5_000);
  });
});
