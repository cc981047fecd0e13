/** Mutations and the malformed corpus are pure and deterministic for a seed. */
import { describe, expect, it } from 'vitest';
import {
  allMutations,
  MUTATION_NAMES,
  type MutationContext,
  malformedCorpus,
  mutate,
  tamperBody,
} from '../../src/signing/index.js';
import { rngFor } from '../../src/signing/rng.js';
import { eventBody, eventType, SCHEME_CASES, SECRETS } from './support/fixtures.js';

function ctx(c: (typeof SCHEME_CASES)[number], seed: number): MutationContext {
  return {
    scheme: c.scheme,
    options: c.options,
    secrets: [SECRETS[c.scheme].current],
    input: {
      // A fixed `created`: two contexts built across a second boundary must still be equal.
      body: eventBody('evt_det', { created: 1_700_000_000 }),
      timestamp: 1_700_000_000,
      id: 'evt_det',
      eventType: eventType(c.scheme),
      url: 'http://127.0.0.1:9/webhook',
    },
    toleranceSec: 300,
    seed,
    previousSecret: SECRETS[c.scheme].previous,
  };
}

/** The parts that carry randomness: tampered body, wrong-secret headers, malformed shapes. */
const randomParts = (m: ReturnType<typeof allMutations>, corpus: ReturnType<typeof malformedCorpus>) => ({
  tampered: m['tampered-body'].applicable ? m['tampered-body'].deliveries[0]!.body : null,
  wrong: m['wrong-secret'].applicable ? m['wrong-secret'].deliveries[0]!.headers : null,
  corpus: corpus.map((d) => d.headers),
});

for (const c of SCHEME_CASES) {
  describe(c.label, () => {
    it('the same seed gives the same deliveries, byte for byte', () => {
      const a = ctx(c, 1234);
      const b = ctx(c, 1234);
      // Equal contexts built separately: nothing depends on object identity or call history.
      expect(allMutations(a)).toEqual(allMutations(b));
      expect(malformedCorpus(a)).toEqual(malformedCorpus(b));
      expect(malformedCorpus(a)).toEqual(malformedCorpus(a));
    });

    it('a different seed changes the random parts', () => {
      const one = randomParts(allMutations(ctx(c, 1)), malformedCorpus(ctx(c, 1)));
      const two = randomParts(allMutations(ctx(c, 2)), malformedCorpus(ctx(c, 2)));
      expect(two).not.toEqual(one);
      expect(two.wrong).not.toEqual(one.wrong);
    });

    it('each mutation draws from its own stream: alone or among all, the same', () => {
      const all = allMutations(ctx(c, 99));
      for (const name of [...MUTATION_NAMES].reverse())
        expect(mutate(name, ctx(c, 99)), name).toEqual(all[name]);
    });

    it('leaves the context untouched', () => {
      const x = ctx(c, 5);
      const before = structuredClone(x);
      allMutations(x);
      malformedCorpus(x);
      expect(x).toEqual(before);
    });
  });
}

describe('tamperBody', () => {
  it('changes exactly one byte, keeping letters letters and digits digits', () => {
    const body = new TextEncoder().encode('{"id":"evt_123","amount":4200}');
    for (let seed = 0; seed < 200; seed++) {
      const { body: out, at } = tamperBody(body, rngFor(seed, 't'));
      const diff = [...out].map((b, i) => (b === body[i] ? -1 : i)).filter((i) => i >= 0);
      expect(diff).toEqual([at]);
      const was = String.fromCharCode(body[at]!);
      const now = String.fromCharCode(out[at]!);
      expect(/[0-9]/.test(was)).toBe(/[0-9]/.test(now));
      expect(/[a-z]/.test(was)).toBe(/[a-z]/.test(now));
    }
  });

  it('flips a bit when there is no letter or digit, and adds a byte to an empty body', () => {
    const { body, at } = tamperBody(Uint8Array.of(0x7b, 0x7d), rngFor(1, 't'));
    expect(body[at]).toBe([0x7b, 0x7d][at]! ^ 1);
    expect(tamperBody(new Uint8Array(0), rngFor(1, 't')).body).toEqual(Uint8Array.of(0x20));
  });
});
