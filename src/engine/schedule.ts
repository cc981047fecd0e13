/**
 * The open-model arrival schedule, exact to the send: the rate goes linearly from `r0` to `r1`
 * (per second) over the phase, so the number of sends due by time t is
 * N(t) = r0·t + (r1 − r0)·t² / (2D), and send k is due when N(t) = k. No per-second batches.
 */
export interface RateSchedule {
  /** Sends per second at the start and at the end (equal for a constant rate). */
  r0: number;
  r1: number;
  durationMs: number;
}

/** Sends the whole phase asks for: every k with an intended time before the end. */
export function plannedSends(s: RateSchedule): number {
  const total = ((s.r0 + s.r1) / 2) * (s.durationMs / 1000);
  if (!(total > 0)) return 0;
  // Ceil, since send k = N(D) exactly would fall on the end instant; tolerance for float noise.
  return Math.max(0, Math.ceil(total - 1e-9));
}

/** Milliseconds from the phase start at which send k (0-based) is due. */
export function intendedOffsetMs(k: number, s: RateSchedule): number {
  if (k <= 0) return 0;
  const d = s.durationMs / 1000;
  const a = (s.r1 - s.r0) / (2 * d);
  const b = s.r0;
  if (a === 0) return (k / b) * 1000;
  // Root of a·t² + b·t − k = 0, written as 2k / (b + √(b² + 4ak)) so it stays exact as a → 0.
  const disc = b * b + 4 * a * k;
  const t = (2 * k) / (b + Math.sqrt(Math.max(disc, 0)));
  return t * 1000;
}

/** The mean first-attempt rate the schedule asks for, per second. */
export function meanRate(s: RateSchedule): number {
  return (s.r0 + s.r1) / 2;
}
