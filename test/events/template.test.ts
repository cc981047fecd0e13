import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { compileTemplate, isoSeconds, uuid } from '../../src/events/template.js';
import { parseTemplateString, type TemplateExpr } from '../../src/events/template-parse.js';
import type { TemplateContext } from '../../src/scenario/types.js';
import { mulberry32 } from '../../src/signing/rng.js';

/** mulberry32, as the engine seeds it: a test owns its random source. */
const seeded = mulberry32;

const ctx = (over: Partial<TemplateContext> = {}): TemplateContext => ({
  eventId: 'evt_run1_7',
  eventType: 'invoice.paid',
  seq: 7,
  runId: 'run1',
  now: 1718900000,
  random: seeded(1),
  ...over,
});

function render(value: unknown, c: TemplateContext = ctx()): string {
  const { template, issues } = compileTemplate(value);
  expect(issues).toEqual([]);
  return Buffer.from(template.render(c)).toString('utf8');
}

/** The obvious implementation: substitute into the tree, then JSON.stringify it. */
function reference(value: unknown, c: TemplateContext): string {
  const evalExpr = (e: TemplateExpr): unknown => {
    switch (e.fn) {
      case 'event.id':
        return c.eventId;
      case 'event.type':
        return c.eventType;
      case 'run.id':
        return c.runId;
      case 'seq':
        return c.seq;
      case 'now':
        return c.now;
      case 'now_iso':
        return isoSeconds(c.now);
      case 'uuid':
        return uuid(c.random);
      case 'int':
        return e.min + Math.floor(c.random() * (e.max - e.min + 1));
      case 'pick':
        return e.choices[Math.floor(c.random() * e.choices.length)];
    }
  };
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const p = parseTemplateString(v);
      if (p.whole) return evalExpr(p.parts[0] as TemplateExpr);
      return p.parts.map((x) => (typeof x === 'string' ? x : String(evalExpr(x)))).join('');
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        Object.defineProperty(out, k, {
          value: walk(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    return v;
  };
  return JSON.stringify(walk(value));
}

describe('templates', () => {
  it('keeps the type of a template that is a whole value', () => {
    const out = JSON.parse(
      render({
        id: '{{event.id}}',
        amount: '{{int 100 9999}}',
        created: '{{now}}',
        seq: '{{seq}}',
        n: '{{pick 1 2 3}}',
        flag: '{{pick true false}}',
        currency: '{{pick usd eur}}',
        label: 'order-{{seq}}',
        spaced: '{{ now }}',
      }),
    );
    expect(out.id).toBe('evt_run1_7');
    expect(typeof out.amount).toBe('number');
    expect(out.amount).toBeGreaterThanOrEqual(100);
    expect(out.amount).toBeLessThanOrEqual(9999);
    expect(out.created).toBe(1718900000);
    expect(out.spaced).toBe(1718900000);
    expect(out.seq).toBe(7);
    expect([1, 2, 3]).toContain(out.n);
    expect(typeof out.flag).toBe('boolean');
    expect(['usd', 'eur']).toContain(out.currency);
    expect(out.label).toBe('order-7');
  });

  it('renders every function', () => {
    const out = JSON.parse(
      render({
        t: '{{event.type}}',
        r: '{{run.id}}',
        iso: '{{now_iso}}',
        u: '{{uuid}}',
        mixed: '{{run.id}}/{{seq}} at {{now}}',
      }),
    );
    expect(out.t).toBe('invoice.paid');
    expect(out.r).toBe('run1');
    expect(out.iso).toBe('2024-06-20T16:13:20Z');
    expect(out.u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(out.mixed).toBe('run1/7 at 1718900000');
  });

  it('escapes slot strings for JSON', () => {
    const nasty = 'a"b\\c\nd\u0000e\u2028f\ud800g😀';
    const out = render(
      { whole: '{{event.type}}', inner: 'x{{event.type}}y', [nasty]: '{{pick "q\\"uote" \'two words\'}}' },
      ctx({ eventType: nasty }),
    );
    const parsed = JSON.parse(out);
    expect(parsed.whole).toBe(nasty);
    expect(parsed.inner).toBe(`x${nasty}y`);
    expect(['q"uote', 'two words']).toContain(parsed[nasty]);
  });

  it('is deterministic under a seed and varies across seeds', () => {
    const body = { a: '{{int 1 1000000}}', u: '{{uuid}}', p: '{{pick a b c d e f}}' };
    const { template } = compileTemplate(body);
    const run = (seed: number) => {
      const random = seeded(seed);
      return Array.from({ length: 20 }, (_, i) =>
        Buffer.from(template.render(ctx({ seq: i, random }))).toString(),
      );
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('returns a fresh buffer per render (bodies may be mutated by checks)', () => {
    const { template } = compileTemplate({ static: true });
    const a = template.render(ctx());
    a[0] = 0x20;
    expect(Buffer.from(template.render(ctx())).toString()).toBe('{"static":true}');
  });

  it('renders by filling slots: no JSON.stringify of the tree per render', () => {
    const { template } = compileTemplate({
      id: '{{event.id}}',
      n: '{{int 1 9}}',
      nested: { a: ['x', 'y-{{seq}}', { t: '{{now_iso}}' }] },
    });
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 100; i++) template.render(ctx({ seq: i }));
      expect(stringify).not.toHaveBeenCalled();
    } finally {
      stringify.mockRestore();
    }
  });

  it('reports unknown functions and bad arguments with their index', () => {
    const { issues } = compileTemplate({ a: { b: ['ok', 'x {{uid}}'] }, c: '{{int 5}}', d: 'open {{seq' });
    expect(issues).toEqual([
      expect.objectContaining({
        path: ['a', 'b', 1],
        offset: 2,
        message: "unknown template function 'uid'; did you mean 'uuid'?",
      }),
      expect.objectContaining({
        path: ['c'],
        offset: 0,
        message: expect.stringContaining('two whole numbers'),
      }),
      expect.objectContaining({ path: ['d'], offset: 5, message: "unclosed '{{' in a template" }),
    ]);
    expect(parseTemplateString('{{pick}}').issues[0]?.message).toContain('at least one choice');
    expect(parseTemplateString('{{seq 1}}').issues[0]?.message).toContain('takes no arguments');
    expect(parseTemplateString('{{}}').issues[0]?.message).toContain('empty template');
  });

  it('equals a JSON.stringify reference on random trees and contexts (valid JSON every time)', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    const text = fc.string({ unit, maxLength: 12 });
    const snippet = fc.constantFrom(
      '{{event.id}}',
      '{{event.type}}',
      '{{run.id}}',
      '{{seq}}',
      '{{now}}',
      '{{now_iso}}',
      '{{uuid}}',
      '{{int -5 5}}',
      '{{int 0 9007199254740991}}',
      '{{pick a "b c" 3 -1.5e3 true null}}',
      '{{ pick "\\u00e9" \'é\' }}',
    );
    const str = fc.oneof(
      text,
      snippet,
      fc.array(fc.oneof(text, snippet), { maxLength: 4 }).map((parts) => parts.join('')),
    );
    const { tree } = fc.letrec((tie) => ({
      tree: fc.oneof(
        { depthSize: 'small' },
        str,
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('tree'), { maxLength: 4 }),
        fc.dictionary(fc.oneof(text, fc.constant('__proto__')), tie('tree'), { maxKeys: 4 }),
      ),
    }));
    const context = fc.record({
      eventId: text,
      eventType: text,
      runId: text,
      seq: fc.nat(),
      now: fc.integer({ min: 0, max: 4_000_000_000 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(tree, context, (value, c) => {
        // Strings that do not parse are reported, not rendered: keep them out of this property.
        const { template, issues } = compileTemplate(value);
        fc.pre(issues.length === 0);
        const got = Buffer.from(template.render({ ...c, random: seeded(c.seed) })).toString('utf8');
        const want = reference(value, { ...c, random: seeded(c.seed) });
        expect(got).toBe(want);
        expect(() => JSON.parse(got)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });
});
