import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodyVariant, parseLossless, RAW_BODY_VARIANTS, serialise } from '../../src/checks/json-variants.js';

const EVENT =
  '{"id":"evt_abc_1","type":"payment_intent.succeeded","created":1718000000,"data":{"object":{"id":"pi_1","url":"https://x.test/a/b","name":"Zoë","amount":12345678901234567890,"tags":["a/b",1.5e3,null,true]}}}';

/** The added members each variant may bring (webhook payloads gain fields; values are compared without them). */
const ADDED = [
  'wh_bench_link',
  'wh_bench_name',
  'wh_bench_note',
  'wh_bench_big_id',
  'wh_bench_amounts',
  'wh_bench_nested',
];
function withoutAdded(v: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(v).filter(([k]) => !ADDED.includes(k)));
}

describe('raw-body variants', () => {
  it('parses losslessly: compact serialisation gives back the exact text of compact JSON', () => {
    const tree = parseLossless(EVENT)!;
    expect(serialise(tree)).toBe(EVENT);
    // Numbers keep their spelling: a JSON.parse round trip would not.
    expect(serialise(tree)).toContain('12345678901234567890');
    expect(JSON.stringify(JSON.parse(EVENT))).not.toBe(EVENT);
  });

  it('refuses what is not JSON', () => {
    for (const bad of ['', '{', '{"a":1,}', 'a=1&b=2', '{"a":"\\x"}', '[1] 2', '{"a":01}']) {
      expect(parseLossless(bad), bad).toBeNull();
    }
    expect(bodyVariant('a=1&b=2', 'whitespace')).toBeNull();
    expect(bodyVariant('[1,2]', 'whitespace')).toBeNull();
  });

  it('every variant differs in bytes, means the same event, and keeps the id', () => {
    for (const name of RAW_BODY_VARIANTS) {
      const v = bodyVariant(EVENT, name)!;
      expect(v.body, name).not.toBe(EVENT);
      const parsed = JSON.parse(v.body) as Record<string, unknown>;
      expect(withoutAdded(parsed), name).toEqual(JSON.parse(EVENT));
      expect(parsed['id'], name).toBe('evt_abc_1');
      // A receiver that re-serialises what it parsed verifies other bytes, except where the spelling survives.
      if (!['key-order', 'non-ascii', 'emoji', 'deep-nesting'].includes(name)) {
        expect(JSON.stringify(parsed), name).not.toBe(v.body);
      }
    }
  });

  it('writes each feature the way its name says', () => {
    expect(bodyVariant(EVENT, 'whitespace')!.body).toMatch(/^\{\r\n {3}"id" : {2}"evt_abc_1",\r\n/);
    expect(bodyVariant(EVENT, 'key-order')!.body.startsWith('{"data":')).toBe(true);
    expect(bodyVariant(EVENT, 'escaped-slash')!.body).toContain('"https:\\/\\/x.test\\/a\\/b"');
    expect(bodyVariant(EVENT, 'unicode-escape')!.body).toContain('"Zo\\u00eb"');
    expect(bodyVariant(EVENT, 'unicode-escape')!.body).toContain('\\ud83c\\udf89');
    expect(bodyVariant(EVENT, 'non-ascii')!.body).toContain('Łódź 東京');
    expect(bodyVariant(EVENT, 'emoji')!.body).toContain('📦🚀');
    expect(bodyVariant(EVENT, 'big-number')!.body).toContain('9007199254740993');
    expect(bodyVariant(EVENT, 'deep-nesting')!.body).toContain('{"a":{"a":{"a":');
  });

  it('keeps the meaning of any JSON object (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (obj) => {
        const text = JSON.stringify(obj);
        for (const name of RAW_BODY_VARIANTS) {
          const v = bodyVariant(text, name)!;
          const back = JSON.parse(v.body) as Record<string, unknown>;
          expect(withoutAdded(back)).toEqual(withoutAdded(JSON.parse(text) as Record<string, unknown>));
        }
      }),
      { numRuns: 200 },
    );
  });
});
