import type { Delivery, DeliveryResult, ErrorClass } from '../engine/delivery.js';
import {
  createRecordingHistogram,
  encodeHistogram,
  type Histogram,
  percentilesOf,
  recordUs,
  release,
} from './histogram.js';
import { SecondSeries } from './timeseries.js';
import type { ClassLatency, PhaseResult, TimeseriesPoint } from './types.js';

export const ERROR_CLASSES: readonly ErrorClass[] = [
  'timeout',
  'refused',
  'reset',
  'tls',
  'dns',
  'protocol',
  'other',
];
const ERROR_INDEX: Record<ErrorClass, number> = {
  timeout: 0,
  refused: 1,
  reset: 2,
  tls: 3,
  dns: 4,
  protocol: 5,
  other: 6,
};

export interface PhaseRecorderOptions {
  name: string;
  model: 'open' | 'closed';
  /** Run start on the monotonic clock; timeseries seconds count from it. */
  runStartMs: number;
  /** Open model: the schedule's mean first attempts per second; null for closed. */
  intendedRate: number | null;
  /** Phase start on the monotonic clock (default: now). */
  startMs?: number;
}

export interface RecorderSnapshot {
  sent: number;
  completed: number;
  errors: number;
  dropped: number;
  /** p99 of the last finished second, ms. */
  p99Ms?: number;
  /** Sends in the last finished second. */
  ratePerSec?: number;
}

export interface PhaseOutcome {
  result: PhaseResult;
  timeseries: TimeseriesPoint[];
}

interface ClassEntry {
  name: string;
  hist: Histogram;
  completed: number;
}

/** True when a result counts as a failure: an error class, or an answer other than 2xx. */
export function isFailure(r: DeliveryResult): boolean {
  if (r.aborted) return false;
  if (r.errorClass !== undefined) return true;
  const s = r.status ?? 0;
  return s < 200 || s > 299;
}

/**
 * Everything measured in one phase, with flat memory: fixed-size histograms and counters, and one
 * encoded histogram per second. Recording allocates nothing.
 */
export class PhaseRecorder {
  sent = 0;
  firstAttempts = 0;
  completed = 0;
  dropped = 0;
  errors = 0;
  aborted = 0;
  private readonly corrected = createRecordingHistogram();
  private readonly uncorrected = createRecordingHistogram();
  private readonly lag = createRecordingHistogram();
  private readonly classes = new Map<string, ClassEntry>();
  private lastClass: ClassEntry | undefined;
  // Indexed by status code; codes are three digits by the HTTP grammar.
  private readonly statusCounts = new Float64Array(1000);
  private readonly errorCounts = new Float64Array(ERROR_CLASSES.length);
  private readonly series: SecondSeries;
  private finished: PhaseOutcome | undefined;

  constructor(private readonly opts: PhaseRecorderOptions) {
    this.series = new SecondSeries(opts.name, opts.runStartMs);
    this.series.start(opts.startMs ?? performance.now());
  }

  /** A delivery left at `at` (monotonic ms). */
  recordSent(d: Delivery, at: number): void {
    if (this.finished) return;
    this.sent++;
    if (d.attempt <= 1) this.firstAttempts++;
    recordUs(this.lag, Math.round((at - d.intendedAt) * 1000));
    this.series.addSent(at);
  }

  /** An open-model send skipped because the backlog was full. */
  recordDropped(): void {
    this.dropped++;
  }

  record(r: DeliveryResult): void {
    // A straggler after finish() (histograms already freed) is not part of the phase.
    if (this.finished) return;
    this.completed++;
    const failed = isFailure(r);
    if (failed) this.errors++;
    if (r.aborted) this.aborted++;
    else if (r.errorClass !== undefined) this.errorCounts[ERROR_INDEX[r.errorClass]]!++;
    else if (r.status !== undefined) this.statusCounts[r.status >= 0 && r.status < 1000 ? r.status : 0]!++;
    recordUs(this.corrected, r.correctedUs);
    recordUs(this.uncorrected, r.uncorrectedUs);
    let cls = this.lastClass;
    if (cls === undefined || cls.name !== r.delivery.class) {
      cls = this.classes.get(r.delivery.class);
      if (cls === undefined) {
        cls = { name: r.delivery.class, hist: createRecordingHistogram(), completed: 0 };
        this.classes.set(cls.name, cls);
      }
      this.lastClass = cls;
    }
    cls.completed++;
    recordUs(cls.hist, r.correctedUs);
    this.series.addCompleted(r.endedAt, r.correctedUs, failed);
  }

  snapshot(): RecorderSnapshot {
    const last = this.series.last();
    const snap: RecorderSnapshot = {
      sent: this.sent,
      completed: this.completed,
      errors: this.errors,
      dropped: this.dropped,
    };
    if (last) {
      snap.p99Ms = last.p99;
      snap.ratePerSec = last.sent;
    }
    return snap;
  }

  /**
   * The phase result and its seconds. Frees the histograms (WebAssembly memory): the recorder
   * records nothing afterwards, and a second call returns the same outcome.
   */
  finish(durationMs: number, endMs: number = performance.now(), intendedRate?: number | null): PhaseOutcome {
    if (this.finished) return this.finished;
    const statusCounts: Record<string, number> = {};
    for (let s = 0; s < this.statusCounts.length; s++) {
      const n = this.statusCounts[s]!;
      if (n > 0) statusCounts[String(s)] = n;
    }
    const errorCounts = {} as Record<ErrorClass, number>;
    for (const c of ERROR_CLASSES) errorCounts[c] = this.errorCounts[ERROR_INDEX[c]]!;
    const classes: Record<string, ClassLatency> = {};
    for (const c of this.classes.values()) {
      classes[c.name] = { completed: c.completed, corrected: percentilesOf(c.hist) };
      release(c.hist);
    }
    const seconds = durationMs / 1000;
    const result: PhaseResult = {
      name: this.opts.name,
      model: this.opts.model,
      durationMs,
      intendedRate: intendedRate === undefined ? this.opts.intendedRate : intendedRate,
      achievedRate: seconds > 0 ? this.firstAttempts / seconds : 0,
      sent: this.sent,
      completed: this.completed,
      dropped: this.dropped,
      statusCounts,
      errorCounts,
      latency: { corrected: percentilesOf(this.corrected), uncorrected: percentilesOf(this.uncorrected) },
      histograms: {
        corrected: encodeHistogram(this.corrected),
        uncorrected: encodeHistogram(this.uncorrected),
      },
      firstAttempts: this.firstAttempts,
      sendLag: percentilesOf(this.lag),
      classes,
    };
    release(this.corrected);
    release(this.uncorrected);
    release(this.lag);
    this.finished = { result, timeseries: this.series.finish(endMs) };
    return this.finished;
  }
}
