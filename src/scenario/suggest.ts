import { distance } from 'fastest-levenshtein';

/**
 * The candidate the user most likely meant, or undefined. Close edits (`rtae` → `rate`), a different
 * case (`Preset` → `preset`) and a known word with something added (`rate_limit` → `rate`) count.
 */
export function didYouMean(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    let score = distance(lower, cl);
    const limit = Math.max(2, Math.floor(Math.max(lower.length, cl.length) / 3));
    if (score > limit) {
      // `rate_limit` for `rate`, `dur` for `duration`: a whole word kept at either end.
      const affix = cl.length >= 3 && (lower.startsWith(cl) || lower.endsWith(cl) || cl.startsWith(lower));
      if (!affix || lower.length < 3) continue;
      score = limit + 1 + Math.abs(lower.length - cl.length) / 100;
    }
    if (score < bestScore) {
      bestScore = score;
      best = c;
    }
  }
  return best;
}

/** `; did you mean 'x'?` or nothing. */
export function suggestion(input: string, candidates: readonly string[]): string {
  const s = didYouMean(input, candidates);
  return s === undefined ? '' : `; did you mean '${s}'?`;
}
