// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are the ${VAR} syntax under test
import { describe, expect, it } from 'vitest';
import { expandString, expandTree } from '../../src/scenario/env.js';

describe('${VAR} expansion', () => {
  const env = { A: 'alpha', EMPTY: '', SECRET: 'p#ss: "x"\nnext' };

  it('expands variables and defaults like the shell', () => {
    expect(expandString('${A}', env, []).value).toBe('alpha');
    expect(expandString('x-${A}-y', env, []).value).toBe('x-alpha-y');
    expect(expandString('${MISSING:-dflt}', env, []).value).toBe('dflt');
    expect(expandString('${EMPTY:-dflt}', env, []).value).toBe('dflt');
    expect(expandString('${EMPTY}', env, []).value).toBe('');
    expect(expandString('${MISSING:-}', env, []).value).toBe('');
    expect(expandString('$${A} ${A}', env, []).value).toBe('${A} alpha');
    expect(expandString('no vars {{event.id}}', env, []).value).toBe('no vars {{event.id}}');
  });

  it('names the variable and where it is used when it is missing', () => {
    const r = expandString('Bearer ${TOKEN}', env, ['target', 'headers', 'Authorization']);
    expect(r.issues).toEqual([
      expect.objectContaining({
        offset: 7,
        message: 'TOKEN is not set (used at target.headers.Authorization)',
      }),
    ]);
    expect(expandString('${STRIPE_WEBHOOK_SECRET}', {}, ['provider', 'secret']).issues[0]).toMatchObject({
      message: 'STRIPE_WEBHOOK_SECRET is not set (used at provider.secret)',
      hint: expect.stringContaining('--secret-env'),
    });
  });

  it('reports unclosed and malformed references', () => {
    expect(expandString('${A', env, []).issues[0]?.message).toContain("unclosed '${'");
    expect(expandString('${1A}', env, []).issues[0]?.message).toContain('is not a variable reference');
  });

  it('expands values, never keys, and keeps special characters of values as they are', () => {
    const tree = { provider: { secret: '${SECRET}' }, '${A}': 'k', list: ['${A}', 1, true, null] };
    const { value, issues } = expandTree(tree, env);
    expect(issues).toEqual([]);
    expect(value).toEqual({
      provider: { secret: 'p#ss: "x"\nnext' },
      '${A}': 'k',
      list: ['alpha', 1, true, null],
    });
  });

  it('can leave a path alone (the secret --secret replaces)', () => {
    const { value, issues } = expandTree(
      { provider: { secret: '${NOPE}' } },
      {},
      (p) => p.join('.') === 'provider.secret',
    );
    expect(issues).toEqual([]);
    expect(value).toEqual({ provider: { secret: '${NOPE}' } });
  });
});
