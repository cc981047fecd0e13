/** Header sets, options, scheme facts and user errors of each signer (no network). */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import {
  compileTemplate,
  createSigner,
  formatTimestamp,
  hmac,
  hmacParts,
  schemeInfo,
  secretKey,
} from '../../src/signing/index.js';
import type { Header, SchemeName, SignInput } from '../../src/signing/types.js';
import { GENERIC_VARIANTS, SCHEME_CASES, SECRETS } from './support/fixtures.js';

const body = new TextEncoder().encode('{"id":"evt_1","object":"event"}');
const input: SignInput = { body, timestamp: 1_700_000_000, id: 'evt_1', eventType: 'orders/create' };
const names = (h: Header[]) => h.map(([k]) => k);
const value = (h: Header[], name: string) => h.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('headers each provider sends, in order', () => {
  const sign = (scheme: SchemeName, i: SignInput = input) =>
    createSigner(scheme, [SECRETS[scheme].current]).sign(i);

  it('stripe', () => {
    const h = sign('stripe');
    expect(names(h)).toEqual(['User-Agent', 'Accept', 'Cache-Control', 'Content-Type', 'Stripe-Signature']);
    expect(value(h, 'User-Agent')).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)');
    expect(value(h, 'Stripe-Signature')).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
  });

  it('github, with the legacy SHA-1 header and the event name without its action', () => {
    const h = sign('github', {
      ...input,
      id: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      eventType: 'issues.opened',
    });
    expect(names(h)).toEqual([
      'Accept',
      'Content-Type',
      'User-Agent',
      'X-GitHub-Delivery',
      'X-GitHub-Event',
      'X-GitHub-Hook-ID',
      'X-GitHub-Hook-Installation-Target-ID',
      'X-GitHub-Hook-Installation-Target-Type',
      'X-Hub-Signature',
      'X-Hub-Signature-256',
    ]);
    expect(value(h, 'User-Agent')).toMatch(/^GitHub-Hookshot\/[0-9a-f]+$/);
    expect(value(h, 'X-GitHub-Delivery')).toBe('72d3162e-cc78-11e3-81ab-4c9367dc0958');
    expect(value(h, 'X-GitHub-Event')).toBe('issues');
    expect(value(h, 'X-Hub-Signature')).toBe(
      `sha1=${createHmac('sha1', SECRETS.github.current).update(body).digest('hex')}`,
    );
  });

  it('github hook id from the options', () => {
    const h = createSigner('github', ['s'], { hookId: '42' }).sign(input);
    expect(value(h, 'X-GitHub-Hook-ID')).toBe('42');
  });

  it('slack', () => {
    const h = sign('slack');
    expect(names(h)).toEqual([
      'Content-Type',
      'User-Agent',
      'Accept',
      'X-Slack-Request-Timestamp',
      'X-Slack-Signature',
    ]);
    expect(value(h, 'User-Agent')).toBe('Slackbot 1.0 (+https://api.slack.com/robots)');
  });

  it('standard-webhooks', () => {
    const h = sign('standard-webhooks');
    expect(names(h)).toEqual([
      'Content-Type',
      'User-Agent',
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
    ]);
    expect(value(h, 'User-Agent')).toMatch(/^Svix-Webhooks\/1\./);
  });

  it('shopify, triggered-at derived from the timestamp (pure), event id defaulting to the id', () => {
    const h = sign('shopify');
    expect(names(h)).toEqual([
      'Content-Type',
      'User-Agent',
      'Accept',
      'X-Shopify-Topic',
      'X-Shopify-Hmac-Sha256',
      'X-Shopify-Shop-Domain',
      'X-Shopify-API-Version',
      'X-Shopify-Webhook-Id',
      'X-Shopify-Event-Id',
      'X-Shopify-Triggered-At',
    ]);
    expect(value(h, 'User-Agent')).toBe('Shopify-Captain-Hook');
    expect(value(h, 'X-Shopify-Topic')).toBe('orders/create');
    expect(value(h, 'X-Shopify-Webhook-Id')).toBe('evt_1');
    expect(value(h, 'X-Shopify-Event-Id')).toBe('evt_1');
    expect(value(h, 'X-Shopify-Triggered-At')).toBe('2023-11-14T22:13:20.000Z');
    const h2 = createSigner('shopify', ['s'], { shopDomain: 'a.myshopify.com', apiVersion: '2024-10' }).sign({
      ...input,
      eventId: 'shared-event',
    });
    expect(value(h2, 'X-Shopify-Shop-Domain')).toBe('a.myshopify.com');
    expect(value(h2, 'X-Shopify-API-Version')).toBe('2024-10');
    expect(value(h2, 'X-Shopify-Event-Id')).toBe('shared-event');
  });

  it('content type defaults to application/json and follows options.contentType', () => {
    for (const c of SCHEME_CASES) {
      const secret = SECRETS[c.scheme].current;
      const plain = createSigner(c.scheme, [secret], c.options).sign({ ...input, url: 'http://x/y' });
      expect(value(plain, 'Content-Type'), c.label).toBe('application/json');
      const form = createSigner(c.scheme, [secret], { ...c.options, contentType: 'text/plain' }).sign({
        ...input,
        url: 'http://x/y',
      });
      expect(value(form, 'Content-Type'), c.label).toBe('text/plain');
    }
  });
});

describe('multi-signature', () => {
  it('stripe: one v1 per secret, current first', () => {
    const s = SECRETS.stripe;
    const h = createSigner('stripe', [s.current, s.previous]).sign(input);
    const v = value(h, 'Stripe-Signature')!;
    const sig = (k: string) =>
      createHmac('sha256', k).update(`${input.timestamp}.`).update(body).digest('hex');
    expect(v).toBe(`t=1700000000,v1=${sig(s.current)},v1=${sig(s.previous)}`);
  });

  it('standard-webhooks: space-separated v1 entries, current first', () => {
    const s = SECRETS['standard-webhooks'];
    const v = value(
      createSigner('standard-webhooks', [s.current, s.previous]).sign(input),
      'webhook-signature',
    )!;
    const entries = v.split(' ');
    expect(entries).toHaveLength(2);
    expect(entries[0]).toBe(
      value(createSigner('standard-webhooks', [s.current]).sign(input), 'webhook-signature'),
    );
    expect(entries[1]).toBe(
      value(createSigner('standard-webhooks', [s.previous]).sign(input), 'webhook-signature'),
    );
  });

  it('single-signature schemes ignore every secret after the first', () => {
    for (const scheme of ['github', 'slack', 'shopify'] as const) {
      const one = createSigner(scheme, ['a']).sign(input);
      expect(createSigner(scheme, ['a', 'b']).sign(input), scheme).toEqual(one);
    }
  });
});

describe('generic-hmac', () => {
  const g = GENERIC_VARIANTS['custom-preset']!;

  it('signs the template with the configured algorithm, encoding and prefix', () => {
    const h = createSigner('generic-hmac', ['k'], { generic: g }).sign(input);
    const expected = `sha256=${createHmac('sha256', 'k').update(`1700000000.`).update(body).digest('hex')}`;
    expect(h).toEqual([
      ['Content-Type', 'application/json'],
      ['User-Agent', 'wh-bench-webhooks/1.0'],
      ['X-Webhook-Id', 'evt_1'],
      ['X-Timestamp', '1700000000'],
      ['X-Signature', expected],
    ]);
  });

  it('fills {id}, {timestamp} (iso), {url} and {body} in order', () => {
    const o = GENERIC_VARIANTS['sha1-iso-url']!;
    const h = createSigner('generic-hmac', ['k'], { generic: o }).sign({ ...input, url: 'http://h/p?q=1' });
    const content = `evt_1:2023-11-14T22:13:20.000Z:http://h/p?q=1:${Buffer.from(body).toString()}`;
    expect(value(h, 'X-Hook-Signature')).toBe(`v1=${createHmac('sha1', 'k').update(content).digest('hex')}`);
    expect(value(h, 'X-Hook-Time')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('sha512 base64 over the body alone by default, no id or timestamp header', () => {
    const o = GENERIC_VARIANTS['sha512-base64-body-only']!;
    const h = createSigner('generic-hmac', ['k'], { generic: o }).sign(input);
    expect(names(h)).toEqual(['Content-Type', 'User-Agent', 'X-Body-Signature']);
    expect(value(h, 'X-Body-Signature')).toBe(createHmac('sha512', 'k').update(body).digest('base64'));
  });

  it('formats timestamps as unix, unix_ms and iso', () => {
    expect(formatTimestamp(1_700_000_000)).toBe('1700000000');
    expect(formatTimestamp(1_700_000_000, 'unix_ms')).toBe('1700000000000');
    expect(formatTimestamp(1_700_000_000, 'iso')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('an unknown placeholder is a user error with a hint; literal braces of other shapes stay', () => {
    expect(() => compileTemplate('{timestmap}.{body}')).toThrow(UserError);
    expect(compileTemplate('{ x }{body}')).toHaveLength(2);
  });

  it('missing options are a user error', () => {
    expect(() => createSigner('generic-hmac', ['k'])).toThrow(UserError);
  });

  it('signing {url} without a url is a bug and throws', () => {
    const o = GENERIC_VARIANTS['sha1-iso-url']!;
    expect(() => createSigner('generic-hmac', ['k'], { generic: o }).sign(input)).toThrow(/url/);
  });
});

describe('secrets', () => {
  it('no secret, an empty secret or a non-base64 Standard Webhooks secret are user errors without the secret', () => {
    expect(() => createSigner('stripe', [])).toThrow(UserError);
    expect(() => createSigner('github', [''])).toThrow(UserError);
    try {
      createSigner('standard-webhooks', ['whsec_not*base64!!']);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).hint).toBeTruthy();
      expect((e as Error).message).not.toContain('not*base64');
    }
  });

  it('sign() is pure: same input, same headers; the input body is untouched', () => {
    for (const c of SCHEME_CASES) {
      const signer = createSigner(c.scheme, [SECRETS[c.scheme].current], c.options);
      const i = { ...input, url: 'http://x/' };
      const copy = Uint8Array.from(body);
      expect(signer.sign(i), c.label).toEqual(signer.sign(i));
      expect(body).toEqual(copy);
    }
  });
});

describe('hmac helpers agree with createHmac', () => {
  it('for short, block-sized and long keys, empty, small and large content', () => {
    for (const alg of ['sha1', 'sha256', 'sha512'] as const) {
      for (const keyLen of [1, 64, 65, 128, 129, 200]) {
        const raw = Buffer.alloc(keyLen, 7);
        const key = secretKey(raw);
        for (const size of [0, 10, 70_000]) {
          const content = Buffer.alloc(size, 0xab);
          const ref = createHmac(alg, raw).update('pré').update(content).digest();
          expect(hmac(key, alg, 'pré', content)).toEqual(ref);
          expect(hmacParts(key, alg, 'base64', ['pré', content])).toBe(ref.toString('base64'));
        }
      }
    }
  });
});

describe('schemeInfo', () => {
  it('describes every scheme', () => {
    expect(schemeInfo('stripe')).toMatchObject({
      multiSignature: true,
      signsTimestamp: true,
      idHeader: null,
    });
    expect(schemeInfo('github')).toMatchObject({
      signatureHeaders: ['X-Hub-Signature-256', 'X-Hub-Signature'],
      timestampHeader: null,
      idHeader: 'X-GitHub-Delivery',
      multiSignature: false,
      signsTimestamp: false,
    });
    expect(schemeInfo('slack')).toMatchObject({
      signatureHeaders: ['X-Slack-Signature'],
      timestampHeader: 'X-Slack-Request-Timestamp',
      signsTimestamp: true,
    });
    expect(schemeInfo('standard-webhooks')).toMatchObject({
      signatureHeaders: ['webhook-signature'],
      timestampHeader: 'webhook-timestamp',
      idHeader: 'webhook-id',
      multiSignature: true,
      signsTimestamp: true,
      signsId: true,
    });
    expect(schemeInfo('shopify')).toMatchObject({
      signatureHeaders: ['X-Shopify-Hmac-Sha256'],
      idHeader: 'X-Shopify-Webhook-Id',
      signsTimestamp: false,
    });
    expect(schemeInfo('generic-hmac', { generic: GENERIC_VARIANTS['custom-preset']! })).toMatchObject({
      signatureHeaders: ['X-Signature'],
      timestampHeader: 'X-Timestamp',
      idHeader: 'X-Webhook-Id',
      signsTimestamp: true,
      signsId: false,
    });
    expect(
      schemeInfo('generic-hmac', { generic: GENERIC_VARIANTS['sha512-base64-body-only']! }),
    ).toMatchObject({
      timestampHeader: null,
      signsTimestamp: false,
    });
  });
});
