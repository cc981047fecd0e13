import type { Delivery, DeliveryResult } from '../engine/delivery.js';
import type { SignInput } from '../signing/types.js';

/** Redirect answers kept as evidence; the rest are only counted. */
const MAX_REDIRECTS = 5;
/** Rejections kept for response.no-leak (their bodies are capped by the dispatcher). */
const MAX_REJECTIONS = 200;
/** A rejected request larger than this (payload-size steps) is counted, not kept. */
const MAX_KEPT_REQUEST_BYTES = 1024 * 1024;

/**
 * The conformance answers of one run, in the order they came. Created by the runner, filled by
 * `ctx.send`, read by the checks that judge the answers of the others (delivery.no-redirect,
 * response.no-leak). Memory stays bounded: only redirects and small rejections are kept whole.
 */
export class ConformanceLog {
  private readonly counts = new Map<string, number>();
  private readonly kept3xx: DeliveryResult[] = [];
  private readonly kept4xx: DeliveryResult[] = [];
  private readonly expected = new WeakMap<Delivery, SignInput>();
  private total = 0;
  private redirectTotal = 0;

  record(r: DeliveryResult): void {
    this.total++;
    const key = r.status !== undefined ? String(r.status) : (r.errorClass ?? 'other');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    const s = r.status ?? 0;
    if (s >= 300 && s < 400) {
      this.redirectTotal++;
      if (this.kept3xx.length < MAX_REDIRECTS) this.kept3xx.push(r);
    } else if (s >= 400 && s < 500 && this.kept4xx.length < MAX_REJECTIONS) {
      if (r.delivery.body.length <= MAX_KEPT_REQUEST_BYTES) this.kept4xx.push(r);
    }
  }

  /**
   * What a correct signature over this (bad) delivery would be computed from: a receiver that echoes
   * the signature it expected leaks this one (response.no-leak).
   */
  expect(d: Delivery, input: SignInput): void {
    this.expected.set(d, input);
  }

  expectedFor(d: Delivery): SignInput | undefined {
    return this.expected.get(d);
  }

  /** Conformance deliveries answered so far. */
  size(): number {
    return this.total;
  }

  /** Answers by status code (or error class), like a load phase's statusCounts. */
  statusCounts(): Record<string, number> {
    return Object.fromEntries(this.counts);
  }

  redirectCount(): number {
    return this.redirectTotal;
  }

  /** Some 3xx answers, for evidence. */
  redirects(): readonly DeliveryResult[] {
    return this.kept3xx;
  }

  /** The 4xx answers kept (small requests), for response.no-leak. */
  rejections(): readonly DeliveryResult[] {
    return this.kept4xx;
  }
}
