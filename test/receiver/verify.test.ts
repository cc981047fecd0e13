import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { standardWebhooksKey, utf8Key } from '../../src/receiver/keys.js';
import {
  checkWindow,
  createVerifier,
  genericVerifier,
  githubVerifier,
  parseTimestamp,
  shopifyVerifier,
  slackVerifier,
  standardWebhooksVerifier,
  stripeVerifier,
} from '../../src/receiver/verify.js';
import { providerFromPreset } from '../../src/scenario/presets.js';
import type { GenericHmacOptions } from '../../src/signing/types.js';

const buf = (s: string) => Buffer.from(s, 'utf8');

describe('known answers from PROVIDERS.md', () => {
  it('github', () => {
    const v = githubVerifier([utf8Key("It's a Secret to Everybody")]);
    const sig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    expect(v({ 'x-hub-signature-256': sig }, buf('Hello, World!'), Date.now(), '/')).toBe('ok');
    expect(v({ 'x-hub-signature-256': sig }, buf('Hello, World?'), Date.now(), '/')).toBe('mismatch');
  });

  it('slack (within tolerance of its own timestamp)', () => {
    const v = slackVerifier([utf8Key('8f742231b10e8888abcd99yyyzzz85a5')], 300);
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = {
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    };
    expect(v(headers, buf(body), 1531420618_000, '/')).toBe('ok');
    expect(v(headers, buf(body), (1531420618 + 301) * 1000, '/')).toBe('stale');
    expect(v(headers, buf(body), (1531420618 - 301) * 1000, '/')).toBe('future');
  });

  it('standard webhooks', () => {
    const v = standardWebhooksVerifier([standardWebhooksKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw')], 300);
    const headers = {
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    };
    const body = buf('{"test": 2432232314}');
    expect(v(headers, body, 1614265330_000, '/')).toBe('ok');
    // Svix's own header names carry the same scheme.
    const svix = {
      'svix-id': headers['webhook-id'],
      'svix-timestamp': headers['webhook-timestamp'],
      'svix-signature': headers['webhook-signature'],
    };
    expect(v(svix, body, 1614265330_000, '/')).toBe('ok');
    // Several entries, the valid one last, an unknown version among them.
    const many = { ...headers, 'webhook-signature': `v1,AAAA v1a,BBBB ${headers['webhook-signature']}` };
    expect(v(many, body, 1614265330_000, '/')).toBe('ok');
  });
});

describe('stripe parsing follows the official library', () => {
  const key = utf8Key('whsec_demo');
  const v = stripeVerifier([key], 300);
  const now = 1_700_000_000;
  const body = buf('{"id":"evt_1"}');
  const mac = createHmac('sha256', 'whsec_demo').update(`${now}.{"id":"evt_1"}`).digest('hex');
  const cases: [string, string | undefined, string][] = [
    ['valid', `t=${now},v1=${mac}`, 'ok'],
    ['v0 ignored beside v1', `t=${now},v0=${mac},v1=${mac}`, 'ok'],
    ['v0 only', `t=${now},v0=${mac}`, 'malformed'],
    ['space after comma', `t=${now}, v1=${mac}`, 'malformed'],
    ['missing t', `v1=${mac}`, 'malformed'],
    ['empty t', `t=,v1=${mac}`, 'malformed'],
    ['t not digits', `t=${now}x,v1=${mac}`, 'malformed'],
    ['uppercase hex', `t=${now},v1=${mac.toUpperCase()}`, 'mismatch'],
    ['truncated', `t=${now},v1=${mac.slice(0, 32)}`, 'mismatch'],
    ['node joins a duplicate with ", "', `t=${now},v1=${mac}, t=${now},v1=${mac}`, 'ok'],
    ['missing', undefined, 'missing'],
    ['empty', '', 'missing'],
  ];
  it.each(cases)('%s', (_name, value, verdict) => {
    const headers: IncomingHttpHeaders = value === undefined ? {} : { 'stripe-signature': value };
    expect(v(headers, body, now * 1000, '/')).toBe(verdict);
  });

  it('checks tolerance in both directions, unlike the official library', () => {
    const header = { 'stripe-signature': `t=${now},v1=${mac}` };
    expect(v(header, body, (now + 300) * 1000, '/')).toBe('ok');
    expect(v(header, body, (now + 301) * 1000, '/')).toBe('stale');
    expect(v(header, body, (now - 300) * 1000, '/')).toBe('ok');
    expect(v(header, body, (now - 301) * 1000, '/')).toBe('future');
  });

  it('accepts the previous secret during a rotation', () => {
    const rotating = stripeVerifier([utf8Key('whsec_new'), key], 300);
    expect(rotating({ 'stripe-signature': `t=${now},v1=${mac}` }, body, now * 1000, '/')).toBe('ok');
  });
});

describe('shopify', () => {
  const v = shopifyVerifier([utf8Key('shpss_secret')]);
  const body = buf('{"id":1}');
  const mac = createHmac('sha256', 'shpss_secret').update(body).digest('base64');
  it('accepts the base64 HMAC of the body and nothing looser', () => {
    expect(v({ 'x-shopify-hmac-sha256': mac }, body, 0, '/')).toBe('ok');
    expect(v({ 'x-shopify-hmac-sha256': mac.replace(/=$/, '') }, body, 0, '/')).toBe('malformed');
    const hex = createHmac('sha256', 'shpss_secret').update(body).digest('hex');
    expect(v({ 'x-shopify-hmac-sha256': hex }, body, 0, '/')).toBe('malformed');
    expect(v({ 'x-shopify-hmac-sha256': mac }, buf('{"id":2}'), 0, '/')).toBe('mismatch');
  });
});

describe('generic HMAC', () => {
  const secret = 'generic-secret';
  const base: GenericHmacOptions = {
    signatureHeader: 'X-Sig',
    algorithm: 'sha512',
    encoding: 'base64',
    prefix: 'v=',
    timestampHeader: 'X-Ts',
    idHeader: 'X-Id',
    timestampFormat: 'iso',
    template: '{id}|{timestamp}|{url}|{body}',
  };
  it('fills the template with id, timestamp as sent, rebuilt URL and raw body', () => {
    const v = genericVerifier([utf8Key(secret)], base, 300);
    const ts = '2024-01-01T00:00:00.000Z';
    const url = 'http://127.0.0.1:9999/hook?x=1';
    const mac = createHmac('sha512', secret).update(`evt_1|${ts}|${url}|{"a":1}`).digest('base64');
    const headers = { 'x-sig': `v=${mac}`, 'x-ts': ts, 'x-id': 'evt_1', host: '127.0.0.1:9999' };
    const now = Date.parse(ts);
    expect(v(headers, buf('{"a":1}'), now, '/hook?x=1')).toBe('ok');
    expect(v(headers, buf('{"a":1}'), now, '/other')).toBe('mismatch');
    expect(v({ ...headers, 'x-id': 'evt_2' }, buf('{"a":1}'), now, '/hook?x=1')).toBe('mismatch');
    expect(v(headers, buf('{"a":1}'), now + 301_000, '/hook?x=1')).toBe('stale');
    expect(v({ ...headers, 'x-sig': mac }, buf('{"a":1}'), now, '/hook?x=1')).toBe('malformed');
    expect(v({ ...headers, 'x-ts': 'yesterday' }, buf('{"a":1}'), now, '/hook?x=1')).toBe('malformed');
    const { 'x-id': _, ...noId } = headers;
    expect(v(noId, buf('{"a":1}'), now, '/hook?x=1')).toBe('missing');
  });

  it('defaults to the body alone and skips tolerance without a timestamp header', () => {
    const options: GenericHmacOptions = { signatureHeader: 'X-Sig', algorithm: 'sha1', encoding: 'hex' };
    const v = genericVerifier([utf8Key(secret)], options, 300);
    const mac = createHmac('sha1', secret).update('{}').digest('hex');
    expect(v({ 'x-sig': mac }, buf('{}'), 0, '/')).toBe('ok');
  });

  it('rejects inconsistent options as user errors', () => {
    expect(() => genericVerifier([utf8Key(secret)], { ...base, idHeader: undefined }, 300)).toThrow(
      /id header/,
    );
    expect(() => genericVerifier([utf8Key(secret)], { ...base, template: '{nope}.{body}' }, 300)).toThrow(
      /unknown placeholder/,
    );
  });

  it('parses each timestamp format', () => {
    expect(parseTimestamp('1700000000', 'unix')).toBe(1_700_000_000);
    expect(parseTimestamp('1700000000123', 'unix_ms')).toBeCloseTo(1_700_000_000.123);
    expect(parseTimestamp('2023-11-14T22:13:20Z', 'iso')).toBe(1_700_000_000);
    expect(parseTimestamp('-5', 'unix')).toBeNaN();
  });
});

describe('tolerance window and key handling', () => {
  it('treats null or 0 tolerance as none', () => {
    expect(checkWindow(0, Date.now(), null)).toBe('ok');
    expect(checkWindow(0, Date.now(), 0)).toBe('ok');
    expect(checkWindow(1000, 1_400_000, 300)).toBe('stale');
  });

  it('builds a verifier for every preset, and refuses an empty secret', () => {
    for (const p of ['stripe', 'github', 'slack', 'shopify', 'custom'] as const) {
      expect(typeof createVerifier(providerFromPreset(p, 'x'))).toBe('function');
    }
    expect(() => createVerifier(providerFromPreset('github', ''))).toThrow(/no secret/);
  });

  it('decodes Standard Webhooks keys strictly', () => {
    expect(() => standardWebhooksKey('whsec_')).toThrow(/base64/);
    expect(() => standardWebhooksKey('whsec_abc')).toThrow(/base64/);
    expect(standardWebhooksKey('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw').symmetricKeySize).toBe(24);
  });
});
