import { describeAnswer, is2xx, is3xx } from '../run/evidence.js';
import { checkMeta } from './catalog.js';
import type { CheckDefinition } from './types.js';

/**
 * Valid deliveries must be accepted. A 4xx to a correctly signed delivery is a verification bug and
 * fails this check; 5xx and timeouts under load are ack.errors' business, so they are not counted twice.
 */
export const validAccepted: CheckDefinition = {
  ...checkMeta('signature.valid-accepted'),
  load(ctx) {
    const pre = ctx.preflight;
    if (pre && !is2xx(pre)) {
      return {
        status: pre.status === undefined ? 'error' : 'fail',
        summary: is3xx(pre)
          ? `the receiver answered ${pre.status} (a redirect) to a correctly signed delivery (the preflight); register the final URL`
          : `the receiver ${describeAnswer(pre)} to a correctly signed delivery (the preflight): wrong secret or preset?`,
        evidence: [ctx.evidence('preflight', pre)],
      };
    }
    let rejected = 0;
    let accepted = pre ? 1 : 0;
    for (const p of ctx.phases) {
      for (const [code, n] of Object.entries(p.statusCounts)) {
        if (code.startsWith('4')) rejected += n;
        if (code.startsWith('2')) accepted += n;
      }
    }
    if (rejected > 0) {
      const sample = ctx.samples.filter((r) => r.status !== undefined && r.status >= 400 && r.status < 500);
      return {
        status: 'fail',
        summary: `${rejected} correctly signed load deliveries were answered 4xx; verify over the raw body bytes with the right secret`,
        evidence: sample.slice(0, 3).map((r) => ctx.evidence('a rejected valid delivery', r)),
      };
    }
    return { status: 'pass', summary: `${accepted} correctly signed deliveries answered 2xx, none 4xx` };
  },
};
