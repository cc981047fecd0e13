/**
 * Bodies that mean the same JSON as a rendered event but are written differently: a receiver that
 * verifies what it re-serialised instead of the bytes it received rejects them (signature.raw-body).
 * Everything here is lossless: numbers and strings keep their exact source text unless a variant
 * rewrites them on purpose, so the event id and every value survive.
 */

type Node =
  | { t: 'obj'; entries: Array<[key: string, value: Node]> }
  | { t: 'arr'; items: Node[] }
  /** A string, number, true, false or null, exactly as written (strings with their quotes). */
  | { t: 'lit'; raw: string };

class JsonSyntaxError extends Error {}

/** Parses JSON text into a tree that keeps every literal's source text; null when it is not JSON. */
export function parseLossless(text: string): Node | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new JsonSyntaxError(`bad JSON at ${i}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return text.slice(start, i);
  };
  const value = (depth: number): Node => {
    if (depth > 2_000) fail();
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: Array<[string, Node]> = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { t: 'obj', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        const key = str();
        ws();
        if (text[i] !== ':') fail();
        i++;
        entries.push([key, value(depth + 1)]);
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { t: 'obj', entries };
        }
        fail();
      }
    }
    if (c === '[') {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { t: 'arr', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { t: 'arr', items };
        }
        fail();
      }
    }
    if (c === '"') return { t: 'lit', raw: str() };
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail();
    i += m![0].length;
    return { t: 'lit', raw: m![0] };
  };
  try {
    const root = value(0);
    ws();
    if (i !== text.length) fail();
    // Validate what we accepted against the real parser (escapes inside strings, for instance).
    JSON.parse(text);
    return root;
  } catch (e) {
    if (e instanceof JsonSyntaxError || e instanceof SyntaxError) return null;
    throw e;
  }
}

export interface Layout {
  indent?: string;
  /** Between a key and its colon, and after the colon. */
  beforeColon?: string;
  afterColon?: string;
  newline?: string;
}

export function serialise(n: Node, layout: Layout = {}, depth = 0): string {
  const { indent = '', beforeColon = '', afterColon = '', newline = indent ? '\n' : '' } = layout;
  const pad = (d: number) => (indent ? newline + indent.repeat(d) : '');
  if (n.t === 'lit') return n.raw;
  if (n.t === 'arr') {
    if (n.items.length === 0) return '[]';
    return `[${n.items.map((x) => pad(depth + 1) + serialise(x, layout, depth + 1)).join(',')}${pad(depth)}]`;
  }
  if (n.entries.length === 0) return '{}';
  const parts = n.entries.map(
    ([k, v]) => `${pad(depth + 1)}${k}${beforeColon}:${afterColon}${serialise(v, layout, depth + 1)}`,
  );
  return `{${parts.join(',')}${pad(depth)}}`;
}

/** Applies `f` to every string literal (keys included when `keys`), returning a new tree. */
function mapStrings(n: Node, f: (raw: string) => string, keys = false): Node {
  if (n.t === 'lit') return n.raw.startsWith('"') ? { t: 'lit', raw: f(n.raw) } : n;
  if (n.t === 'arr') return { t: 'arr', items: n.items.map((x) => mapStrings(x, f, keys)) };
  return { t: 'obj', entries: n.entries.map(([k, v]) => [keys ? f(k) : k, mapStrings(v, f, keys)]) };
}

function reverseKeys(n: Node): Node {
  if (n.t === 'lit') return n;
  if (n.t === 'arr') return { t: 'arr', items: n.items.map(reverseKeys) };
  return { t: 'obj', entries: n.entries.map(([k, v]): [string, Node] => [k, reverseKeys(v)]).reverse() };
}

/** Rewrites a string literal char by char, leaving existing escape sequences alone. */
function rewriteLiteral(raw: string, f: (ch: string) => string): string {
  let out = '"';
  const inner = raw.slice(1, -1);
  for (let i = 0; i < inner.length; ) {
    if (inner[i] === '\\') {
      const len = inner[i + 1] === 'u' ? 6 : 2;
      out += inner.slice(i, i + len);
      i += len;
      continue;
    }
    const cp = inner.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    out += f(ch);
    i += ch.length;
  }
  return `${out}"`;
}

const escapeSlash = (raw: string) => rewriteLiteral(raw, (ch) => (ch === '/' ? '\\/' : ch));

const escapeNonAscii = (raw: string) =>
  rewriteLiteral(raw, (ch) => {
    if (ch.charCodeAt(0) < 0x80) return ch;
    let out = '';
    for (let j = 0; j < ch.length; j++) out += `\\u${ch.charCodeAt(j).toString(16).padStart(4, '0')}`;
    return out;
  });

/** Adds a member at the end of the top-level object (webhook payloads gain fields all the time). */
function withMember(n: Node, key: string, valueJson: string): Node {
  if (n.t !== 'obj') return n;
  const v = parseLossless(valueJson);
  if (!v) throw new Error(`bad member JSON ${valueJson}`);
  return { t: 'obj', entries: [...n.entries, [JSON.stringify(key), v]] };
}

export interface BodyVariant {
  /** Names the case: `--mutation raw-body:<name>`. */
  name: string;
  body: string;
  /** What is different about these bytes. */
  note: string;
}

export const DEEP_NESTING = 48;

/** Every variant's name, in the order they are sent (the CLI lists them). */
export const RAW_BODY_VARIANTS = [
  'whitespace',
  'key-order',
  'escaped-slash',
  'unicode-escape',
  'non-ascii',
  'emoji',
  'big-number',
  'deep-nesting',
] as const;
export type RawBodyVariant = (typeof RAW_BODY_VARIANTS)[number];

/**
 * One variant of a JSON body; null when the body is not a JSON object (a form-encoded Slack
 * command, for instance). Values and the event id are kept; some variants add one member.
 */
export function bodyVariant(json: string, name: RawBodyVariant): BodyVariant | null {
  const root = parseLossless(json);
  if (root?.t !== 'obj') return null;
  switch (name) {
    case 'whitespace':
      return {
        name,
        body: `${serialise(root, { indent: '   ', beforeColon: ' ', afterColon: '  ', newline: '\r\n' })}\r\n`,
        note: 'pretty-printed with three-space indents, spaces around colons, CRLF line ends',
      };
    case 'key-order':
      return { name, body: serialise(reverseKeys(root)), note: 'the keys of every object in reverse order' };
    case 'escaped-slash':
      return {
        name,
        body: serialise(
          withMember(
            mapStrings(root, escapeSlash),
            'wh_bench_link',
            '"https:\\/\\/example.com\\/orders\\/1"',
          ),
        ),
        note: "every '/' inside strings written '\\/' (a legal JSON escape), plus a member holding a URL",
      };
    case 'unicode-escape':
      return {
        name,
        body: serialise(
          withMember(
            mapStrings(root, escapeNonAscii),
            'wh_bench_name',
            '"Caf\\u00e9 M\\u00fcller \\ud83c\\udf89"',
          ),
        ),
        note: 'non-ASCII characters written as \\u escapes (\\u00e9, surrogate pairs)',
      };
    case 'non-ascii':
      return {
        name,
        body: serialise(withMember(root, 'wh_bench_name', '"Café Müller — Łódź 東京 Ελλάδα"')),
        note: 'a member with raw UTF-8 non-ASCII text',
      };
    case 'emoji':
      return {
        name,
        body: serialise(withMember(root, 'wh_bench_note', '"shipped 📦🚀 ✅ 👍🏽"')),
        note: 'a member with raw UTF-8 emoji (4-byte sequences, a skin-tone modifier)',
      };
    case 'big-number':
      return {
        name,
        body: serialise(
          withMember(
            withMember(root, 'wh_bench_big_id', '9007199254740993'),
            'wh_bench_amounts',
            '[12345678901234567890123, 1.10, 1e3, -0.0]',
          ),
        ),
        note: 'integers beyond 2^53 and numbers a parser rewrites (1.10, 1e3, -0.0)',
      };
    case 'deep-nesting':
      return {
        name,
        body: serialise(
          withMember(root, 'wh_bench_nested', `${'{"a":'.repeat(DEEP_NESTING)}1${'}'.repeat(DEEP_NESTING)}`),
        ),
        note: `a member nested ${DEEP_NESTING} objects deep`,
      };
  }
}
