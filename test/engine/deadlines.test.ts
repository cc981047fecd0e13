import { describe, expect, it } from 'vitest';
import { DeadlineList, type DeadlineNode } from '../../src/engine/deadlines.js';

const node = (deadline: number, fired: number[], id: number): DeadlineNode => ({
  deadline,
  dlPrev: null,
  dlNext: null,
  dlLinked: false,
  onDeadline: () => fired.push(id),
});

describe('DeadlineList', () => {
  it('fires due nodes in deadline order, skips removed ones, with one timer', async () => {
    const list = new DeadlineList();
    const fired: number[] = [];
    const now = performance.now();
    const a = node(now + 60, fired, 1);
    const b = node(now + 20, fired, 2);
    const c = node(now + 40, fired, 3);
    const d = node(now + 30, fired, 4);
    for (const n of [a, b, c, d]) list.add(n);
    expect(list.size).toBe(4);
    list.remove(d);
    list.remove(d);
    expect(d.dlLinked).toBe(false);
    expect(list.size).toBe(3);
    await new Promise((r) => setTimeout(r, 120));
    expect(fired).toEqual([2, 3, 1]);
    expect(list.size).toBe(0);
    list.clear();
  });
});
