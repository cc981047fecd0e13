import type { PresetName } from '../scenario/types.js';
import type { CheckMeta } from './types.js';

const always = () => true;
const never = () => false;
const except =
  (...presets: PresetName[]) =>
  (p: PresetName) =>
    !presets.includes(p);

/**
 * The check catalog (ids are a contract, DESIGN.md): what each check sends, what passes, why it matters
 * and how to fix a failure. Implementations live beside this file, one per family, and refer to these
 * entries by id.
 */
export const CATALOG: CheckMeta[] = [
  {
    id: 'signature.valid-accepted',
    title: 'Valid signatures are accepted',
    family: 'signature',
    sends: 'correctly signed deliveries (the preflight and the load)',
    passes: 'every one answered 2xx',
    why: 'a receiver that rejects real deliveries drops events and makes the provider retry or disable the endpoint',
    fix: 'check the secret and the preset; verify over the raw request bytes, before any JSON parsing',
    requiredFor: always,
  },
  {
    id: 'signature.tampered-body',
    title: 'A body changed after signing is rejected',
    family: 'signature',
    sends: 'a validly signed delivery whose body was changed by one byte',
    passes: '4xx, and no side effect',
    why: 'without it anyone who sees one delivery can forge others',
    fix: 'compute the HMAC over the exact raw body and compare it in constant time before doing any work',
    requiredFor: always,
  },
  {
    id: 'signature.wrong-secret',
    title: 'A signature made with another secret is rejected',
    family: 'signature',
    sends: 'a delivery signed with a different secret',
    passes: '4xx, and no side effect',
    why: 'a receiver that accepts any well-formed signature verifies nothing',
    fix: 'compare against the HMAC computed with your endpoint secret, not merely the header format',
    requiredFor: always,
  },
  {
    id: 'signature.missing',
    title: 'A delivery without a signature is rejected',
    family: 'signature',
    sends: 'a delivery with the signature header(s) removed',
    passes: '4xx, and no side effect',
    why: 'an optional signature is no signature',
    fix: 'reject when the signature header is absent instead of skipping verification',
    requiredFor: always,
  },
  {
    id: 'signature.malformed',
    title: 'Malformed signature headers are rejected without a crash',
    family: 'signature',
    sends:
      'a corpus of broken header shapes (empty, truncated, wrong length, non-hex, non-ASCII, duplicated, wrong prefix, padded)',
    passes: "each shape's expected answer (from the official verifier), and never 5xx",
    why: 'a 5xx on a malformed header is a crash an attacker can trigger, and providers retry 5xx',
    fix: 'parse the header strictly, check the length and encoding of each digest before timingSafeEqual (it throws on a length mismatch), and answer any parse failure with a 4xx',
    requiredFor: always,
  },
  {
    id: 'signature.downgrade',
    title: 'Deprecated or unknown signature versions are ignored',
    family: 'signature',
    sends:
      'a valid HMAC under a deprecated or unknown scheme version only (Stripe v0, Standard Webhooks v2, GitHub legacy X-Hub-Signature SHA-1)',
    passes: '4xx',
    why: 'accepting a weaker scheme lets an attacker choose the weakest check',
    fix: 'consider only the current scheme version (v1, X-Hub-Signature-256) and ignore every other entry',
    requiredFor: always,
  },
  {
    id: 'signature.rotation',
    title: 'Secret rotation is supported',
    family: 'signature',
    sends:
      'several signatures with the valid one first and last (multi-signature schemes); old- and new-secret signatures (single-signature schemes, with previous_secret)',
    passes: '2xx',
    why: 'rotating a leaked secret must not drop deliveries',
    fix: 'accept any one valid signature among several, and keep the previous secret during a rotation window',
    requiredFor: always,
  },
  {
    id: 'signature.raw-body',
    title: 'Signatures are verified over the raw body',
    family: 'signature',
    sends:
      'validly signed bodies that re-serialise differently: whitespace and CRLF, key order, \\/ and \\u00e9 escapes, non-ASCII, emoji, numbers beyond 2^53, deep nesting',
    passes: '2xx',
    why: 'a receiver that parses then re-serialises JSON before verifying rejects real deliveries at random',
    fix: 'verify the bytes as received (express.raw, fastify parseAs buffer, request.rawBody) and parse JSON only afterwards; never JSON.stringify(req.body)',
    requiredFor: always,
  },
  {
    id: 'timestamp.stale',
    title: 'Stale timestamps are rejected',
    family: 'timestamp',
    sends: 'a validly signed delivery whose timestamp is 60 s older than the tolerance',
    passes: '4xx, and no side effect',
    why: 'without it a captured delivery can be replayed forever',
    fix: 'reject when now - timestamp exceeds the tolerance (300 s by default)',
    requiredFor: always,
  },
  {
    id: 'timestamp.future',
    title: 'Future timestamps are rejected',
    family: 'timestamp',
    sends: 'a validly signed delivery whose timestamp is 60 s further ahead than the tolerance',
    passes: '4xx',
    why: 'a far-future timestamp extends the replay window',
    fix: 'check the absolute difference between now and the timestamp',
    requiredFor: except('stripe', 'slack'),
  },
  {
    id: 'timestamp.within-tolerance',
    title: 'Timestamps inside the tolerance are accepted',
    family: 'timestamp',
    sends: 'a delivery signed 0.8 x tolerance ago',
    passes: '2xx',
    why: 'a tolerance too tight or in the wrong unit (ms vs s) drops real deliveries',
    fix: 'compare seconds with seconds and use the provider tolerance',
    requiredFor: always,
  },
  {
    id: 'idempotency.sequential',
    title: 'A redelivered event has one effect',
    family: 'idempotency',
    sends: 'the same event again, as the preset retries it',
    passes: '2xx each; exactly one side effect',
    why: 'providers deliver at least once: duplicates are normal',
    fix: "record the event id (the preset's dedupe key) with a unique constraint and skip known ids",
    requiredFor: always,
  },
  {
    id: 'idempotency.concurrent',
    title: 'Concurrent copies of an event have one effect',
    family: 'idempotency',
    sends: 'N copies of one event released at the same instant over N open connections',
    passes: 'exactly one side effect; no 5xx (a non-2xx for an in-flight copy is a warn)',
    why: 'check-then-insert races fulfil an order twice when retries overlap',
    fix: 'make the dedupe atomic: INSERT ... ON CONFLICT DO NOTHING, or a unique index checked by the insert itself',
    requiredFor: always,
  },
  {
    id: 'idempotency.timeout-retry',
    title: 'A retry after a provider timeout has one effect',
    family: 'idempotency',
    sends: 'attempt 1 aborted after it was written (the provider timed out), then the retry',
    passes: 'the retry gets 2xx; exactly one side effect',
    why: 'the provider gives up but the receiver may still finish the first attempt',
    fix: 'dedupe on the event id even when the first attempt is still running',
    requiredFor: except('github'),
  },
  {
    id: 'ack.latency',
    title: 'Deliveries are acknowledged fast',
    family: 'ack',
    sends: 'the load phases',
    passes: "p99 and max within limits derived from the preset's ack timeout",
    why: 'a slow ack is a timeout for the provider, which retries and may disable the endpoint',
    fix: 'acknowledge first (enqueue) and do the work asynchronously',
    requiredFor: always,
  },
  {
    id: 'ack.errors',
    title: 'Deliveries under load do not fail',
    family: 'ack',
    sends: 'the load phases',
    passes: 'first-attempt error + non-2xx rate <= 0.1% (default)',
    why: 'every failed delivery is a retry storm or a lost event',
    fix: 'look at the status and error breakdown; size pools and queues for the peak rate',
    requiredFor: always,
  },
  {
    id: 'delivery.retry-recovery',
    title: 'Failed deliveries recover on retry',
    family: 'delivery',
    sends:
      "failed load deliveries retried on the preset's backoff schedule (time-scaled), honouring Retry-After",
    passes: 'eventual success rate >= 99.9% (default)',
    why: 'retries are the provider safety net; a receiver that fails them loses events',
    fix: 'make failures transient (5xx, 429 with Retry-After), never permanent for valid deliveries',
    requiredFor: never,
  },
  {
    id: 'delivery.unknown-event',
    title: 'Unknown event types are acknowledged',
    family: 'delivery',
    sends:
      'a validly signed event of a type no receiver handles (wh_bench.unknown_event; an unknown X-GitHub-Event or Shopify topic)',
    passes: '2xx',
    why: 'providers add event types; a 4xx makes them retry and eventually disable the endpoint',
    fix: 'answer 2xx to event types you do not handle and ignore them',
    requiredFor: always,
  },
  {
    id: 'delivery.out-of-order',
    title: 'Out-of-order events are acknowledged',
    family: 'delivery',
    sends: 'two events about one object, the later one (new id, times 60 s on) sent before the earlier one',
    passes: '2xx',
    why: 'providers do not guarantee order',
    fix: 'acknowledge both, then reconcile by the event timestamps or by fetching the current state of the object',
    requiredFor: always,
  },
  {
    id: 'delivery.no-redirect',
    title: 'The webhook URL does not redirect',
    family: 'delivery',
    sends:
      'nothing of its own: judges every answer of the run (the preflight, the conformance deliveries, the load)',
    passes: 'no 3xx ever',
    why: 'providers treat a redirect as a failure',
    fix: 'register the final URL (scheme, host, trailing slash) with the provider',
    requiredFor: except('slack'),
  },
  {
    id: 'delivery.payload-size',
    title: 'Large payloads are accepted',
    family: 'delivery',
    sends:
      "valid events padded to 64 KiB, 100 KiB + 1, 512 KiB, 1 MB, 1 MiB, 5, 10, 25 MiB, up to the preset's maximum (default 1 MiB; GitHub 25 MB)",
    passes: '2xx for every size; the largest accepted size reported',
    why: 'framework body limits (100 KB in express.json and express.raw, 1 MiB in fastify) silently drop large real events',
    fix: "raise the body limit on the webhook route to the provider's maximum: express.raw({ limit: '25mb' }), fastify bodyLimit, nginx client_max_body_size",
    requiredFor: always,
  },
  {
    id: 'response.no-leak',
    title: 'Error bodies do not leak the expected signature',
    family: 'response',
    sends:
      'nothing of its own when others ran: scans the 4xx answers to the rejected deliveries (tampered body, wrong secret, malformed...)',
    passes: 'no 4xx body or header holds the expected signature (hex or base64) or the secret',
    why: 'echoing the expected signature turns the endpoint into a signing oracle',
    fix: 'answer rejections with a fixed, generic message ("invalid signature") and log the details server-side only',
    requiredFor: never,
  },
  {
    id: 'transport.tls',
    title: 'TLS is valid and modern',
    family: 'transport',
    sends: 'https targets only',
    passes: 'a trusted certificate, TLS 1.2 or newer negotiated, TLS 1.0 and 1.1 refused',
    why: 'providers refuse invalid certificates and old protocol versions',
    fix: 'serve a certificate from a public CA that names the host, with its chain, and disable TLS 1.0/1.1',
    requiredFor: always,
  },
  {
    id: 'transport.https',
    title: 'The endpoint uses https',
    family: 'transport',
    sends: 'nothing: judges the target URL (skipped on loopback)',
    passes: 'the URL is https',
    why: 'payloads and signatures travel in clear text otherwise',
    fix: 'terminate TLS in front of the receiver',
    requiredFor: never,
  },
  {
    id: 'transport.source-ip',
    title: 'Deliveries from outside the allowlist are rejected',
    family: 'transport',
    sends:
      "a valid delivery from target.source_address, an address outside the receiver's allowlist (e.g. 127.0.0.2)",
    passes: '4xx',
    why: 'an allowlist that is configured but not enforced protects nothing',
    fix: 'enforce the allowlist on the client address your proxy reports',
    requiredFor: always,
    optIn: true,
  },
];

export const CHECK_IDS = CATALOG.map((c) => c.id);

export function checkMeta(id: string): CheckMeta {
  const meta = CATALOG.find((c) => c.id === id);
  if (!meta) throw new Error(`unknown check id ${id}`);
  return meta;
}
