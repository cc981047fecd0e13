import type { z } from 'zod';
import { pathLabel, type ValuePath } from './env.js';
import { HINT_MARK } from './schema.js';
import { suggestion } from './suggest.js';

/** A problem before it has a file position: a path into the document, and what to say. */
export interface PathProblem {
  path: ValuePath;
  /** Point at the key at `path` rather than its value (unknown keys). */
  atKey?: boolean;
  /** Index inside the string value (a bad `${` or `{{`). */
  offset?: number;
  message: string;
  hint?: string;
}

type Issue = z.core.$ZodIssue;

/** Turns zod issues into problems with our wording: did-you-mean for keys, no echo of values. */
export function problemsFromIssues(
  issues: readonly Issue[],
  schema: z.ZodType,
  base: ValuePath = [],
): PathProblem[] {
  // An object with unknown keys (a misspelt `rate`) also fails its cross-field rules ("needs a rate"):
  // the unknown key is the cause, so the object's own custom complaints are left out.
  const withUnknown = new Set(
    issues.filter((i) => i.code === 'unrecognized_keys').map((i) => pathLabel(i.path as ValuePath)),
  );
  const out: PathProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'custom' && withUnknown.has(pathLabel(issue.path as ValuePath))) continue;
    const path = [...base, ...(issue.path as ValuePath)];
    out.push(...fromIssue(issue, path, schema, base));
  }
  return out;
}

function fromIssue(issue: Issue, path: ValuePath, schema: z.ZodType, base: ValuePath): PathProblem[] {
  const label = pathLabel(path);
  const marked = issue.message.indexOf(HINT_MARK);
  if (marked >= 0 && issue.code !== 'unrecognized_keys') {
    const hint = issue.message.slice(marked + 1);
    // Missing required value: the custom error function declined (returned undefined) only for it.
    return [{ path, message: withLabel(label, issue.message.slice(0, marked)), ...(hint ? { hint } : {}) }];
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, path.slice(base.length));
      const isChecks = path.length === 1 && path[0] === 'checks';
      return issue.keys.map((k) => ({
        path: [...path, k],
        atKey: true,
        message: `unknown ${isChecks ? 'check id' : 'key'} '${k}'${suggestion(k, allowed)}`,
        hint: isChecks
          ? "'wh-bench checks' lists the check ids"
          : allowed.length > 0
            ? `${label === 'the scenario' ? 'a scenario' : label} takes ${allowed.join(', ')}`
            : undefined,
      }));
    }
    case 'invalid_type': {
      if (issue.input === undefined) {
        const key = path[path.length - 1];
        return [{ path, message: `missing required key '${String(key)}'${parentOf(path)}` }];
      }
      return [{ path, message: `${label} must be ${article(issue.expected)}, not ${describe(issue.input)}` }];
    }
    case 'invalid_value':
      if (issue.input === undefined) {
        return [
          { path, message: `missing required key '${String(path[path.length - 1])}'${parentOf(path)}` },
        ];
      }
      return [
        {
          path,
          message: `${label} must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`,
        },
      ];
    case 'too_small':
      return [{ path, message: `${label} ${sizeWords(issue, 'small')}` }];
    case 'too_big':
      return [{ path, message: `${label} ${sizeWords(issue, 'big')}` }];
    case 'invalid_format':
      return [{ path, message: `${label} has the wrong format` }];
    case 'invalid_key': {
      const key = String(path[path.length - 1]);
      const what = path[path.length - 2] === 'headers' ? 'header name' : 'key';
      return [{ path, atKey: true, message: `'${key}' is not a valid ${what}` }];
    }
    case 'invalid_union':
      return [{ path, message: `${label} has the wrong shape` }];
    default:
      return [{ path, message: `${label}: ${issue.message}` }];
  }
}

/** Marked messages are whole sentences, except predicates (`is not an IP address`) that need a subject. */
function withLabel(label: string, message: string): string {
  return /^(is|must|needs|has) /.test(message) ? `${label} ${message}` : message;
}

const parentOf = (path: ValuePath): string => (path.length > 1 ? ` in ${pathLabel(path.slice(0, -1))}` : '');

function article(expected: string): string {
  const words: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    object: 'a mapping',
    array: 'a list',
    record: 'a mapping',
    null: 'null',
  };
  return words[expected] ?? expected;
}

/** Names the kind of value without echoing it: it may be a secret in the wrong place. */
function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return 'a number';
  return `a ${typeof v}`;
}

function sizeWords(issue: Issue & { code: 'too_small' | 'too_big' }, dir: 'small' | 'big'): string {
  const limit =
    dir === 'small'
      ? (issue as { minimum: number | bigint }).minimum
      : (issue as { maximum: number | bigint }).maximum;
  const inclusive = issue.inclusive !== false;
  switch (issue.origin) {
    case 'array':
      return dir === 'small'
        ? `needs at least ${limit} entr${limit === 1 ? 'y' : 'ies'}`
        : `takes at most ${limit} entries`;
    case 'string':
      return dir === 'small'
        ? limit === 1
          ? 'must not be empty'
          : `needs at least ${limit} characters`
        : `takes at most ${limit} characters`;
    default:
      if (dir === 'small') return inclusive ? `must be at least ${limit}` : `must be more than ${limit}`;
      return inclusive ? `must be at most ${limit}` : `must be less than ${limit}`;
  }
}

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (let i = 0; i < 20; i++) {
    const d = defOf(cur);
    if (d.innerType) cur = d.innerType;
    else if (d.type === 'pipe' && d.in) cur = d.in;
    else break;
  }
  return cur;
}

/** The keys the schema allows at a path (for did-you-mean on unknown keys). */
export function keysAt(schema: z.ZodType, path: ValuePath): string[] {
  let cur: z.ZodType | undefined = unwrap(schema);
  for (const seg of path) {
    if (!cur) return [];
    const d = defOf(cur);
    if (d.type === 'object' && d.shape) cur = d.shape[String(seg)];
    else if (d.type === 'array' && d.element) cur = d.element;
    else if (d.type === 'record' && d.valueType) cur = d.valueType;
    else return [];
    if (cur) cur = unwrap(cur);
  }
  if (!cur) return [];
  const d = defOf(cur);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : [];
}
