import { distance } from 'fastest-levenshtein';

/** A literal a template can produce as is: `{{pick usd eur 3}}` chooses among these. */
export type Literal = string | number | boolean | null;

export type TemplateExpr =
  | { fn: 'event.id' | 'event.type' | 'run.id' | 'seq' | 'now' | 'now_iso' | 'uuid' }
  | { fn: 'int'; min: number; max: number }
  | { fn: 'pick'; choices: Literal[] };

/** A parse problem; `offset` is the index in the string where the `{{` of the bad expression starts. */
export interface TemplateIssue {
  offset: number;
  message: string;
  hint?: string;
}

export interface ParsedString {
  /** Static text and expressions in order; empty strings are left out. */
  parts: Array<string | TemplateExpr>;
  /** The whole string is one expression: its value keeps its JSON type (`"{{now}}"` is a number). */
  whole: boolean;
  issues: TemplateIssue[];
}

const NO_ARGS = ['event.id', 'event.type', 'run.id', 'seq', 'now', 'now_iso', 'uuid'] as const;
export const TEMPLATE_FUNCTIONS = [...NO_ARGS, 'int', 'pick'] as const;
const USAGE =
  'template functions: {{event.id}}, {{event.type}}, {{run.id}}, {{seq}}, {{now}}, {{now_iso}}, {{uuid}}, ' +
  '{{int MIN MAX}}, {{pick A B C}}';

const TOKEN = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Splits a string into static text and `{{ ... }}` expressions. Pure; used at compile time only. */
export function parseTemplateString(s: string): ParsedString {
  const parts: ParsedString['parts'] = [];
  const issues: TemplateIssue[] = [];
  let pos = 0;
  let exprs = 0;
  while (pos < s.length) {
    const open = s.indexOf('{{', pos);
    if (open < 0) break;
    const close = s.indexOf('}}', open + 2);
    if (close < 0) {
      issues.push({
        offset: open,
        message: "unclosed '{{' in a template",
        hint: `close it with '}}'; ${USAGE}`,
      });
      break;
    }
    if (open > pos) parts.push(s.slice(pos, open));
    const parsed = parseExpr(s.slice(open + 2, close));
    if ('message' in parsed) issues.push({ offset: open, ...parsed });
    else parts.push(parsed);
    exprs++;
    pos = close + 2;
  }
  if (pos < s.length) parts.push(s.slice(pos));
  const whole = exprs === 1 && parts.length === 1 && typeof parts[0] !== 'string';
  return { parts, whole, issues };
}

/** True when `s` is exactly the expression `{{fn}}` (whitespace inside the braces allowed). */
export function isWholeExpr(s: unknown, fn: TemplateExpr['fn']): boolean {
  if (typeof s !== 'string') return false;
  const p = parseTemplateString(s);
  return p.whole && p.issues.length === 0 && (p.parts[0] as TemplateExpr).fn === fn;
}

function parseExpr(inner: string): TemplateExpr | { message: string; hint?: string } {
  const tokens: Literal[] = [];
  const raw: string[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(inner); m; m = TOKEN.exec(inner)) {
    raw.push(m[0]);
    if (m[1] !== undefined) tokens.push(unquote(m[1]));
    else if (m[2] !== undefined) tokens.push(m[2]);
    else tokens.push(bareLiteral(m[3]!));
  }
  const name = raw[0];
  if (name === undefined) return { message: "empty template '{{}}'", hint: USAGE };
  const args = tokens.slice(1);
  if ((NO_ARGS as readonly string[]).includes(name)) {
    if (args.length > 0) return { message: `{{${name}}} takes no arguments`, hint: USAGE };
    return { fn: name as (typeof NO_ARGS)[number] };
  }
  if (name === 'int') {
    const [a, b] = args;
    if (args.length !== 2 || !isSafeInt(a) || !isSafeInt(b)) {
      return {
        message: `{{int}} takes two whole numbers, got '{{${inner.trim()}}}'`,
        hint: 'write {{int 100 9999}}',
      };
    }
    if (a > b)
      return {
        message: `{{int ${a} ${b}}}: the minimum is above the maximum`,
        hint: `write {{int ${b} ${a}}}`,
      };
    return { fn: 'int', min: a, max: b };
  }
  if (name === 'pick') {
    if (args.length === 0)
      return { message: '{{pick}} needs at least one choice', hint: 'write {{pick usd eur gbp}}' };
    return { fn: 'pick', choices: args };
  }
  const near = closest(name);
  return {
    message: `unknown template function '${name}'${near ? `; did you mean '${near}'?` : ''}`,
    hint: USAGE,
  };
}

/** A double-quoted argument takes JSON escapes; a broken escape is kept as written. */
function unquote(body: string): string {
  try {
    return JSON.parse(`"${body}"`) as string;
  } catch {
    return body;
  }
}

function bareLiteral(t: string): Literal {
  if (NUMBER.test(t)) {
    const n = Number(t);
    if (Number.isFinite(n)) return n;
  }
  if (t === 'true') return true;
  if (t === 'false') return false;
  if (t === 'null') return null;
  return t;
}

const isSafeInt = (v: Literal | undefined): v is number => typeof v === 'number' && Number.isSafeInteger(v);

function closest(name: string): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const f of TEMPLATE_FUNCTIONS) {
    const d = distance(name.toLowerCase(), f);
    if (d < bestD) {
      bestD = d;
      best = f;
    }
  }
  return best;
}
