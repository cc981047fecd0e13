import type { WriteBarrier } from './delivery.js';

interface BarrierState {
  arrived: number;
  released: boolean;
  waiting: Array<() => void>;
}

const states = new WeakMap<WriteBarrier, BarrierState>();

/** A barrier for `parties` deliveries: each waits, fully prepared, until all are ready. */
export function createWriteBarrier(parties: number): WriteBarrier {
  if (!Number.isInteger(parties) || parties < 1)
    throw new RangeError(`a write barrier needs at least 1 party, got ${parties}`);
  const barrier: WriteBarrier = Object.freeze({ parties });
  states.set(barrier, { arrived: 0, released: false, waiting: [] });
  return barrier;
}

function stateOf(b: WriteBarrier): BarrierState {
  let s = states.get(b);
  // A plain `{ parties }` object works too: its state is made on first use.
  if (!s) {
    s = { arrived: 0, released: false, waiting: [] };
    states.set(b, s);
  }
  return s;
}

/**
 * A party is ready: `release` runs when every party has arrived (at once, in one synchronous loop,
 * so the last bytes of all requests leave within microseconds of each other). After the release a
 * late party is released immediately.
 */
export function arriveReady(b: WriteBarrier, release: () => void): void {
  const s = stateOf(b);
  if (s.released) {
    release();
    return;
  }
  s.waiting.push(release);
  arrive(b, s);
}

/** A party failed before it was ready (connection refused, timed out): it no longer holds the others back. */
export function arriveFailed(b: WriteBarrier): void {
  const s = stateOf(b);
  if (!s.released) arrive(b, s);
}

function arrive(b: WriteBarrier, s: BarrierState): void {
  s.arrived++;
  if (s.arrived < b.parties) return;
  s.released = true;
  const waiting = s.waiting;
  s.waiting = [];
  for (const release of waiting) release();
}
