import type { DeliveryResult } from '../engine/delivery.js';
import { is4xx } from '../run/evidence.js';
import { secretForms } from '../run/mask.js';
import { createSigner, schemeInfo } from '../signing/index.js';
import type { Header, SignInput } from '../signing/types.js';
import { type Case, mutationCases } from './cases.js';
import { checkMeta } from './catalog.js';
import { sendAll } from './judge.js';
import { findLeak, type Leak, signatureForms } from './leak.js';
import type { CheckDefinition, ConformanceContext, Evidence } from './types.js';

const NO_LEAK = 'response.no-leak';

/** The `wh-bench send --mutation` that rebuilds a rejection another check sent (others: a wrong secret). */
const MUTATION_OF_CLASS: Record<string, string> = {
  'signature.tampered-body': 'tampered-body',
  'signature.wrong-secret': 'wrong-secret',
  'signature.missing': 'missing-signature',
  'signature.downgrade': 'downgrade',
  'timestamp.stale': 'stale-timestamp',
  'timestamp.future': 'future-timestamp',
  [NO_LEAK]: 'wrong-secret',
};

const text = (b: Uint8Array | undefined) => (b ? Buffer.from(b).toString('utf8') : '');
const headerText = (h: readonly Header[] | undefined) => (h ?? []).map(([n, v]) => `${n}: ${v}`).join('\n');

function expectedForms(ctx: ConformanceContext, input: SignInput): string[] {
  const p = ctx.provider;
  const options = { ...p.schemeOptions, ...(p.generic ? { generic: p.generic } : {}) };
  const headers = createSigner(p.scheme, [p.secret], options).sign(input);
  return signatureForms(headers, schemeInfo(p.scheme, options).signatureHeaders);
}

/**
 * Error bodies must not echo the signature the receiver expected, nor the secret: scans the 4xx
 * answers of the checks that ran before (their log), or sends its own rejections when none did.
 */
export const noLeak: CheckDefinition = {
  ...checkMeta(NO_LEAK),
  async conformance(ctx) {
    let rejected: readonly DeliveryResult[] = ctx.log
      .rejections()
      .filter((r) => ctx.log.expectedFor(r.delivery));
    if (rejected.length === 0) {
      const own: Case[] = [];
      for (const name of ['wrong-secret', 'tampered-body'] as const) {
        const set = mutationCases(ctx, name, NO_LEAK);
        if ('cases' in set) own.push(...set.cases);
      }
      rejected = (await sendAll(ctx, own)).map((a) => a.r).filter(is4xx);
    }
    if (rejected.length === 0) {
      return {
        status: 'skip',
        summary: 'no delivery was rejected with a 4xx, so there is no error body to scan',
      };
    }
    const secrets = secretForms([
      ctx.provider.secret,
      ...(ctx.provider.previousSecret ? [ctx.provider.previousSecret] : []),
    ]);
    const leaks: Array<{ r: DeliveryResult; leak: Leak }> = [];
    for (const r of rejected) {
      const input = ctx.log.expectedFor(r.delivery);
      const signature = input ? expectedForms(ctx, input) : [];
      const request = `${headerText(r.delivery.headers)}\n${text(r.delivery.body)}`;
      const response = `${headerText(r.headers)}\n${text(r.body)}`;
      const leak = findLeak(response, request, { signature, secret: secrets });
      if (leak) leaks.push({ r, leak });
    }
    if (leaks.length === 0) {
      return {
        status: 'pass',
        summary: `none of ${rejected.length} rejection answers holds the expected signature or the secret`,
      };
    }
    const first = leaks[0]!;
    const from = first.r.delivery.class;
    const evidence: Evidence[] = leaks.slice(0, 3).map(({ r, leak }) => {
      const ev = ctx.evidence(`a rejection that echoes the ${leak.kind}`, r, {
        note: `the answer holds the ${leak.kind} (shown as <${leak.kind}>)`,
        sendArgs: ['--mutation', MUTATION_OF_CLASS[r.delivery.class] ?? 'wrong-secret'],
      });
      // The echoed value is what an attacker would harvest: the report does not repeat it.
      if (ev.response)
        ev.response.bodyExcerpt = ev.response.bodyExcerpt.split(leak.form).join(`<${leak.kind}>`);
      if (ev.response)
        ev.response.headers = ev.response.headers.map(([n, v]) => [
          n,
          v.split(leak.form).join(`<${leak.kind}>`),
        ]);
      return ev;
    });
    return {
      status: 'fail',
      summary:
        `${leaks.length} of ${rejected.length} rejection answers hold the ${first.leak.kind} ` +
        `(first: the ${first.r.status} answer to ${from}); answer rejections with a fixed, generic message`,
      evidence,
    };
  },
};
