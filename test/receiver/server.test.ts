import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReceiver, startReceiver } from '../../src/receiver/server.js';
import { PRESETS, providerFromPreset } from '../../src/scenario/presets.js';
import type { PresetName } from '../../src/scenario/types.js';
import {
  ALL_PRESETS,
  agent,
  effectsOf,
  event,
  type Headers,
  nowSec,
  PREVIOUS_SECRET,
  post,
  SECRET,
  SIGNATURE_HEADER,
  signHeaders,
  WRONG_SECRET,
} from './helpers.js';

afterAll(() => agent.close());

describe.each(ALL_PRESETS)('reference receiver, preset %s', (preset: PresetName) => {
  const hasTimestamp = PRESETS[preset].toleranceSec !== null;
  const secret = SECRET[preset];
  let rx: RunningReceiver;

  beforeAll(async () => {
    rx = await startReceiver({ provider: providerFromPreset(preset, secret, PREVIOUS_SECRET[preset]) });
  });
  afterAll(() => rx.close());

  /** Every refusal: 4xx, a short fixed body that leaks nothing, and no side effect. */
  async function expectRefused(e: { id: string }, headers: Headers, body: string, status?: number) {
    const a = await post(rx.url, headers, body);
    expect(a.status).toBeGreaterThanOrEqual(400);
    expect(a.status).toBeLessThan(500);
    if (status !== undefined) expect(a.status).toBe(status);
    expect(a.body.length).toBeLessThan(80);
    for (const s of [secret, PREVIOUS_SECRET[preset], secret.replace(/^whsec_/, '')])
      expect(a.body).not.toContain(s);
    // The signature that would have been right for this body must not be echoed either.
    const right = await signHeaders(preset, { ...event(preset, { id: e.id }), body }, secret);
    const rightSig = right[SIGNATURE_HEADER[preset]]!;
    for (const part of rightSig.split(/[=, ]/).filter((p) => p.length >= 16))
      expect(a.body).not.toContain(part);
    expect(await effectsOf(rx.origin, e.id)).toBe(0);
    return a;
  }

  it('accepts a valid delivery, acks with {"ok":true} and does the work once', async () => {
    const e = event(preset);
    const a = await post(rx.url, await signHeaders(preset, e, secret), e.body);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ ok: true });
    expect(await effectsOf(rx.origin, e.id)).toBe(1);
  });

  it('accepts deliveries on any path', async () => {
    const e = event(preset);
    const a = await post(`${rx.origin}/hooks/${preset}?x=1`, await signHeaders(preset, e, secret), e.body);
    expect(a.status).toBe(200);
  });

  it('refuses a tampered body with 401', async () => {
    const e = event(preset);
    const headers = await signHeaders(preset, e, secret);
    await expectRefused(e, headers, e.body.replace('test.event', 'test.evenT'), 401);
  });

  it('refuses a delivery signed with the wrong secret with 401', async () => {
    const e = event(preset);
    await expectRefused(e, await signHeaders(preset, e, WRONG_SECRET[preset]), e.body, 401);
  });

  it('refuses a missing signature with 400', async () => {
    const e = event(preset);
    const headers = await signHeaders(preset, e, secret);
    delete headers[SIGNATURE_HEADER[preset]];
    await expectRefused(e, headers, e.body, 400);
  });

  it('refuses an empty signature header with 400', async () => {
    const e = event(preset);
    const headers = { ...(await signHeaders(preset, e, secret)), [SIGNATURE_HEADER[preset]]: '' };
    await expectRefused(e, headers, e.body, 400);
  });

  it.runIf(hasTimestamp)('refuses a stale timestamp (tolerance + 60 s old)', async () => {
    const e = event(preset, { ts: nowSec() - PRESETS[preset].toleranceSec! - 60 });
    await expectRefused(e, await signHeaders(preset, e, secret), e.body, 401);
  });

  it.runIf(hasTimestamp)(
    'refuses a future timestamp (tolerance + 60 s ahead), stricter than Stripe and Slack',
    async () => {
      const e = event(preset, { ts: nowSec() + PRESETS[preset].toleranceSec! + 60 });
      await expectRefused(e, await signHeaders(preset, e, secret), e.body, 401);
    },
  );

  it.runIf(hasTimestamp)('accepts a timestamp 0.8 x tolerance old and ahead', async () => {
    for (const sign of [-1, 1]) {
      const e = event(preset, { ts: nowSec() + sign * Math.floor(0.8 * PRESETS[preset].toleranceSec!) });
      const a = await post(rx.url, await signHeaders(preset, e, secret), e.body);
      expect(a.status).toBe(200);
    }
  });

  it.runIf(hasTimestamp)('refuses a non-numeric timestamp with 400', async () => {
    const e = event(preset);
    const headers = await signHeaders(preset, e, secret);
    const tsHeader = {
      stripe: null,
      slack: 'x-slack-request-timestamp',
      'standard-webhooks': 'webhook-timestamp',
      custom: 'x-timestamp',
    }[preset as 'stripe'];
    if (tsHeader) headers[tsHeader] = `${e.ts}x`;
    else headers['stripe-signature'] = headers['stripe-signature']!.replace(`t=${e.ts}`, `t=${e.ts}x`);
    await expectRefused(e, headers, e.body, 400);
  });

  it('accepts a delivery signed with the previous secret (rotation)', async () => {
    const e = event(preset);
    const a = await post(rx.url, await signHeaders(preset, e, PREVIOUS_SECRET[preset]), e.body);
    expect(a.status).toBe(200);
    expect(await effectsOf(rx.origin, e.id)).toBe(1);
  });

  it('dedupes sequential retries: 2xx each, one effect', async () => {
    const e = event(preset);
    for (let attempt = 0; attempt < 3; attempt++) {
      // A retry re-signs with a fresh timestamp where the provider does (the body and id stay).
      const retry = PRESETS[preset].retry.resign ? { ...e, ts: nowSec() - attempt } : e;
      const a = await post(rx.url, await signHeaders(preset, retry, secret), e.body);
      expect(a.status).toBe(200);
    }
    expect(await effectsOf(rx.origin, e.id, 100)).toBe(1);
  });

  it('dedupes 10 concurrent copies: all 2xx, exactly one effect', async () => {
    const e = event(preset);
    const headers = await signHeaders(preset, e, secret);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(rx.url, headers, e.body)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(await effectsOf(rx.origin, e.id, 100)).toBe(1);
  });

  it('acks an unknown event type and an out-of-order event with 2xx', async () => {
    const later = event(preset, { type: 'object.updated' });
    const earlier = event(preset, { type: 'object.created' });
    const unknown = event(preset, { type: 'never.heard.of.it' });
    for (const e of [later, earlier, unknown]) {
      const a = await post(rx.url, await signHeaders(preset, e, secret), e.body);
      expect(a.status).toBe(200);
    }
  });

  it('verifies the raw bytes: odd but validly signed serialisations are accepted and deduped by id', async () => {
    const variants = [
      (b: string) => `  \n${b.replace('{"', '{ "').replaceAll('":', '" : ')}\n`,
      (b: string) => `${b.slice(0, -1)},"emoji":"\u{1F600}","non_ascii":"d\u00e9j\u00e0 vu"}`,
      (b: string) => `${b.slice(0, -1)},"escaped":"\\/\\u00e9","big":123456789012345678901234567890}`,
    ];
    for (const variant of variants) {
      const e = event(preset);
      const body = variant(e.body);
      const a = await post(rx.url, await signHeaders(preset, { ...e, body }, secret), body);
      expect(a.status).toBe(200);
      expect(await effectsOf(rx.origin, e.id)).toBe(1);
    }
  });
});

describe('reference receiver, scheme specifics', () => {
  const receivers: RunningReceiver[] = [];
  async function start(preset: PresetName, previous: string | null = null, allowlist?: string[]) {
    const rx = await startReceiver({
      provider: providerFromPreset(preset, SECRET[preset], previous),
      ...(allowlist ? { allowlist } : {}),
    });
    receivers.push(rx);
    return rx;
  }
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.close()));
  });

  it('stripe: any v1 among several passes, first or last (multi-signature rotation)', async () => {
    const rx = await start('stripe');
    for (const order of ['valid-first', 'valid-last']) {
      const e = event('stripe');
      const good = (await signHeaders('stripe', e, SECRET.stripe))['stripe-signature']!;
      const bad = (await signHeaders('stripe', e, WRONG_SECRET.stripe))['stripe-signature']!;
      const goodV1 = good.split(',')[1]!;
      const badV1 = bad.split(',')[1]!;
      const header = `t=${e.ts},${order === 'valid-first' ? `${goodV1},${badV1}` : `${badV1},${goodV1}`}`;
      const a = await post(rx.url, { 'stripe-signature': header }, e.body);
      expect(a.status).toBe(200);
    }
  });

  it('stripe: a v0-only header (downgrade) and a space after the comma are refused', async () => {
    const rx = await start('stripe');
    const e = event('stripe');
    const good = (await signHeaders('stripe', e, SECRET.stripe))['stripe-signature']!;
    const v0 = good.replace('v1=', 'v0=');
    expect((await post(rx.url, { 'stripe-signature': v0 }, e.body)).status).toBe(400);
    const spaced = good.replace(',v1=', ', v1=');
    expect((await post(rx.url, { 'stripe-signature': spaced }, e.body)).status).toBe(400);
    expect(await effectsOf(rx.origin, e.id)).toBe(0);
    // The same delivery, unmangled, still goes through: the refusals claimed nothing.
    expect((await post(rx.url, { 'stripe-signature': good }, e.body)).status).toBe(200);
  });

  it('standard-webhooks: only an unknown version (v1a) is refused; an unknown entry beside v1 is ignored', async () => {
    const rx = await start('standard-webhooks');
    const e = event('standard-webhooks');
    const h = await signHeaders('standard-webhooks', e, SECRET['standard-webhooks']);
    const sig = h['webhook-signature']!;
    const a1 = await post(rx.url, { ...h, 'webhook-signature': sig.replace('v1,', 'v1a,') }, e.body);
    expect(a1.status).toBe(400);
    const a2 = await post(rx.url, { ...h, 'webhook-signature': `v2,AAAA ${sig}` }, e.body);
    expect(a2.status).toBe(200);
  });

  it('standard-webhooks: the id is signed, so swapping it breaks the signature', async () => {
    const rx = await start('standard-webhooks');
    const e = event('standard-webhooks');
    const h = await signHeaders('standard-webhooks', e, SECRET['standard-webhooks']);
    const a = await post(rx.url, { ...h, 'webhook-id': `${e.id}x` }, e.body);
    expect(a.status).toBe(401);
  });

  it('github: uppercase hex and a missing sha256= prefix are refused; legacy sha1 alone is not enough', async () => {
    const rx = await start('github');
    const e = event('github');
    const h = await signHeaders('github', e, SECRET.github);
    const sig = h['x-hub-signature-256']!;
    for (const bad of [sig.toUpperCase().replace('SHA256=', 'sha256='), sig.slice('sha256='.length)]) {
      expect((await post(rx.url, { ...h, 'x-hub-signature-256': bad }, e.body)).status).toBe(400);
    }
    const { 'x-hub-signature-256': _, ...rest } = h;
    expect((await post(rx.url, { ...rest, 'x-hub-signature': 'sha1=0000' }, e.body)).status).toBe(400);
    expect(await effectsOf(rx.origin, e.id)).toBe(0);
  });

  it('github: a validly signed delivery without X-GitHub-Delivery is refused (nothing to dedupe on)', async () => {
    const rx = await start('github');
    const e = event('github');
    const { 'x-github-delivery': _, ...h } = await signHeaders('github', e, SECRET.github);
    const a = await post(rx.url, h, e.body);
    expect(a.status).toBe(400);
  });

  it('slack: a url_verification event echoes its challenge (after verifying it)', async () => {
    const rx = await start('slack');
    const body =
      '{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}';
    const e = { ...event('slack'), body };
    const a = await post(rx.url, await signHeaders('slack', e, SECRET.slack), body);
    expect(a.status).toBe(200);
    expect(JSON.parse(a.body)).toEqual({ challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P' });
    const forged = await post(rx.url, await signHeaders('slack', e, WRONG_SECRET.slack), body);
    expect(forged.status).toBe(401);
    expect(forged.body).not.toContain('3eZbrw1a');
  });

  it('slack: a retry with X-Slack-Retry-Num is acked and not processed twice', async () => {
    const rx = await start('slack');
    const e = event('slack');
    expect((await post(rx.url, await signHeaders('slack', e, SECRET.slack), e.body)).status).toBe(200);
    const retry = {
      ...(await signHeaders('slack', e, SECRET.slack)),
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    };
    expect((await post(rx.url, retry, e.body)).status).toBe(200);
    expect(await effectsOf(rx.origin, e.id, 100)).toBe(1);
  });

  it('without a previous secret, a delivery signed with it is refused', async () => {
    const rx = await start('shopify', null);
    const e = event('shopify');
    const a = await post(rx.url, await signHeaders('shopify', e, PREVIOUS_SECRET.shopify), e.body);
    expect(a.status).toBe(401);
  });

  it('a forged delivery does not claim the id: the genuine one still does the work', async () => {
    const rx = await start('github');
    const e = event('github');
    expect((await post(rx.url, await signHeaders('github', e, WRONG_SECRET.github), e.body)).status).toBe(
      401,
    );
    expect((await post(rx.url, await signHeaders('github', e, SECRET.github), e.body)).status).toBe(200);
    expect(await effectsOf(rx.origin, e.id)).toBe(1);
  });

  it('a source outside the allowlist gets 403 and causes no work; an allowed one gets 2xx', async () => {
    const denied = await start('stripe', null, ['10.1.2.3', '192.168.0.0/16']);
    const allowed = await start('stripe', null, ['10.1.2.3', '127.0.0.0/8']);
    const e = event('stripe');
    const h = await signHeaders('stripe', e, SECRET.stripe);
    const a = await post(denied.url, h, e.body);
    expect(a.status).toBe(403);
    expect(await effectsOf(denied.origin, e.id)).toBe(0);
    expect((await post(allowed.url, h, e.body)).status).toBe(200);
  });

  it('never redirects, answers effects for unknown ids with 0, health with 200, other methods 405', async () => {
    const rx = await start('stripe');
    const { get } = await import('./helpers.js');
    const health = await get(`${rx.origin}/__wh-bench/health`);
    expect(health.status).toBe(200);
    const unknown = await get(`${rx.origin}/__wh-bench/effects/${encodeURIComponent('evt_never sent/ü')}`);
    expect(JSON.parse(unknown.body)).toEqual({ count: 0 });
    expect((await get(`${rx.origin}/__wh-bench/effects/%E0%A4%A`)).status).toBe(400);
    expect((await get(`${rx.origin}/__wh-bench/nope`)).status).toBe(404);
    expect((await get(`${rx.url}`)).status).toBe(404);
    const { request } = await import('undici');
    const put = await request(rx.url, { method: 'PUT', body: '{}', dispatcher: agent });
    await put.body.text();
    expect(put.statusCode).toBe(405);
    // An unsigned POST: refused, never redirected.
    const bare = await post(rx.url, { 'content-type': 'application/json' }, '{"id":"evt_bare"}');
    expect(bare.status).toBe(400);
    expect(bare.headers['location']).toBeUndefined();
  });

  it('stats count requests, accepted, duplicates and refusals', async () => {
    const rx = await start('stripe');
    const e = event('stripe');
    const h = await signHeaders('stripe', e, SECRET.stripe);
    await post(rx.url, h, e.body);
    await post(rx.url, h, e.body);
    await post(rx.url, {}, e.body);
    expect(rx.stats()).toEqual({ requests: 3, accepted: 2, duplicates: 1, rejected: 1 });
    expect(rx.effects(e.id)).toBe(1);
  });

  it('refuses to start with a Standard Webhooks secret that is not base64, without echoing it', async () => {
    const bad = 'whsec_not*base64!';
    await expect(startReceiver({ provider: providerFromPreset('standard-webhooks', bad) })).rejects.toSatisfy(
      (err: Error) => err.name === 'UserError' && !err.message.includes('not*base64'),
    );
  });

  it('refuses to start on a port in use, as a user error', async () => {
    const rx = await start('stripe');
    await expect(
      startReceiver({ provider: providerFromPreset('stripe', 'x'), port: rx.port }),
    ).rejects.toMatchObject({
      name: 'UserError',
    });
  });
});
