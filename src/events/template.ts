import type { CompiledTemplate, TemplateContext } from '../scenario/types.js';
import { type Literal, parseTemplateString, type TemplateExpr } from './template-parse.js';

export type TemplatePath = Array<string | number>;

/** A problem in a body template, at a path inside the body and an index inside that string. */
export interface CompileIssue {
  path: TemplatePath;
  offset: number;
  message: string;
  hint?: string;
}

/** Produces the JSON text of one dynamic part, already escaped for where it sits. */
type Slot = (ctx: TemplateContext) => string;

// Characters that JSON must escape, and lone surrogates (JSON.stringify writes them as \udXXX).
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** A JSON string literal; the common ASCII-safe case skips JSON.stringify. */
export function quoteJson(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** The inside of a JSON string literal, for text interpolated into a longer string. */
export function escapeJsonInner(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s).slice(1, -1) : s;
}

/**
 * Compiles a JSON value whose strings may hold `{{ ... }}` expressions into static byte chunks and
 * dynamic slots (autocannon's request builder, applied to bodies): rendering only runs the slots and
 * copies bytes, with no JSON.stringify of the tree. The output is exactly `JSON.stringify` of the
 * value with every expression replaced; a string that is one whole expression keeps the expression's
 * type (`"{{int 1 9}}"` renders a number).
 */
export function compileTemplate(value: unknown): { template: CompiledTemplate; issues: CompileIssue[] } {
  const b = new Builder();
  walk(value, [], b);
  return { template: b.build(), issues: b.issues };
}

class Builder {
  readonly chunks: string[] = [''];
  readonly slots: Slot[] = [];
  readonly issues: CompileIssue[] = [];

  text(s: string): void {
    this.chunks[this.chunks.length - 1] += s;
  }

  slot(f: Slot): void {
    this.slots.push(f);
    this.chunks.push('');
  }

  build(): CompiledTemplate {
    const statics = this.chunks.map((c) => Buffer.from(c, 'utf8'));
    const slots = this.slots;
    const n = slots.length;
    if (n === 0) {
      const bytes = statics[0]!;
      // Each render returns its own copy: callers may mutate bodies (tampered-body check).
      return { render: () => Buffer.from(bytes) };
    }
    let staticBytes = 0;
    for (const s of statics) staticBytes += s.length;
    const values: string[] = new Array<string>(n).fill('');
    return {
      render(ctx: TemplateContext): Uint8Array {
        let total = staticBytes;
        for (let i = 0; i < n; i++) {
          const v = slots[i]!(ctx);
          values[i] = v;
          total += utf8Length(v);
        }
        const out = Buffer.allocUnsafe(total);
        let first = statics[0]!;
        out.set(first, 0);
        let off = first.length;
        for (let i = 0; i < n; i++) {
          off = writeString(out, values[i]!, off);
          first = statics[i + 1]!;
          out.set(first, off);
          off += first.length;
        }
        return out;
      },
    };
  }
}

/*
 * Slot values are short and almost always ASCII (ids, numbers, dates): measuring and copying them in a
 * JS loop avoids two native calls per slot (Buffer.byteLength, buf.write), which dominate small bodies.
 */
function utf8Length(s: string): number {
  for (let j = 0; j < s.length; j++) {
    if (s.charCodeAt(j) > 0x7f) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}

function writeString(out: Buffer, s: string, off: number): number {
  const len = s.length;
  let j = 0;
  for (; j < len; j++) {
    const c = s.charCodeAt(j);
    if (c > 0x7f) break;
    out[off++] = c;
  }
  return j === len ? off : off + out.write(j === 0 ? s : s.slice(j), off, 'utf8');
}

function walk(v: unknown, path: TemplatePath, b: Builder): void {
  if (v === null || typeof v === 'boolean') {
    b.text(String(v));
  } else if (typeof v === 'number') {
    if (!Number.isFinite(v)) {
      b.issues.push({
        path,
        offset: 0,
        message: `${v} is not a JSON number`,
        hint: 'JSON has no NaN or infinity',
      });
    }
    b.text(JSON.stringify(v));
  } else if (typeof v === 'string') {
    walkString(v, path, b);
  } else if (Array.isArray(v)) {
    b.text('[');
    v.forEach((item, i) => {
      if (i > 0) b.text(',');
      // JSON.stringify writes undefined array items as null.
      walk(item === undefined ? null : item, [...path, i], b);
    });
    b.text(']');
  } else if (typeof v === 'object' && isPlainObject(v)) {
    b.text('{');
    let first = true;
    for (const [k, item] of Object.entries(v)) {
      if (item === undefined) continue;
      if (!first) b.text(',');
      first = false;
      b.text(quoteJson(k));
      b.text(':');
      walk(item, [...path, k], b);
    }
    b.text('}');
  } else {
    b.issues.push({
      path,
      offset: 0,
      message: `a ${typeof v} has no JSON form`,
      hint: 'bodies hold JSON values only',
    });
    b.text('null');
  }
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function walkString(s: string, path: TemplatePath, b: Builder): void {
  const parsed = parseTemplateString(s);
  for (const issue of parsed.issues) b.issues.push({ path, ...issue });
  if (parsed.issues.length > 0) {
    b.text(quoteJson(s));
    return;
  }
  if (parsed.whole) {
    b.slot(wholeSlot(parsed.parts[0] as TemplateExpr));
    return;
  }
  b.text('"');
  for (const part of parsed.parts) {
    if (typeof part === 'string') b.text(escapeJsonInner(part));
    else b.slot(innerSlot(part));
  }
  b.text('"');
}

/** A slot for an expression that is the whole value: its JSON text, typed. */
function wholeSlot(e: TemplateExpr): Slot {
  switch (e.fn) {
    case 'event.id':
      return (c) => quoteJson(c.eventId);
    case 'event.type':
      return (c) => quoteJson(c.eventType);
    case 'run.id':
      return (c) => quoteJson(c.runId);
    case 'now_iso': {
      const iso = isoCache();
      return (c) => `"${iso(c.now)}"`;
    }
    case 'uuid':
      return (c) => `"${uuid(c.random)}"`;
    case 'pick': {
      const texts = e.choices.map(literalJson);
      return pickSlot(texts);
    }
    default:
      return numericSlot(e);
  }
}

/** A slot for an expression inside a longer string: the escaped text, no quotes. */
function innerSlot(e: TemplateExpr): Slot {
  switch (e.fn) {
    case 'event.id':
      return (c) => escapeJsonInner(c.eventId);
    case 'event.type':
      return (c) => escapeJsonInner(c.eventType);
    case 'run.id':
      return (c) => escapeJsonInner(c.runId);
    case 'now_iso':
      return isoCache();
    case 'uuid':
      return (c) => uuid(c.random);
    case 'pick': {
      const texts = e.choices.map((l) => escapeJsonInner(typeof l === 'string' ? l : String(l)));
      return pickSlot(texts);
    }
    default:
      return numericSlot(e);
  }
}

/** Numbers render the same whole or interpolated. */
function numericSlot(e: TemplateExpr): Slot {
  switch (e.fn) {
    case 'seq':
      return (c) => String(c.seq);
    case 'now':
      return (c) => String(c.now);
    case 'int': {
      const { min } = e;
      const span = e.max - e.min + 1;
      return (c) => String(min + Math.floor(c.random() * span));
    }
    default:
      throw new Error(`no slot for template function ${e.fn}`);
  }
}

function pickSlot(texts: string[]): Slot {
  const n = texts.length;
  if (n === 1) {
    const only = texts[0]!;
    // Still draw, so a seed yields the same sequence whatever the choices are.
    return (c) => {
      c.random();
      return only;
    };
  }
  return (c) => texts[Math.floor(c.random() * n)]!;
}

function literalJson(l: Literal): string {
  return typeof l === 'string' ? quoteJson(l) : JSON.stringify(l);
}

/** `{{now_iso}}`: whole seconds, `2024-06-20T12:00:00Z`; formatted once per second, not per render. */
function isoCache(): (now: number | TemplateContext) => string {
  let last = Number.NaN;
  let text = '';
  return (x) => {
    const now = typeof x === 'number' ? x : x.now;
    if (now !== last) {
      last = now;
      text = isoSeconds(now);
    }
    return text;
  };
}

export function isoSeconds(unixSeconds: number): string {
  return new Date(Math.floor(unixSeconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const HEX = '0123456789abcdef';

/** A version 4 UUID from the seeded source (four 32-bit draws), so bodies are reproducible. */
export function uuid(random: () => number): string {
  let out = '';
  for (let w = 0; w < 4; w++) {
    let x = Math.floor(random() * 0x1_0000_0000);
    for (let i = 0; i < 8; i++) {
      const pos = w * 8 + i;
      let nibble = x & 15;
      x >>>= 4;
      if (pos === 12) nibble = 4;
      else if (pos === 16) nibble = 8 | (nibble & 3);
      if (pos === 8 || pos === 12 || pos === 16 || pos === 20) out += '-';
      out += HEX[nibble];
    }
  }
  return out;
}
