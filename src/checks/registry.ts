import type { Scenario } from '../scenario/types.js';
import { ackErrors, ackLatency } from './ack.js';
import { CHECK_IDS } from './catalog.js';
import { noRedirect, outOfOrder, payloadSize, unknownEvent } from './delivery.js';
import { concurrent, sequential, timeoutRetry } from './idempotency.js';
import { noLeak } from './response.js';
import { retryRecovery } from './retry-recovery.js';
import {
  downgrade,
  malformedSignature,
  missingSignature,
  rawBody,
  rotation,
  tamperedBody,
  wrongSecret,
} from './signature.js';
import { futureTimestamp, staleTimestamp, withinTolerance } from './timestamp.js';
import { transportHttps, transportSourceIp, transportTls } from './transport.js';
import type { CheckDefinition, CheckMeta, CheckResult, Verdict } from './types.js';
import { validAccepted } from './valid-accepted.js';

const catalogOrder = (a: CheckMeta, b: CheckMeta) => CHECK_IDS.indexOf(a.id) - CHECK_IDS.indexOf(b.id);

/**
 * Implemented checks, in catalog order (which is report order and the order conformance checks run:
 * response.no-leak reads the rejections of the signature and timestamp checks before it). The catalog
 * (catalog.ts) lists every id, implemented or not.
 */
export const CHECKS: CheckDefinition[] = [
  validAccepted,
  tamperedBody,
  wrongSecret,
  missingSignature,
  malformedSignature,
  downgrade,
  rotation,
  rawBody,
  staleTimestamp,
  futureTimestamp,
  withinTolerance,
  sequential,
  concurrent,
  timeoutRetry,
  ackLatency,
  ackErrors,
  retryRecovery,
  unknownEvent,
  outOfOrder,
  noRedirect,
  payloadSize,
  noLeak,
  transportTls,
  transportHttps,
  transportSourceIp,
].sort(catalogOrder);

export function configOf(scenario: Scenario, id: string): Record<string, unknown> {
  return scenario.checks[id] ?? {};
}

export function isRequired(meta: CheckMeta, scenario: Scenario): boolean {
  const set = scenario.checks[meta.id]?.required;
  return typeof set === 'boolean' ? set : meta.requiredFor(scenario.provider.preset);
}

/** Adds id, title and required; an advisory check that failed is a warn (DESIGN.md), and a warn stays one. */
export function toResult(meta: CheckMeta, verdict: Verdict, scenario: Scenario): CheckResult {
  const required = isRequired(meta, scenario);
  const status = verdict.status === 'fail' && !required ? 'warn' : verdict.status;
  return {
    id: meta.id,
    title: meta.title,
    status,
    required,
    summary: verdict.summary,
    evidence: verdict.evidence ?? [],
  };
}

/** A check that threw is a bug in wh-bench or a probe failure: it cannot judge, so it is `error`. */
export function errorVerdict(err: unknown): Verdict {
  const message = err instanceof Error ? err.message : String(err);
  return { status: 'error', summary: `the check could not judge: ${message}` };
}
