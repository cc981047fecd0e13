import { describe, expect, it } from 'vitest';
import { createSourceFilter, isLoopbackHost } from '../../src/receiver/allowlist.js';
import { DedupeStore, EffectCounter } from '../../src/receiver/dedupe.js';
import { bodyKey, parseJsonObject, slackChallenge } from '../../src/receiver/event-id.js';

describe('DedupeStore', () => {
  it('claims a key once within the TTL, again after it', () => {
    const s = new DedupeStore(10, 1000);
    expect(s.claim('a', 0)).toBe(true);
    expect(s.claim('a', 999)).toBe(false);
    expect(s.claim('a', 1000)).toBe(true);
    expect(s.claim('a', 1500)).toBe(false);
  });

  it('stays bounded: the oldest key goes first', () => {
    const s = new DedupeStore(3, 60_000);
    for (const k of ['a', 'b', 'c', 'd']) expect(s.claim(k, 0)).toBe(true);
    expect(s.size).toBe(3);
    expect(s.claim('b', 1)).toBe(false);
    expect(s.claim('a', 1)).toBe(true);
  });

  it('sweeps expired keys as it goes, so the size stays flat under a steady stream', () => {
    const s = new DedupeStore(1_000_000, 100);
    for (let i = 0; i < 50_000; i++) s.claim(`k${i}`, i);
    expect(s.size).toBeLessThan(1200);
  });
});

describe('EffectCounter', () => {
  it('counts per id and forgets the oldest beyond capacity', () => {
    const c = new EffectCounter(2);
    c.increment('a');
    c.increment('a');
    c.increment('b');
    c.increment('c');
    expect([c.get('a'), c.get('b'), c.get('c'), c.get('zz')]).toEqual([0, 1, 1, 0]);
  });
});

describe('event ids', () => {
  it('reads a top-level string or number key from a JSON object body only', () => {
    expect(bodyKey(parseJsonObject(Buffer.from('{"id":"evt_1","data":{"id":"x"}}')), 'id')).toBe('evt_1');
    expect(bodyKey(parseJsonObject(Buffer.from('{"\\u0069d":"evt_2"}')), 'id')).toBe('evt_2');
    expect(bodyKey(parseJsonObject(Buffer.from('{"event_id":42}')), 'event_id')).toBe('42');
    expect(bodyKey(parseJsonObject(Buffer.from('{"data":{"id":"x"}}')), 'id')).toBeNull();
    expect(parseJsonObject(Buffer.from('[{"id":"x"}]'))).toBeNull();
    expect(parseJsonObject(Buffer.from('id=evt_1'))).toBeNull();
    expect(parseJsonObject(Buffer.alloc(0))).toBeNull();
  });

  it('finds a Slack challenge only on url_verification', () => {
    expect(slackChallenge({ type: 'url_verification', challenge: 'c' })).toBe('c');
    expect(slackChallenge({ type: 'event_callback', challenge: 'c' })).toBeNull();
    expect(slackChallenge(null)).toBeNull();
  });
});

describe('source allowlist', () => {
  it('matches addresses and ranges, IPv4-mapped peers included', () => {
    const f = createSourceFilter(['127.0.0.1', '10.0.0.0/8', '::1'])!;
    expect(f('127.0.0.1')).toBe(true);
    expect(f('::ffff:127.0.0.1')).toBe(true);
    expect(f('10.20.30.40')).toBe(true);
    expect(f('::1')).toBe(true);
    expect(f('127.0.0.2')).toBe(false);
    expect(f('192.168.1.1')).toBe(false);
    expect(f(undefined)).toBe(false);
    expect(createSourceFilter([])).toBeNull();
    expect(() => createSourceFilter(['not-an-ip'])).toThrow(/not an IP/);
    expect(() => createSourceFilter(['10.0.0.0/33'])).toThrow(/not an IP/);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '192.168.1.10', '::'].some(isLoopbackHost)).toBe(false);
  });
});
