/** One thing wrong with a scenario, where it is, and what to do about it. */
export interface Problem {
  /** The file as the user named it (relative to the working directory when inside it). */
  file: string;
  /** 1-based. */
  line: number;
  col: number;
  message: string;
  hint?: string;
}

/** `file:line:col: message`, the shape editors and CI annotate, with the hint on the next line. */
export function formatProblem(p: Problem): string {
  const head = `${p.file}:${p.line}:${p.col}: ${p.message}`;
  return p.hint ? `${head}\n  hint: ${p.hint}` : head;
}

/** Sorted by file, then position; duplicates (same place, same message) dropped. */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of problems) {
    const key = `${p.file}\0${p.line}\0${p.col}\0${p.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out.sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
  );
}

/** A scenario that cannot be used: every problem found, in one pass. A user error, not a bug. */
export class ScenarioError extends Error {
  readonly hint: string;

  constructor(
    readonly problems: Problem[],
    readonly file: string,
  ) {
    const n = problems.length;
    super(`${file}: ${n} problem${n === 1 ? '' : 's'}\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ScenarioError';
    this.hint = `run 'wh-bench validate ${file}' after fixing them`;
  }

  /** Every problem, one per line (with hints), for stderr. */
  format(): string {
    return this.problems.map(formatProblem).join('\n');
  }
}
