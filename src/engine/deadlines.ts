/** A node of the deadline list: the in-flight exchange itself, so tracking a deadline allocates nothing. */
export interface DeadlineNode {
  deadline: number;
  dlPrev: DeadlineNode | null;
  dlNext: DeadlineNode | null;
  /** Whether the node is in the list. */
  dlLinked: boolean;
  onDeadline(now: number): void;
}

/**
 * In-flight requests ordered by deadline, watched by one timer instead of one timer per request.
 * Deadlines mostly arrive in order (same timeout, increasing start), so insertion is O(1) from the
 * tail and removal is O(1); the timer is re-armed only when it fires or a new earliest deadline comes.
 */
export class DeadlineList {
  private head: DeadlineNode | null = null;
  private tail: DeadlineNode | null = null;
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;
  private readonly fire = (): void => this.expire();

  add(n: DeadlineNode): void {
    let after = this.tail;
    while (after !== null && after.deadline > n.deadline) after = after.dlPrev;
    n.dlPrev = after;
    n.dlNext = after === null ? this.head : after.dlNext;
    if (n.dlNext !== null) n.dlNext.dlPrev = n;
    else this.tail = n;
    if (after !== null) after.dlNext = n;
    else this.head = n;
    n.dlLinked = true;
    if (n.deadline < this.armedFor) this.arm(n.deadline);
  }

  remove(n: DeadlineNode): void {
    if (!n.dlLinked) return;
    if (n.dlPrev !== null) n.dlPrev.dlNext = n.dlNext;
    else this.head = n.dlNext;
    if (n.dlNext !== null) n.dlNext.dlPrev = n.dlPrev;
    else this.tail = n.dlPrev;
    n.dlPrev = null;
    n.dlNext = null;
    n.dlLinked = false;
    // The armed timer stays even when the list empties: when it fires it finds nothing due and
    // re-arms for the new head, which costs one timer per timeout period instead of one per request.
  }

  get size(): number {
    let n = 0;
    for (let x = this.head; x !== null; x = x.dlNext) n++;
    return n;
  }

  /** Forgets every node and stops the timer (dispatcher closed). */
  clear(): void {
    this.head = null;
    this.tail = null;
    this.disarm();
  }

  private expire(): void {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    // Timers may fire up to a millisecond early on the monotonic clock; count that as due.
    while (this.head !== null && this.head.deadline <= now + 1) {
      const n = this.head;
      this.remove(n);
      n.onDeadline(now);
    }
    if (this.head !== null) this.arm(this.head.deadline);
  }

  private arm(at: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(this.fire, Math.max(1, Math.ceil(at - performance.now())));
    // In-flight sockets keep the process alive; an idle dispatcher's timer must not.
    this.timer.unref();
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
  }
}
