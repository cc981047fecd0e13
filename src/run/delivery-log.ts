import { createWriteStream, type WriteStream } from 'node:fs';
import type { DeliveryResult } from '../engine/delivery.js';

/**
 * `--log FILE`: one JSON line per delivery. Every conformance delivery is logged; load deliveries are
 * sampled (every Nth, deterministic) so a long run does not write gigabytes.
 */
export class DeliveryLog {
  private readonly out: WriteStream;
  private loadSeen = 0;
  private readonly every: number;

  constructor(path: string, loadSample: number) {
    this.out = createWriteStream(path, { flags: 'w' });
    this.every = loadSample <= 0 ? Number.POSITIVE_INFINITY : Math.max(1, Math.round(1 / loadSample));
  }

  write(r: DeliveryResult): void {
    const d = r.delivery;
    if (d.class === 'load' && this.loadSeen++ % this.every !== 0) return;
    this.out.write(
      `${JSON.stringify({
        eventId: d.eventId,
        class: d.class,
        attempt: d.attempt,
        status: r.status ?? null,
        latencyMs: Math.round(r.correctedUs) / 1000,
        uncorrectedMs: Math.round(r.uncorrectedUs) / 1000,
        errorClass: r.errorClass ?? null,
        aborted: r.aborted ?? false,
      })}\n`,
    );
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve()));
    });
  }
}
