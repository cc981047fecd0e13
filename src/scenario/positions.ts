import {
  type Document,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type YAMLError,
} from 'yaml';
import type { ValuePath } from './env.js';

export interface LinePos {
  line: number;
  col: number;
}

/**
 * Maps a path into the parsed value back to the YAML node it came from, and a node (plus an index
 * inside a string scalar) to line:col. A path that ends at a missing key points at the nearest key
 * that exists, so "missing required key" lands on the section that lacks it.
 */
export class SourceMap {
  constructor(
    private readonly doc: Document,
    private readonly lc: LineCounter,
    private readonly text: string,
  ) {}

  pos(path: ValuePath, opts: { atKey?: boolean; offset?: number } = {}): LinePos {
    const found = this.find(path, opts.atKey ?? false);
    if (!found?.range) return { line: 1, col: 1 };
    let offset = found.range[0];
    if (opts.offset !== undefined && opts.offset > 0 && isScalar(found) && typeof found.value === 'string') {
      offset = this.offsetInScalar(found.range, found.value, opts.offset);
    }
    return this.lc.linePos(offset);
  }

  private find(path: ValuePath, atKey: boolean): Node | null {
    let node: unknown = this.doc.contents;
    let lastKey: Node | null = null;
    for (let i = 0; i < path.length; i++) {
      if (isAlias(node)) node = node.resolve(this.doc);
      const seg = path[i]!;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(seg),
        );
        if (!pair) return lastKey ?? (node as Node);
        const key = isScalar(pair.key) ? (pair.key as Node) : null;
        if (i === path.length - 1 && atKey && key) return key;
        lastKey = key;
        // `key:` with no value: point at the key.
        node = pair.value ?? key;
      } else if (isSeq(node) && typeof seg === 'number') {
        const item = node.items[seg];
        if (item === undefined) return lastKey ?? (node as Node);
        node = item;
        lastKey = null;
      } else {
        return (node as Node | null) ?? lastKey;
      }
    }
    return node as Node | null;
  }

  /** Plain and simply quoted scalars map index to index; escapes and folding fall back to the start. */
  private offsetInScalar(range: [number, number, number], value: string, index: number): number {
    const src = this.text.slice(range[0], range[1]);
    if (src === value) return range[0] + index;
    if (src.length >= 2 && src.slice(1, -1) === value) return range[0] + 1 + index;
    return range[0];
  }
}

/** The yaml parser's message without its own position and code excerpt, and a hint per error code. */
export function yamlErrorText(err: YAMLError): { message: string; hint?: string } {
  const first = err.message.split('\n')[0] ?? err.message;
  const message = first.replace(/ at line \d+, column \d+:?$/, '').trim();
  const hints: Record<string, string> = {
    TAB_AS_INDENT: 'YAML indents with spaces only; replace the tab with spaces',
    BAD_INDENT: 'keys of one mapping start in the same column; indent nested keys by 2 spaces',
    DUPLICATE_KEY: 'each key appears once per mapping; remove or rename one',
    MISSING_CHAR: 'a flow collection or quoted string is not closed',
    MULTILINE_IMPLICIT_KEY: 'a key must fit on one line: check the indentation of the next line',
    BLOCK_AS_IMPLICIT_KEY:
      'the next line is indented deeper than a key expects: align the keys of one mapping',
    UNEXPECTED_TOKEN: 'check the indentation and quoting on this line',
    BAD_SCALAR_START: 'quote the value: it starts with a character YAML reserves',
  };
  const hint = hints[err.code];
  return hint ? { message, hint } : { message };
}
