import { build, encodeIntoCompressedBase64, type Histogram } from 'hdr-histogram-js';
import type { CheckResult, CheckStatus, Evidence } from '../../src/checks/types.js';
import type { ErrorClass } from '../../src/engine/delivery.js';
import type { Percentiles, PhaseResult, TimeseriesPoint } from '../../src/metrics/types.js';
import { type ResultJson, SCHEMA_VERSION, verdictOf } from '../../src/run/result.js';
import { mulberry32 } from '../../src/signing/rng.js';

/**
 * Realistic report.json values for reporter tests: latencies drawn from a seeded log-normal, recorded
 * into real hdr-histogram-js histograms (µs, 3 significant digits, as the engine does) and encoded the
 * way report.json carries them. A stall in a phase makes corrected latency exceed uncorrected, as
 * coordinated omission does.
 */

export const rng = mulberry32;

export const newHistogram = (): Histogram =>
  build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
  });

export function percentiles(h: Histogram): Percentiles {
  if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const at = (p: number) => h.getValueAtPercentile(p) / 1000;
  return { p50: at(50), p90: at(90), p99: at(99), p999: at(99.9), max: at(100) };
}

export interface PhaseSpec {
  name: string;
  /** Deliveries per second (open model) or completions per second (closed). */
  rate: number;
  seconds: number;
  medianMs: number;
  /** log-normal sigma */
  sigma?: number;
  /** A receiver pause at this second of the phase, for this long: sends queue behind it. */
  stall?: { second: number; ms: number };
  /** Fraction answered 500. */
  errorRate?: number;
  /** Fraction that time out (recorded at the timeout). */
  timeoutRate?: number;
  timeoutMs?: number;
  model?: 'open' | 'closed';
  /** Achieved / intended: below 1 the pacer fell behind. */
  achieved?: number;
}

export const DEFAULT_PHASES: PhaseSpec[] = [
  { name: 'warmup', rate: 50, seconds: 3, medianMs: 4 },
  { name: 'steady', rate: 200, seconds: 6, medianMs: 3, errorRate: 0.004 },
  {
    name: 'spike',
    rate: 600,
    seconds: 3,
    medianMs: 9,
    sigma: 0.7,
    stall: { second: 1, ms: 400 },
    timeoutRate: 0.002,
    achieved: 0.93,
  },
];

const ZERO_ERRORS: Record<ErrorClass, number> = {
  timeout: 0,
  refused: 0,
  reset: 0,
  tls: 0,
  dns: 0,
  protocol: 0,
  other: 0,
};

export function simulate(
  specs: PhaseSpec[],
  seed = 1,
): { phases: PhaseResult[]; timeseries: TimeseriesPoint[] } {
  const rand = rng(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const phases: PhaseResult[] = [];
  const timeseries: TimeseriesPoint[] = [];
  let t = 0;
  for (const spec of specs) {
    const corrected = newHistogram();
    const uncorrected = newHistogram();
    const statusCounts: Record<string, number> = {};
    const errorCounts = { ...ZERO_ERRORS };
    let sent = 0;
    const perSecond = Math.round(spec.rate * (spec.achieved ?? 1));
    for (let s = 0; s < spec.seconds; s++, t++) {
      const second = newHistogram();
      let errors = 0;
      for (let i = 0; i < perSecond; i++) {
        let us = Math.exp(Math.log(spec.medianMs * 1000) + (spec.sigma ?? 0.45) * normal());
        const r = rand();
        const timedOut = r < (spec.timeoutRate ?? 0);
        if (timedOut) {
          us = (spec.timeoutMs ?? 10_000) * 1000;
          errorCounts.timeout += 1;
          errors += 1;
        } else if (r < (spec.timeoutRate ?? 0) + (spec.errorRate ?? 0)) {
          statusCounts['500'] = (statusCounts['500'] ?? 0) + 1;
          errors += 1;
        } else {
          statusCounts['200'] = (statusCounts['200'] ?? 0) + 1;
        }
        // Sends intended during a stall wait for it to end: the wait counts in corrected latency only.
        const intendedAt = (i / perSecond) * 1000;
        const wait = spec.stall && spec.stall.second === s ? Math.max(0, spec.stall.ms - intendedAt) : 0;
        const c = us + wait * 1000;
        uncorrected.recordValue(Math.round(us));
        corrected.recordValue(Math.round(c));
        second.recordValue(Math.round(c));
        sent += 1;
      }
      const pct = percentiles(second);
      timeseries.push({
        t,
        phase: spec.name,
        sent: perSecond,
        completed: perSecond,
        errors,
        histogram: encodeIntoCompressedBase64(second),
        p50: pct.p50,
        p99: pct.p99,
      });
    }
    const durationMs = spec.seconds * 1000;
    phases.push({
      name: spec.name,
      model: spec.model ?? 'open',
      durationMs,
      intendedRate: (spec.model ?? 'open') === 'open' ? spec.rate : null,
      achievedRate: sent / spec.seconds,
      sent,
      completed: sent,
      dropped: Math.max(0, spec.rate * spec.seconds - sent),
      statusCounts,
      errorCounts,
      latency: { corrected: percentiles(corrected), uncorrected: percentiles(uncorrected) },
      histograms: {
        corrected: encodeIntoCompressedBase64(corrected),
        uncorrected: encodeIntoCompressedBase64(uncorrected),
      },
      firstAttempts: sent,
      sendLag: { p50: 0.05, p90: 0.1, p99: 0.4, p999: 1.2, max: 2.5 },
      classes: { load: { completed: sent, corrected: percentiles(corrected) } },
    });
  }
  return { phases, timeseries };
}

const TARGET = 'http://127.0.0.1:3000/webhooks/stripe';
const SECRET_MASK = '***';

export function exchange(opts: {
  label: string;
  status: number | null;
  body?: string;
  headers?: Array<[string, string]>;
  requestBody?: string;
  note?: string;
  error?: string;
  sendArgs?: string;
}): Evidence {
  const requestBody =
    opts.requestBody ??
    '{"id":"evt_r1a2b3_000042","object":"event","type":"payment_intent.succeeded","livemode":false}';
  return {
    label: opts.label,
    request: {
      method: 'POST',
      url: TARGET,
      headers: [
        ['content-type', 'application/json; charset=utf-8'],
        ['stripe-signature', `t=1735689600,v1=${SECRET_MASK}`],
        ['x-wh-bench-run', 'r1a2b3'],
      ],
      bodyExcerpt: requestBody,
      bodyBytes: Buffer.byteLength(requestBody),
    },
    response: {
      status: opts.status,
      headers: opts.headers ?? [
        ['content-type', 'application/json'],
        ['content-length', String(Buffer.byteLength(opts.body ?? ''))],
      ],
      bodyExcerpt: opts.body ?? '',
      ...(opts.error ? { error: opts.error } : {}),
    },
    timingMs: 3.412,
    reproducers: {
      send: `npx wh-bench send scenarios/stripe.yaml --target ${TARGET}${opts.sendArgs ? ` ${opts.sendArgs}` : ''}`,
      curl: `curl -sS -i -X POST ${TARGET} -H 'content-type: application/json; charset=utf-8' -H 'stripe-signature: t=1735689600,v1=***' --data-binary '${requestBody}'`,
    },
    ...(opts.note ? { note: opts.note } : {}),
  };
}

const check = (
  id: string,
  title: string,
  status: CheckStatus,
  summary: string,
  evidence: Evidence[] = [],
  required = true,
): CheckResult => ({
  id,
  title,
  status,
  required,
  summary,
  evidence,
});

/** The check list of a plausible Stripe receiver with three real bugs and one advisory warning. */
export function sampleChecks(): CheckResult[] {
  return [
    check(
      'signature.valid-accepted',
      'Valid signatures are accepted',
      'pass',
      '2551 valid deliveries, all 2xx',
    ),
    check(
      'signature.tampered-body',
      'A body changed after signing is rejected',
      'fail',
      'answered 200 to a body changed after signing (expected 4xx); the probe saw 1 side effect',
      [
        exchange({
          label: 'body changed by one byte after signing',
          status: 200,
          body: '{"received":true}',
          requestBody:
            '{"id":"evt_r1a2b3_000007","object":"event","type":"payment_intent.succeeded","amount":1001}',
          sendArgs: '--mutation tampered-body',
          note: 'the receiver probably verifies a re-serialised body, or not at all',
        }),
      ],
    ),
    check(
      'signature.wrong-secret',
      'A signature made with another secret is rejected',
      'pass',
      'answered 400, no side effect',
    ),
    check(
      'signature.missing',
      'A delivery without a signature is rejected',
      'pass',
      'answered 400, no side effect',
    ),
    check(
      'signature.malformed',
      'Malformed signature headers are rejected without a crash',
      'fail',
      '2 of 14 header shapes answered 500 (truncated v1, non-hex v1)',
      [
        exchange({
          label: 'shape: truncated v1 (31 hex digits)',
          status: 500,
          body: 'TypeError [ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH]: Input buffers must have the same byte length\n    at timingSafeEqual (node:internal/crypto/util:136:3)\n    at verify (/app/src/webhooks.js:41:10)',
          headers: [
            ['content-type', 'text/plain'],
            ['x-powered-by', 'Express'],
          ],
          sendArgs: '--mutation malformed:truncated',
        }),
        exchange({
          label: 'shape: non-hex v1',
          status: 500,
          body: 'Internal Server Error',
          sendArgs: '--mutation malformed:non-hex',
        }),
      ],
    ),
    check(
      'signature.downgrade',
      'Deprecated or unknown signature versions are ignored',
      'pass',
      'v0-only answered 400',
    ),
    check(
      'signature.rotation',
      'Secret rotation is supported',
      'pass',
      'valid signature first and last: both 2xx',
    ),
    check(
      'signature.raw-body',
      'Signatures are verified over the raw body',
      'pass',
      '9 re-serialisations, all 2xx',
    ),
    check(
      'timestamp.stale',
      'Stale timestamps are rejected',
      'pass',
      '301 s old: answered 400, no side effect',
    ),
    check(
      'timestamp.future',
      'Future timestamps are rejected',
      'warn',
      'accepted a timestamp 600 s ahead (the official Stripe library accepts it too)',
      [
        exchange({
          label: 'timestamp now + 600 s',
          status: 200,
          body: '{"received":true}',
          sendArgs: '--mutation future',
        }),
      ],
      false,
    ),
    check(
      'timestamp.within-tolerance',
      'Timestamps within tolerance are accepted',
      'pass',
      '240 s old: answered 200',
    ),
    check(
      'idempotency.sequential',
      'A retried event has one effect',
      'pass',
      '3 attempts, all 2xx; probe count 1',
    ),
    check(
      'idempotency.concurrent',
      'Concurrent duplicates have one effect',
      'fail',
      '10 copies released together: the probe counted 2 side effects (expected exactly 1)',
      [
        exchange({
          label: 'copy 1 of 10 (and 9 more at the same instant)',
          status: 200,
          body: '{"received":true}',
          note: 'check-then-insert without a unique constraint races; use INSERT … ON CONFLICT DO NOTHING',
          sendArgs: '--mutation duplicate',
        }),
      ],
    ),
    check(
      'idempotency.timeout-retry',
      'A retry after a timeout has one effect',
      'pass',
      'retry answered 200; probe count 1',
    ),
    check(
      'ack.latency',
      'Deliveries are acknowledged quickly',
      'fail',
      'spike: p99 2.41 s over the limit 2 s (max 10.0 s, limit 10 s)',
      [
        exchange({
          label: 'slowest load delivery (spike)',
          status: null,
          error: 'timeout: no answer within 10000 ms',
        }),
      ],
    ),
    check('ack.errors', 'Few deliveries fail under load', 'pass', 'errors + non-2xx 0.09% (limit 0.1%)'),
    check(
      'delivery.retry-recovery',
      'Failed deliveries recover on retry',
      'pass',
      '9 of 9 retried deliveries succeeded',
      [],
      false,
    ),
    check('delivery.unknown-event', 'Unknown event types are acknowledged', 'pass', 'answered 200'),
    check('delivery.out-of-order', 'Out-of-order events are acknowledged', 'pass', 'answered 200 to both'),
    check('delivery.no-redirect', 'No redirects', 'pass', 'no 3xx in 2612 answers'),
    check('delivery.payload-size', 'Large payloads are accepted', 'pass', 'largest accepted 1048576 bytes'),
    check(
      'response.no-leak',
      'Rejections leak nothing',
      'pass',
      'no rejection body held the signature or the secret',
      [],
      false,
    ),
    check('transport.tls', 'TLS is sound', 'skip', 'http target: no TLS to check'),
    check('transport.https', 'The target uses https', 'skip', 'loopback target', [], false),
  ];
}

export interface ResultOptions {
  phases?: PhaseSpec[];
  checks?: CheckResult[];
  seed?: number;
  runId?: string;
  scenarioName?: string;
  shard?: { index: number; count: number } | null;
}

export function makeResult(opts: ResultOptions = {}): ResultJson {
  const specs = opts.phases ?? DEFAULT_PHASES;
  const { phases, timeseries } = simulate(specs, opts.seed ?? 1);
  const checks = opts.checks ?? sampleChecks();
  const seconds = specs.reduce((a, s) => a + s.seconds, 0);
  const start = Date.parse('2025-01-01T09:30:00.000Z');
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'wh-bench', version: '0.1.0' },
    runId: opts.runId ?? 'r1a2b3',
    shard: opts.shard ?? null,
    interrupted: false,
    partial: false,
    stopReason: null,
    scenario: {
      name: opts.scenarioName ?? 'stripe-like',
      file: 'scenarios/stripe.yaml',
      preset: 'stripe',
      scheme: 'stripe-v1',
      toleranceSec: 300,
      ackTimeoutMs: 10_000,
      maxPayloadBytes: 1_048_576,
      events: [
        { type: 'payment_intent.succeeded', weight: 4 },
        { type: 'invoice.paid', weight: 1 },
      ],
      load: specs.map((s) => ({
        name: s.name,
        model: s.model ?? 'open',
        rate: s.rate,
        durationMs: s.seconds * 1000,
      })),
      probe: 'http://127.0.0.1:3000/internal/effects/{{event.id}}',
      checks: { 'ack.latency': { p99: 2000, max: 10_000 }, 'idempotency.concurrent': { copies: 10 } },
    },
    target: { url: TARGET, embedded: false },
    startedAt: new Date(start).toISOString(),
    endedAt: new Date(start + (seconds + 4) * 1000).toISOString(),
    timeScale: 1,
    seed: opts.seed ?? 1,
    machine: { platform: 'linux', arch: 'x64', cpus: 8, node: 'v20.20.2' },
    verdict: verdictOf(checks),
    checks,
    phases,
    timeseries,
  };
}

/** Everything a hostile receiver might answer, to prove it is shown as text and never run. */
export const HOSTILE = [
  '<script>window.__pwned = 1</script>',
  '</textarea><script>window.__pwned = 2</script>',
  '</script><script>window.__pwned = 3</script>',
  '<a href="javascript:window.__pwned = 4">click me</a>',
  '<!-- <script>window.__pwned = 5</script> -->',
  '<img src=x onerror="window.__pwned = 6">',
  '<svg onload="window.__pwned = 7"></svg>',
  '"><iframe srcdoc="<script>parent.__pwned = 8</script>">',
  "'; window.__pwned = 9; '",
  '\u2028\u2029 line separators',
  'RTL \u202eexe.txt\u202c override',
  '`backticks` | pipes | **bold** [link](javascript:alert(1)) ::error::injected',
  '100% \r\n::warning::forged annotation',
  '\u0000nul \u001b[31mred\u001b[0m',
  '&lt;already-escaped&gt; &amp;',
].join('\n');

/** A failed check whose every target-provided field is hostile. */
export function hostileChecks(): CheckResult[] {
  const ev = exchange({
    label: `hostile label ${HOSTILE}`,
    status: 500,
    body: HOSTILE,
    headers: [
      ['x-evil', HOSTILE.replace(/\n/g, ' ')],
      ['content-type', 'text/html'],
    ],
    note: `note ${HOSTILE}`,
    error: `protocol: ${HOSTILE}`,
  });
  ev.reproducers = { send: `npx wh-bench send x.yaml --target '${HOSTILE}'`, curl: `curl '${HOSTILE}'` };
  return [
    check('signature.valid-accepted', 'Valid signatures are accepted', 'pass', 'all 2xx'),
    check('signature.tampered-body', `title ${HOSTILE}`, 'fail', `summary ${HOSTILE}`, [ev]),
    check('timestamp.future', 'Future timestamps are rejected', 'warn', `warn ${HOSTILE}`, [ev], false),
  ];
}
