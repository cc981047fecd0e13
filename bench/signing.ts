/**
 * Signatures per second per scheme, one core: a loop of createSigner().sign() over a 1 KB body.
 *
 *   node --import tsx bench/signing.ts [seconds per scheme, default 2]
 */
import { pathToFileURL } from 'node:url';
import { createSigner } from '../src/signing/index.js';
import type { SchemeName, SchemeOptions, SignInput } from '../src/signing/types.js';

const CASES: Array<{ scheme: SchemeName; secret: string; options?: SchemeOptions }> = [
  { scheme: 'stripe', secret: 'whsec_bench0123456789abcdefghijklmnop' },
  { scheme: 'github', secret: "It's a Secret to Everybody" },
  { scheme: 'slack', secret: '8f742231b10e8888abcd99yyyzzz85a5' },
  { scheme: 'standard-webhooks', secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' },
  { scheme: 'shopify', secret: 'shpss_0123456789abcdef0123456789abcdef' },
  {
    scheme: 'generic-hmac',
    secret: 'generic-bench-secret',
    options: {
      generic: {
        signatureHeader: 'X-Signature',
        algorithm: 'sha256',
        encoding: 'hex',
        prefix: 'sha256=',
        timestampHeader: 'X-Timestamp',
        idHeader: 'X-Webhook-Id',
        timestampFormat: 'unix',
        template: '{timestamp}.{body}',
      },
    },
  },
];

function body1k(): Uint8Array {
  const head = '{"id":"evt_bench_1","object":"event","type":"payment_intent.succeeded","data":{"pad":"';
  const tail = '"}}';
  return new TextEncoder().encode(head + 'x'.repeat(1024 - head.length - tail.length) + tail);
}

export async function benchSigning(opts: {
  seconds: number;
}): Promise<Array<{ scheme: string; perSecond: number }>> {
  const body = body1k();
  const results: Array<{ scheme: string; perSecond: number }> = [];
  for (const c of CASES) {
    const signer = createSigner(c.scheme, [c.secret], c.options);
    const input: SignInput = { body, timestamp: 1_700_000_000, id: 'evt_bench_1', eventType: 'bench.event' };
    // Warm up so the JIT has compiled the path before the clock starts.
    for (let i = 0; i < 20_000; i++) signer.sign(input);
    // Rates over short windows, reported as their median: a neighbour's burst on a shared machine
    // spoils a window or two, not the figure.
    const windows: number[] = [];
    const windowMs = Math.min(250, opts.seconds * 1000);
    const end = performance.now() + opts.seconds * 1000;
    while (performance.now() < end) {
      let n = 0;
      const t0 = performance.now();
      let elapsed = 0;
      while (elapsed < windowMs) {
        // The clock moves every 1000 signatures: far more often than real time at these rates.
        input.timestamp++;
        for (let i = 0; i < 1000; i++) signer.sign(input);
        n += 1000;
        elapsed = performance.now() - t0;
      }
      windows.push(n / (elapsed / 1000));
    }
    windows.sort((a, b) => a - b);
    const perSecond = Math.round(windows[Math.floor(windows.length / 2)]!);
    results.push({ scheme: c.scheme, perSecond });
    // Let timers and I/O run between schemes.
    await new Promise((r) => setImmediate(r));
  }
  return results;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const seconds = Number(process.argv[2] ?? 2);
  const rows = await benchSigning({ seconds });
  for (const r of rows)
    console.log(`${r.scheme.padEnd(18)} ${r.perSecond.toLocaleString('en-US').padStart(10)} /s`);
}
