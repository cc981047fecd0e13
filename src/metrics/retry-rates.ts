import type { PhaseResult, RetryCounts } from './types.js';

/** The phase's first-attempt and eventual success rates, with its retry counts. */
export function withRetries(p: PhaseResult, c: RetryCounts): PhaseResult {
  let ok = 0;
  for (const [code, n] of Object.entries(p.statusCounts)) if (code.startsWith('2')) ok += n;
  const completed = p.completed;
  p.retries = c;
  p.firstAttemptSuccessRate = completed > 0 ? ok / completed : null;
  p.eventualSuccessRate = completed > 0 ? Math.min(1, (ok + c.recovered) / completed) : null;
  return p;
}
