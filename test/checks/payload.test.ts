import { describe, expect, it } from 'vitest';
import { formatBytes, PADDING_KEY, padBody, payloadSteps } from '../../src/checks/payload.js';

const MiB = 1024 * 1024;

describe('payload sizes', () => {
  it('climbs through the common framework limits up to the maximum, which is always tried', () => {
    expect(payloadSteps(MiB)).toEqual([65536, 102401, 524288, 1_000_000, MiB]);
    expect(payloadSteps(25 * MiB)).toEqual([
      65536,
      102401,
      524288,
      1_000_000,
      MiB,
      5 * MiB,
      10 * MiB,
      25 * MiB,
    ]);
    expect(payloadSteps(256 * 1024)).toEqual([65536, 102401, 262144]);
    expect(payloadSteps(2 * MiB)).toEqual([65536, 102401, 524288, 1_000_000, MiB, 2 * MiB]);
    expect(payloadSteps(1000)).toEqual([1000]);
  });

  it('pads a JSON event to the exact size with one filler member, keeping the event', () => {
    const body = Buffer.from('{"id":"evt_1","type":"x","data":{"n":1}}');
    for (const size of [body.length + 40, 65536, 102401]) {
      const padded = padBody(body, size)!;
      expect(padded.length).toBe(size);
      const obj = JSON.parse(Buffer.from(padded).toString('utf8')) as Record<string, unknown>;
      expect(obj['id']).toBe('evt_1');
      expect(obj['data']).toEqual({ n: 1 });
      expect(typeof obj[PADDING_KEY]).toBe('string');
    }
    expect(padBody(Buffer.from('{}'), 100)!.length).toBe(100);
    expect(padBody(Buffer.from('{\n  "id": "x"\n}\n'), 200)!.length).toBe(200);
  });

  it('pads form bodies with a field, and refuses what it cannot grow', () => {
    const form = padBody(Buffer.from('payload=%7B%7D&token=abc'), 500)!;
    expect(form.length).toBe(500);
    expect(new URLSearchParams(Buffer.from(form).toString()).get('token')).toBe('abc');
    expect(padBody(Buffer.from('{"id":"evt_1"}'), 10)).toBeNull();
    expect(padBody(Buffer.from('[1,2,3]'), 100)).toBeNull();
  });

  it('writes sizes as a reader would', () => {
    expect(formatBytes(102401)).toBe('100 KiB + 1 byte');
    expect(formatBytes(MiB)).toBe('1 MiB');
    expect(formatBytes(1_000_000)).toBe('1 MB');
    expect(formatBytes(65536)).toBe('64 KiB');
    expect(formatBytes(999)).toBe('999 bytes');
  });
});
