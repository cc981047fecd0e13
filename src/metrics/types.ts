import type { ErrorClass } from '../engine/delivery.js';

/** Latency percentiles in milliseconds (floats). */
export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** Completed deliveries and corrected latency of one delivery class within a phase. */
export interface ClassLatency {
  completed: number;
  corrected: Percentiles;
}

/** One load phase in report.json `phases` (contract, DESIGN.md "Result JSON"). */
export interface PhaseResult {
  name: string;
  model: 'open' | 'closed';
  /** How long the phase scheduled sends (shorter than planned when stopped early). */
  durationMs: number;
  /** First attempts per second the schedule asked for (mean over a ramp); null for a closed model. */
  intendedRate: number | null;
  /** First-attempt sends actually made per second over durationMs. */
  achievedRate: number;
  sent: number;
  /** Deliveries that ended (any answer, error or timeout). */
  completed: number;
  /** Open model: sends skipped because too many were in flight (the schedule still advanced). */
  dropped: number;
  statusCounts: Record<string, number>;
  errorCounts: Record<ErrorClass, number>;
  latency: { corrected: Percentiles; uncorrected: Percentiles };
  /** encodeIntoCompressedBase64 of the µs histograms, so shards merge exactly. */
  histograms: { corrected: string; uncorrected: string };
  /** Added: first attempts among `sent` (retries excluded). */
  firstAttempts: number;
  /** Added: how late sends left against their intended instant (open model pacing quality), ms. */
  sendLag: Percentiles;
  /** Added: per delivery class (usually just `load`). */
  classes: Record<string, ClassLatency>;
  /** Added: retries of this phase's failed deliveries, on the preset's schedule (never in achievedRate). */
  retries?: RetryCounts;
  /** Added: share of completed first attempts answered 2xx; null when none completed. */
  firstAttemptSuccessRate?: number | null;
  /** Added: share of completed first attempts whose event got a 2xx at last (first try or a retry). */
  eventualSuccessRate?: number | null;
}

/** Load retries of one phase: sends made, and what became of the events that failed first. */
export interface RetryCounts {
  /** Retry sends made (an event retried three times counts three). */
  attempted: number;
  /** Events that failed first and got a 2xx on a retry. */
  recovered: number;
  /** Events still failing after the last retry of the schedule. */
  exhausted: number;
  /** Events whose next retry fell after the run ended (beyond the drain window, or interrupted). */
  notRetried: number;
}

/** One second of the run in report.json `timeseries` (contract). */
export interface TimeseriesPoint {
  /** Whole seconds since run start. */
  t: number;
  phase: string;
  /** Sends made in this second. */
  sent: number;
  /** Deliveries that ended in this second. */
  completed: number;
  /** Of those, the ones with an error class or a non-2xx answer. */
  errors: number;
  /** Encoded µs histogram of the corrected latency of `completed`. */
  histogram: string;
  /** ms, derived from the histogram. */
  p50: number;
  p99: number;
}
