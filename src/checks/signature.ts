import { is2xx } from '../run/evidence.js';
import { malformedCases, mutationCases, rawBodyCases } from './cases.js';
import { checkMeta } from './catalog.js';
import {
  type Answered,
  acceptAll,
  caseEvidence,
  is5xx,
  MAX_EVIDENCE,
  meets,
  rejectOne,
  sendAll,
  shortAnswer,
  skipOf,
} from './judge.js';
import type { CheckDefinition } from './types.js';

const TAMPERED = 'signature.tampered-body';
const WRONG_SECRET = 'signature.wrong-secret';
const MISSING = 'signature.missing';
const MALFORMED = 'signature.malformed';
const DOWNGRADE = 'signature.downgrade';
const ROTATION = 'signature.rotation';
const RAW_BODY = 'signature.raw-body';

export const tamperedBody: CheckDefinition = {
  ...checkMeta(TAMPERED),
  conformance: (ctx) =>
    rejectOne(
      ctx,
      mutationCases(ctx, 'tampered-body', TAMPERED),
      'a body changed after signing',
      'compute the HMAC over the exact raw body and compare it before doing any work',
    ),
};

export const wrongSecret: CheckDefinition = {
  ...checkMeta(WRONG_SECRET),
  conformance: (ctx) =>
    rejectOne(
      ctx,
      mutationCases(ctx, 'wrong-secret', WRONG_SECRET),
      'a signature made with another secret',
      'compare against the HMAC computed with your endpoint secret, not only the header format',
    ),
};

export const missingSignature: CheckDefinition = {
  ...checkMeta(MISSING),
  conformance: (ctx) =>
    rejectOne(
      ctx,
      mutationCases(ctx, 'missing-signature', MISSING),
      'a delivery with no signature header',
      'reject when the signature header is absent instead of skipping verification',
    ),
};

const shapeOf = (a: Answered) => a.c.mutation.replace(/^malformed:/, '');

export const malformedSignature: CheckDefinition = {
  ...checkMeta(MALFORMED),
  async conformance(ctx) {
    const set = malformedCases(ctx, MALFORMED);
    const skipped = skipOf(set);
    if (skipped) return skipped;
    const answers = await sendAll(ctx, 'cases' in set ? set.cases : []);
    const crashed = answers.filter((a) => is5xx(a.r) || a.r.status === undefined);
    const accepted = answers.filter((a) => !crashed.includes(a) && !meets(a.c.expected, a.r));
    if (crashed.length === 0 && accepted.length === 0) {
      const tolerated = answers.filter((a) => a.c.expected === 'tolerable' && is2xx(a.r)).map(shapeOf);
      return {
        status: 'pass',
        summary:
          `all ${answers.length} malformed signature headers got their expected answer, none a 5xx` +
          (tolerated.length > 0 ? ` (accepted ${tolerated.join(', ')}, as the official verifier does)` : ''),
      };
    }
    const list = (xs: Answered[]) => xs.map((a) => `${shapeOf(a)} (${shortAnswer(a.r)})`).join(', ');
    const parts: string[] = [];
    if (crashed.length > 0) {
      parts.push(
        `answered ${crashed.length} malformed signature header${crashed.length > 1 ? 's' : ''} with a 5xx or no answer: ${list(crashed)}; a malformed header must get a 4xx, never a 5xx: check lengths before timingSafeEqual and treat any parse failure as a 4xx`,
      );
    }
    if (accepted.length > 0) {
      parts.push(
        `${crashed.length > 0 ? 'also ' : ''}did not reject malformed signature headers ${list(accepted)}; refuse a header that does not parse exactly as the provider writes it`,
      );
    }
    return {
      status: 'fail',
      summary: parts.join('; '),
      evidence: [...crashed, ...accepted]
        .slice(0, MAX_EVIDENCE)
        .map((a) => caseEvidence(ctx, `malformed header: ${shapeOf(a)}`, a)),
    };
  },
};

export const downgrade: CheckDefinition = {
  ...checkMeta(DOWNGRADE),
  conformance: (ctx) =>
    rejectOne(
      ctx,
      mutationCases(ctx, 'downgrade', DOWNGRADE),
      'a valid signature under a deprecated or unknown scheme version only',
      'read only the current scheme version (v1, X-Hub-Signature-256) and ignore every other entry',
      false,
    ),
};

export const rotation: CheckDefinition = {
  ...checkMeta(ROTATION),
  conformance: (ctx) =>
    acceptAll(
      ctx,
      mutationCases(ctx, 'rotation', ROTATION),
      ctx.provider.multiSignature
        ? 'deliveries with several signatures (one of them valid)'
        : 'deliveries signed with the previous and with the current secret',
      ctx.provider.multiSignature
        ? 'accept the delivery when any one of its signatures matches, wherever it stands'
        : 'keep accepting the previous secret during a rotation window',
      (c) => c.mutation.replace(/^rotation:/, ''),
    ),
};

export const rawBody: CheckDefinition = {
  ...checkMeta(RAW_BODY),
  conformance: (ctx) =>
    acceptAll(
      ctx,
      rawBodyCases(ctx, RAW_BODY),
      'validly signed bodies written differently',
      'verify the bytes as received (express.raw, request.rawBody) and parse only afterwards',
      (c) => c.mutation.replace(/^raw-body:/, ''),
    ),
};
