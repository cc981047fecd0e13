/**
 * Seeded randomness for mutations: each mutation draws from its own stream (seed mixed with its
 * name), so adding or skipping one mutation never changes what another produces.
 */
export interface Rng {
  /** Integer in [0, n). */
  int(n: number): number;
  bytes(n: number): Uint8Array;
  /** n characters drawn from the alphabet. */
  chars(n: number, alphabet: string): string;
}

function fnv1a(label: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, fast, seedable PRNG in [0, 1); bodies and mutations are reproducible per seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stream of its own per label, good enough for picking positions and junk keys. */
export function rngFor(seed: number, label: string): Rng {
  const next = mulberry32(seed ^ fnv1a(label));
  const int = (n: number): number => Math.floor(next() * n);
  return {
    int,
    bytes(n) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = int(256);
      return out;
    },
    chars(n, alphabet) {
      let s = '';
      for (let i = 0; i < n; i++) s += alphabet[int(alphabet.length)];
      return s;
    },
  };
}
