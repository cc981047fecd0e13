/**
 * The check ids a scenario may configure (DESIGN.md's catalog; ids are a contract). Kept here rather
 * than imported from checks/ so the scenario layer depends on nothing to its right; a test keeps the
 * two lists equal.
 */
export const CHECK_IDS = [
  'signature.valid-accepted',
  'signature.tampered-body',
  'signature.wrong-secret',
  'signature.missing',
  'signature.malformed',
  'signature.downgrade',
  'signature.rotation',
  'signature.raw-body',
  'timestamp.stale',
  'timestamp.future',
  'timestamp.within-tolerance',
  'idempotency.sequential',
  'idempotency.concurrent',
  'idempotency.timeout-retry',
  'ack.latency',
  'ack.errors',
  'delivery.retry-recovery',
  'delivery.unknown-event',
  'delivery.out-of-order',
  'delivery.no-redirect',
  'delivery.payload-size',
  'response.no-leak',
  'transport.tls',
  'transport.https',
  'transport.source-ip',
] as const;

export type CheckId = (typeof CHECK_IDS)[number];
