/**
 * autocannon through its programmatic API, signing every request afresh in `setupRequest`: a fresh
 * id in the body, `Stripe-Signature: t=..,v1=..` over it (what autocannon needs to send real webhooks).
 */
import { createHmac, createSecretKey } from 'node:crypto';
import autocannon from 'autocannon';
import {
  BENCH_SECRET,
  bodyText,
  eventIdFor,
  RUN_HEADER,
  SIGNATURE_HEADER,
  STATIC_HEADERS,
} from '../payload.js';
import type { Contender, ContenderOptions, ContenderReport } from './types.js';

export function autocannonContender(): Contender {
  const key = createSecretKey(Buffer.from(BENCH_SECRET, 'utf8'));
  const baseHeaders: Record<string, string> = Object.fromEntries([...STATIC_HEADERS, RUN_HEADER]);
  let seq = 0;
  const setupRequest = (req: autocannon.Request): autocannon.Request => {
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(bodyText(eventIdFor(++seq), now), 'latin1');
    const sig = createHmac('sha256', key).update(`${now}.`).update(body).digest('hex');
    req.body = body;
    req.headers = { ...baseHeaders, [SIGNATURE_HEADER]: `t=${now},v1=${sig}` };
    return req;
  };
  return {
    async run(o: ContenderOptions): Promise<ContenderReport> {
      const result = await autocannon({
        url: o.url,
        method: 'POST',
        connections: o.connections,
        pipelining: 1,
        duration: o.seconds,
        requests: [{ setupRequest }],
      });
      return { selfCount: result['2xx'], failures: result.non2xx + result.errors + result.timeouts };
    },
  };
}
