import { describe, expect, it } from 'vitest';
import { eventId, newRunId } from '../../src/events/ids.js';

describe('event ids', () => {
  it('carry the prefix, the run id and the sequence number', () => {
    expect(eventId('evt_', 'k3j9x2m4pq', 42)).toBe('evt_k3j9x2m4pq_42');
    expect(eventId('Ev', 'abc', 1)).toBe('Evabc_1');
  });

  it('run ids are 10 URL-safe base32 characters and do not repeat', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newRunId();
      expect(id).toMatch(/^[a-z2-7]{10}$/);
      expect(encodeURIComponent(id)).toBe(id);
      ids.add(id);
    }
    expect(ids.size).toBe(2000);
  });
});
