import {
  createRecordingHistogram,
  emptyHistogramEncoded,
  encodeHistogram,
  type Histogram,
  percentilesOf,
  recordUs,
  release,
} from './histogram.js';
import type { TimeseriesPoint } from './types.js';

/**
 * Per-second buckets of one phase. Only the current second is live (one histogram, reset at each
 * roll-over); finished seconds are kept encoded, so memory grows with seconds, never with requests.
 * Sends count in the second they left, completions in the second they ended.
 */
export class SecondSeries {
  private readonly points: TimeseriesPoint[] = [];
  private readonly hist: Histogram = createRecordingHistogram();
  private cur = -1;
  private sent = 0;
  private completed = 0;
  private errors = 0;
  private closed = false;

  constructor(
    private readonly phase: string,
    /** The run's start on the monotonic clock (performance.now(), ms). */
    private readonly runStartMs: number,
  ) {}

  /** Opens the bucket holding `at`, so a phase that sends nothing still has its seconds. */
  start(at: number): void {
    this.advance(at);
  }

  addSent(at: number): void {
    this.advance(at);
    this.sent++;
  }

  addCompleted(at: number, correctedUs: number, isError: boolean): void {
    this.advance(at);
    this.completed++;
    if (isError) this.errors++;
    recordUs(this.hist, correctedUs);
  }

  /** The last finished second, for progress lines. */
  last(): TimeseriesPoint | undefined {
    return this.points[this.points.length - 1];
  }

  /** Flushes the current second and frees the live histogram; the series is closed afterwards. */
  finish(at: number): TimeseriesPoint[] {
    if (!this.closed) {
      this.advance(at);
      if (this.cur >= 0) this.flush();
      release(this.hist);
      this.closed = true;
    }
    return this.points;
  }

  private advance(at: number): void {
    const sec = Math.floor((at - this.runStartMs) / 1000);
    // A result stamped a little before the current second (deferred callbacks) joins the current one.
    if (sec <= this.cur) return;
    if (this.cur >= 0) {
      this.flush();
      for (let s = this.cur + 1; s < sec; s++) this.points.push(this.emptyPoint(s));
    }
    this.cur = sec;
  }

  private flush(): void {
    const p = percentilesOf(this.hist);
    this.points.push({
      t: this.cur,
      phase: this.phase,
      sent: this.sent,
      completed: this.completed,
      errors: this.errors,
      histogram: this.completed === 0 ? emptyHistogramEncoded() : encodeHistogram(this.hist),
      p50: p.p50,
      p99: p.p99,
    });
    this.hist.reset();
    this.sent = 0;
    this.completed = 0;
    this.errors = 0;
  }

  private emptyPoint(t: number): TimeseriesPoint {
    return {
      t,
      phase: this.phase,
      sent: 0,
      completed: 0,
      errors: 0,
      histogram: emptyHistogramEncoded(),
      p50: 0,
      p99: 0,
    };
  }
}
