import type { Header } from './types.js';

/** Header edits for mutations: names compare case-insensitively, order is kept, inputs untouched. */
export function headerValue(headers: readonly Header[], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find(([k]) => k.toLowerCase() === n)?.[1];
}

export function withHeader(headers: readonly Header[], name: string, value: string): Header[] {
  const n = name.toLowerCase();
  return headers.map(([k, v]): Header => (k.toLowerCase() === n ? [k, value] : [k, v]));
}

export function withoutHeaders(headers: readonly Header[], names: readonly string[]): Header[] {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return headers.filter(([k]) => !drop.has(k.toLowerCase())).map(([k, v]): Header => [k, v]);
}

/** The header sent twice, as two lines with the same value, the copy right after the original. */
export function withDuplicate(headers: readonly Header[], name: string): Header[] {
  const n = name.toLowerCase();
  return headers.flatMap(([k, v]): Header[] =>
    k.toLowerCase() === n
      ? [
          [k, v],
          [k, v],
        ]
      : [[k, v]],
  );
}
