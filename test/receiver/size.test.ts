import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningReceiver, startReceiver } from '../../src/receiver/server.js';
import { providerFromPreset } from '../../src/scenario/presets.js';
import { agent, effectsOf, event, post, SECRET, signHeaders } from './helpers.js';

const MB = 1024 * 1024;

/** A GitHub-shaped body of exactly `size` bytes. */
function bodyOf(size: number): string {
  const head = '{"action":"big","pad":"';
  const tail = '"}';
  return head + 'x'.repeat(size - head.length - tail.length) + tail;
}

describe('payload size', () => {
  let rx: RunningReceiver;
  beforeAll(async () => {
    rx = await startReceiver({ provider: providerFromPreset('github', SECRET.github) });
  });
  afterAll(async () => {
    await rx.close();
    await agent.close();
  });

  it('accepts a 25 MB body (GitHub maximum) and does the work', async () => {
    const e = { ...event('github'), body: bodyOf(25 * MB) };
    const a = await post(rx.url, await signHeaders('github', e, SECRET.github), e.body);
    expect(a.status).toBe(200);
    expect(await effectsOf(rx.origin, e.id)).toBe(1);
  });

  it('answers 413 to a 26 MB body, then keeps serving on the same agent', async () => {
    const e = { ...event('github'), body: bodyOf(26 * MB) };
    const a = await post(rx.url, await signHeaders('github', e, SECRET.github), e.body);
    expect(a.status).toBe(413);
    expect(await effectsOf(rx.origin, e.id)).toBe(0);
    const small = event('github');
    expect((await post(rx.url, await signHeaders('github', small, SECRET.github), small.body)).status).toBe(
      200,
    );
  });

  it('answers 413 to an oversized chunked body (no Content-Length)', async () => {
    const e = event('github');
    const headers = await signHeaders('github', e, SECRET.github);
    const chunk = Buffer.alloc(MB, 0x78);
    async function* stream() {
      for (let i = 0; i < 27; i++) yield chunk;
    }
    const { request } = await import('undici');
    const res = await request(rx.url, {
      method: 'POST',
      headers,
      body: Readable.from(stream()),
      dispatcher: agent,
    });
    await res.body.text();
    expect(res.statusCode).toBe(413);
    expect(rx.stats().rejected).toBeGreaterThanOrEqual(1);
    const small = event('github');
    expect((await post(rx.url, await signHeaders('github', small, SECRET.github), small.body)).status).toBe(
      200,
    );
  });
});
