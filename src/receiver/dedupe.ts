/**
 * Bounded in-memory stores for the reference receiver. A Map keeps insertion order, and every entry
 * lives for the same TTL, so the oldest entry is always the first one: eviction is O(1).
 */

export const DEFAULT_DEDUPE_CAPACITY = 1_000_000;
/** Longer than any provider's retry horizon (Stripe retries for up to 3 days). */
export const DEFAULT_DEDUPE_TTL_MS = 7 * 24 * 3600_000;

/** Idempotency keys seen recently. `claim` is a synchronous check-and-set: atomic on the event loop. */
export class DedupeStore {
  private readonly expiries = new Map<string, number>();
  private claims = 0;

  constructor(
    readonly capacity = DEFAULT_DEDUPE_CAPACITY,
    readonly ttlMs = DEFAULT_DEDUPE_TTL_MS,
  ) {
    if (capacity < 1) throw new Error('dedupe capacity must be at least 1');
  }

  get size(): number {
    return this.expiries.size;
  }

  /** True the first time a key is seen within the TTL, false for a duplicate. */
  claim(key: string, nowMs: number): boolean {
    const expiry = this.expiries.get(key);
    if (expiry !== undefined) {
      if (expiry > nowMs) return false;
      // Expired: re-insert at the end so insertion order stays expiry order.
      this.expiries.delete(key);
    }
    this.expiries.set(key, nowMs + this.ttlMs);
    if (this.expiries.size > this.capacity) this.dropOldest();
    // Sweep expired entries now and then, not on every claim: keeps the hot path flat.
    if ((++this.claims & 1023) === 0) this.sweep(nowMs);
    return true;
  }

  private dropOldest(): void {
    for (const key of this.expiries.keys()) {
      this.expiries.delete(key);
      return;
    }
  }

  private sweep(nowMs: number): void {
    for (const [key, expiry] of this.expiries) {
      if (expiry > nowMs) return;
      this.expiries.delete(key);
    }
  }
}

/** Side effects per event id, capped like the dedupe store (oldest ids forgotten first). */
export class EffectCounter {
  private readonly counts = new Map<string, number>();

  constructor(readonly capacity = DEFAULT_DEDUPE_CAPACITY) {}

  increment(id: string): void {
    const n = this.counts.get(id);
    if (n !== undefined) {
      this.counts.set(id, n + 1);
      return;
    }
    this.counts.set(id, 1);
    if (this.counts.size > this.capacity) {
      for (const key of this.counts.keys()) {
        this.counts.delete(key);
        break;
      }
    }
  }

  get(id: string): number {
    return this.counts.get(id) ?? 0;
  }
}
