/**
 * The JSON path a probe reads its count from: `count`, `$.count`, `data.effects`, `$.items[0].n`,
 * `$` (the whole answer). The scenario schema accepts exactly these shapes; this walks them.
 */

export type PathStep = string | number;

/** The steps of a path; null when it is not one of the accepted shapes. */
export function parseJsonPath(path: string): PathStep[] | null {
  let rest = path.trim();
  if (rest.startsWith('$')) rest = rest.slice(1);
  const steps: PathStep[] = [];
  const token = /^(?:\.?([A-Za-z_][\w-]*)|\[(\d+)\]|\.)/;
  while (rest.length > 0) {
    const m = token.exec(rest);
    if (!m || m[0].length === 0) return null;
    if (m[1] !== undefined) steps.push(m[1]);
    else if (m[2] !== undefined) steps.push(Number(m[2]));
    rest = rest.slice(m[0].length);
  }
  return steps;
}

export type PathLookup = { found: true; value: unknown } | { found: false };

export function lookup(value: unknown, steps: readonly PathStep[]): PathLookup {
  let v = value;
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(v) || step >= v.length) return { found: false };
      v = v[step];
    } else {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, step))
        return { found: false };
      v = (v as Record<string, unknown>)[step];
    }
  }
  return { found: true, value: v };
}

/** A side-effect count: a non-negative integer, as a number or as digits in a string. */
export function asCount(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v)) return Number(v);
  return null;
}
