import type { PreparedDelivery, ValidOptions } from '../checks/types.js';
import type { Delivery } from '../engine/delivery.js';
import { eventId } from '../events/ids.js';
import type { EventSpec, Scenario } from '../scenario/types.js';
import { createSigner } from '../signing/index.js';
import { mulberry32 } from '../signing/rng.js';
import type { Header, Signer } from '../signing/types.js';

export const RUN_HEADER = 'X-WH-Bench-Run';

/** Picks events by weight with one random draw and a binary search over cumulative weights. */
export function weightedPicker(events: readonly EventSpec[], random: () => number): () => EventSpec {
  const cumulative: number[] = [];
  let total = 0;
  for (const e of events) {
    total += e.weight;
    cumulative.push(total);
  }
  return () => {
    const x = random() * total;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (x < cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return events[lo]!;
  };
}

export interface DeliveryFactory {
  /** The load hot path: a fresh event, rendered, signed now. */
  next(cls: string, intendedAt: number): Delivery;
  /** A validly signed delivery with options, for the preflight and conformance checks. */
  valid(opts: ValidOptions): PreparedDelivery;
  /** Sign a body as this run would, with another set of secrets (rotation, wrong secret). */
  signWith(
    secrets: readonly string[],
    body: Uint8Array,
    id: string,
    eventType: string,
    timestamp: number,
  ): Header[];
  /** Headers every delivery carries besides the provider's: target headers and the run id. */
  readonly extraHeaders: Header[];
  readonly signer: Signer;
  sequence(): number;
}

export function createDeliveryFactory(o: {
  scenario: Scenario;
  runId: string;
  targetUrl: string;
  seed: number;
}): DeliveryFactory {
  const { scenario, runId, targetUrl } = o;
  const provider = scenario.provider;
  const schemeOptions = { ...provider.schemeOptions, generic: provider.generic };
  const signer = createSigner(provider.scheme, [provider.secret], schemeOptions);
  const extraHeaders: Header[] = [...scenario.target.headers, [RUN_HEADER, runId]];
  const random = mulberry32(o.seed);
  const pick = weightedPicker(scenario.events, random);
  const byType = new Map(scenario.events.map((e) => [e.type, e]));
  let seq = 0;

  const build = (
    spec: EventSpec,
    type: string,
    cls: string,
    intendedAt: number,
    opts: Partial<ValidOptions> = {},
  ): PreparedDelivery => {
    const n = ++seq;
    const id = opts.eventId ?? eventId(provider.idPrefix, runId, n);
    const now = Math.floor(Date.now() / 1000);
    const timestamp = opts.timestamp ?? now;
    const body =
      opts.body ?? spec.template.render({ eventId: id, eventType: type, seq: n, runId, now, random });
    const headers = signer.sign({ body, timestamp, id, eventType: type, url: targetUrl });
    for (const h of extraHeaders) headers.push(h);
    return {
      delivery: {
        method: 'POST',
        url: targetUrl,
        headers,
        body,
        class: cls,
        eventId: id,
        attempt: opts.attempt ?? 1,
        intendedAt,
      },
      eventType: type,
      timestamp,
    };
  };

  return {
    next(cls, intendedAt) {
      const spec = pick();
      return build(spec, spec.type, cls, intendedAt).delivery;
    },
    valid(opts) {
      const spec = opts.eventType ? (byType.get(opts.eventType) ?? scenario.events[0]!) : pick();
      return build(spec, opts.eventType ?? spec.type, opts.class, performance.now(), opts);
    },
    signWith(secrets, body, id, eventType, timestamp) {
      const other = createSigner(provider.scheme, secrets, schemeOptions);
      const headers = other.sign({ body, timestamp, id, eventType, url: targetUrl });
      for (const h of extraHeaders) headers.push(h);
      return headers;
    },
    extraHeaders,
    signer,
    sequence: () => seq,
  };
}
