import type { Delivery } from '../../src/engine/delivery.js';
import type { Header } from '../../src/signing/types.js';

/** A `makeDelivery` for engine tests: load deliveries to `url`, one event id per sequence number. */
export function loadDeliveries(
  url: string,
  opts: { headers?: Header[]; body?: Uint8Array } = {},
): (seq: number, intendedAt: number) => Delivery {
  const headers = opts.headers ?? [];
  const body = opts.body ?? new Uint8Array(0);
  return (seq, intendedAt) => ({
    method: 'POST',
    url,
    headers,
    body,
    class: 'load',
    eventId: `evt_${seq}`,
    attempt: 1,
    intendedAt,
  });
}
