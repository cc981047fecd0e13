/**
 * The one request every contender sends: a Stripe-style event of about 1 KB, a fresh id in the body,
 * signed `Stripe-Signature: t=<t>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, with the headers wh-bench's
 * stripe preset sends. wh-bench renders it from a scenario template; the peers fill the same id and
 * timestamp into the same pre-rendered text, so every contender does the same work per request.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STRIPE_SIGNATURE_HEADER, STRIPE_USER_AGENT } from '../src/signing/stripe.js';

export const BENCH_SECRET = 'whsec_bench_0123456789abcdefghijklmnopqrstuv';
export const BENCH_RUN_ID = 'benchrun01';
export const BODY_BYTES = 1024;
export const EVENT_TYPE = 'payment_intent.succeeded';

const ID_MARK = '\u0001ID\u0001';
const NOW_MARK = 4242424242;

/** The event with `id` and `created` left as markers; `pad` sized so a typical body is 1 KB. */
function eventShape(pad: string, id: string, created: number | string): Record<string, unknown> {
  return {
    id,
    object: 'event',
    api_version: '2024-06-20',
    created,
    data: {
      object: {
        id: 'pi_3PwhBench0000001',
        object: 'payment_intent',
        amount: 2000,
        amount_received: 2000,
        currency: 'usd',
        customer: 'cus_QhBench0001',
        description: pad,
        livemode: false,
        metadata: { order_id: 'ord_bench_0001' },
        payment_method_types: ['card'],
        status: 'succeeded',
      },
    },
    livemode: false,
    pending_webhooks: 1,
    request: { id: 'req_bench0001', idempotency_key: 'bench-0001' },
    type: EVENT_TYPE,
  };
}

/** A typical id (`evt_<run id>_<6-digit seq>`), used to size the padding. */
const TYPICAL_ID = `evt_${BENCH_RUN_ID}_100000`;
const TYPICAL_NOW = 1_700_000_000;

function padding(): string {
  const bare = JSON.stringify(eventShape('', TYPICAL_ID, TYPICAL_NOW)).length;
  return 'x'.repeat(Math.max(0, BODY_BYTES - bare));
}

const PAD = padding();

/** The body around the id and the timestamp: `head + id + mid + now + tail`. */
export const BODY_PARTS = (() => {
  const text = JSON.stringify(eventShape(PAD, ID_MARK, NOW_MARK));
  const [head, rest] = text.split(JSON.stringify(ID_MARK)) as [string, string];
  const [mid, tail] = rest.split(String(NOW_MARK)) as [string, string];
  return { head: `${head}"`, mid: `"${mid}`, tail };
})();

export function eventIdFor(seq: number): string {
  return `evt_${BENCH_RUN_ID}_${seq}`;
}

/** The body as a string (ASCII only). */
export function bodyText(id: string, now: number): string {
  return `${BODY_PARTS.head}${id}${BODY_PARTS.mid}${now}${BODY_PARTS.tail}`;
}

/** Headers besides the signature and Content-Length, as wh-bench's stripe preset sends them. */
export const STATIC_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['User-Agent', STRIPE_USER_AGENT],
  ['Accept', '*/*; q=0.5, application/xml'],
  ['Cache-Control', 'no-cache'],
  ['Content-Type', 'application/json'],
];
export const SIGNATURE_HEADER = STRIPE_SIGNATURE_HEADER;
export const RUN_HEADER: readonly [string, string] = ['X-WH-Bench-Run', BENCH_RUN_ID];

/**
 * The scenario wh-bench runs: one event, the same body shape (JSON is YAML), stripe preset. Written
 * into `dir`; returns its path.
 */
export function writeBenchScenario(dir: string, targetUrl: string): string {
  const scenario = {
    name: 'bench-stripe-1k',
    target: { url: targetUrl },
    provider: { preset: 'stripe', secret: BENCH_SECRET },
    events: [{ type: EVENT_TYPE, weight: 1, body: eventShape(PAD, '{{event.id}}', '{{now}}') }],
    load: [{ name: 'bench', concurrency: 50, duration: '5s' }],
  };
  const file = join(dir, 'bench-scenario.yaml');
  writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
  return file;
}

/** A static body for wrk (it cannot sign per request): the same shape with a fixed id and time. */
export function staticBody(): string {
  return bodyText(TYPICAL_ID, TYPICAL_NOW);
}
