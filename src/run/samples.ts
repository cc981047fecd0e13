import type { DeliveryResult } from '../engine/delivery.js';

/**
 * Keeps a bounded set of load results worth showing as evidence: the first failures and the slowest
 * successes. Memory stays flat however long the run: at most `size` of each.
 */
export class SampleKeeper {
  private readonly failures: DeliveryResult[] = [];
  private readonly slowest: DeliveryResult[] = [];
  private slowFloorUs = 0;

  constructor(private readonly size: number) {}

  offer(r: DeliveryResult): void {
    const failed = r.errorClass !== undefined || r.status === undefined || r.status < 200 || r.status >= 300;
    if (failed) {
      if (this.failures.length < this.size) this.failures.push(r);
      return;
    }
    if (this.slowest.length < this.size) {
      this.slowest.push(r);
      if (this.slowest.length === this.size) this.resort();
    } else if (r.correctedUs > this.slowFloorUs) {
      this.slowest[this.slowest.length - 1] = r;
      this.resort();
    }
  }

  private resort(): void {
    this.slowest.sort((a, b) => b.correctedUs - a.correctedUs);
    this.slowFloorUs = this.slowest[this.slowest.length - 1]!.correctedUs;
  }

  list(): DeliveryResult[] {
    return [...this.failures, ...this.slowest];
  }
}
