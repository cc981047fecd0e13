import { UserError } from '../errors.js';

/**
 * Units in scenario files and flags: durations (`500ms`, `30s`, `2m`, `1h`, `1m30s`), rates (`500/s`,
 * `30000/m`), sizes (`512B`, `100KB`, `5MB`, `1GB`; KB = 1024 bytes, like the body limits of the
 * frameworks users compare against), percentages (`0.1%`). A bare number is always an error: `30`
 * could be seconds or milliseconds, and guessing wrong silently is worse than asking.
 */
export type UnitKind = 'duration' | 'rate' | 'size' | 'percentage';

export type UnitResult = { ok: true; value: number } | { ok: false; message: string; hint: string };

const NUM = String.raw`\d+(?:\.\d+)?`;
const DURATION_PART = new RegExp(`(${NUM})\\s*(ms|s|m|h)`, 'gy');
const RATE = new RegExp(`^(${NUM})\\s*/\\s*(s|sec|m|min|h)$`);
const SIZE = new RegExp(`^(${NUM})\\s*(b|kb|kib|mb|mib|gb|gib)$`, 'i');
const PERCENT = new RegExp(`^(${NUM})\\s*%$`);
const BARE = new RegExp(`^-?${NUM}$`);

/** JSON Schema patterns (editors highlight bad units); `${VAR}` strings are let through, expanded later. */
export const UNIT_PATTERNS: Record<UnitKind, string> = {
  duration: String.raw`^(?:(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h))+|.*\$\{.*)$`,
  rate: String.raw`^(?:\d+(?:\.\d+)?\s*/\s*(?:s|sec|m|min|h)|.*\$\{.*)$`,
  size: String.raw`^(?:\d+(?:\.\d+)?\s*(?:[bB]|[kKmMgG][iI]?[bB])|.*\$\{.*)$`,
  percentage: String.raw`^(?:\d+(?:\.\d+)?\s*%|.*\$\{.*)$`,
};

export const UNIT_EXAMPLES: Record<UnitKind, string> = {
  duration: 'ms, s, m or h, e.g. 500ms, 30s, 2m, 1h, 1m30s',
  rate: 'per second or per minute, e.g. 500/s, 30000/m',
  size: 'B, KB, MB or GB (KB = 1024 bytes), e.g. 512B, 100KB, 5MB',
  percentage: 'a number followed by %, e.g. 0.1%',
};

const SUFFIX: Record<UnitKind, string> = { duration: 's', rate: '/s', size: 'B', percentage: '%' };
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PER_SECOND: Record<string, number> = { s: 1, sec: 1, m: 1 / 60, min: 1 / 60, h: 1 / 3600 };
const SIZE_BYTES: Record<string, number> = {
  b: 1,
  kb: 1024,
  kib: 1024,
  mb: 1024 ** 2,
  mib: 1024 ** 2,
  gb: 1024 ** 3,
  gib: 1024 ** 3,
};

const fail = (message: string, hint: string): UnitResult => ({ ok: false, message, hint });

/** The message for a value with no unit at all, such as YAML `duration: 30`. */
export function noUnit(kind: UnitKind, value: number | string, label: string = kind): UnitResult {
  const n = String(value).trim();
  return fail(
    `${label} '${n}' has no unit; write ${n}${SUFFIX[kind]}`,
    `${kind}s take ${UNIT_EXAMPLES[kind]}`,
  );
}

export function parseUnit(kind: UnitKind, input: string, label: string = kind): UnitResult {
  const s = input.trim();
  if (BARE.test(s)) return s.startsWith('-') ? negative(kind, s, label) : noUnit(kind, s, label);
  if (s.startsWith('-')) return negative(kind, s, label);
  const value = PARSERS[kind](s);
  if (value === undefined || !Number.isFinite(value)) {
    return fail(`${label} '${s}' is not a ${kind}`, `${kind}s take ${UNIT_EXAMPLES[kind]}`);
  }
  if (kind === 'percentage' && value > 1)
    return fail(`${label} '${s}' is over 100%`, 'a share of deliveries is 0% to 100%');
  return { ok: true, value };
}

function negative(kind: UnitKind, s: string, label: string): UnitResult {
  return fail(`${label} '${s}' is negative`, `${kind}s are zero or more: ${UNIT_EXAMPLES[kind]}`);
}

const PARSERS: Record<UnitKind, (s: string) => number | undefined> = {
  duration(s) {
    DURATION_PART.lastIndex = 0;
    let total = 0;
    let end = 0;
    for (let m = DURATION_PART.exec(s); m; m = DURATION_PART.exec(s)) {
      total += Number(m[1]) * DURATION_MS[m[2]!]!;
      end = DURATION_PART.lastIndex;
    }
    // Milliseconds are the engine's unit; sub-millisecond parts round.
    return end === s.length && end > 0 ? Math.round(total) : undefined;
  },
  rate(s) {
    const m = RATE.exec(s);
    return m ? Number(m[1]) * PER_SECOND[m[2]!]! : undefined;
  },
  size(s) {
    const m = SIZE.exec(s);
    return m ? Math.round(Number(m[1]) * SIZE_BYTES[m[2]!.toLowerCase()]!) : undefined;
  },
  percentage(s) {
    const m = PERCENT.exec(s);
    return m ? Number(m[1]) / 100 : undefined;
  },
};

function orThrow(r: UnitResult): number {
  if (!r.ok) throw new UserError(r.message, r.hint);
  return r.value;
}

/** Milliseconds; throws a UserError naming `label` (e.g. `--duration`). */
export const parseDuration = (s: string, label = 'duration'): number =>
  orThrow(parseUnit('duration', s, label));
/** Deliveries per second. */
export const parseRate = (s: string, label = 'rate'): number => orThrow(parseUnit('rate', s, label));
/** Bytes (KB = 1024). */
export const parseSize = (s: string, label = 'size'): number => orThrow(parseUnit('size', s, label));
/** A fraction: `0.1%` is 0.001. */
export const parsePercent = (s: string, label = 'percentage'): number =>
  orThrow(parseUnit('percentage', s, label));
