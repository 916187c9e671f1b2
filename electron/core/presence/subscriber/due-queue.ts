/**
 * One timer for many subscriptions. Each owner (a subscription, a publication) has at most one
 * due time; the queue keeps them in a binary min-heap and arms a single clock timer for the
 * earliest. 5,000 buddies are 5,000 heap entries, not 5,000 timers.
 *
 * Work that falls due together is run at most `batch` items per event-loop turn, the rest on the
 * next turn, so a burst (start-up, a reconnect, refreshes that line up) never stalls the main
 * loop for long. Rescheduling leaves the old heap entry behind; it is skipped when popped because
 * its time no longer matches the owner's (and the heap is rebuilt when such leftovers pile up).
 */
import type { Clock } from '../../../support/clock.js';

export interface DueOwner {
  /** Called once its time has come; schedule again from here for the next time. */
  wake(now: number): void;
}

interface Entry {
  at: number;
  owner: DueOwner;
}

export const DUE_BATCH = 200;

export class DueQueue {
  private heap: Entry[] = [];
  private readonly due = new Map<DueOwner, number>();
  private timer: unknown;
  private armedAt = Infinity;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => {},
    private readonly batch = DUE_BATCH,
  ) {}

  /** Wake `owner` at `at` (epoch ms), replacing any time it had. */
  schedule(owner: DueOwner, at: number): void {
    if (this.stopped) return;
    this.due.set(owner, at);
    this.push({ at, owner });
    if (this.heap.length > 1024 && this.heap.length > 4 * this.due.size) this.rebuild();
    if (at < this.armedAt) this.arm(at);
  }

  cancel(owner: DueOwner): void {
    this.due.delete(owner);
  }

  /** When `owner` is due, or undefined. */
  dueAt(owner: DueOwner): number | undefined {
    return this.due.get(owner);
  }

  get size(): number {
    return this.due.size;
  }

  stop(): void {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.heap = [];
    this.due.clear();
  }

  private arm(at: number): void {
    this.clock.clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, at - this.clock.now()));
  }

  private run(): void {
    this.armedAt = Infinity;
    const now = this.clock.now();
    let ran = 0;
    while (this.heap.length > 0 && this.heap[0]!.at <= now && ran < this.batch) {
      const entry = this.pop()!;
      if (this.due.get(entry.owner) !== entry.at) continue; // rescheduled or cancelled
      this.due.delete(entry.owner);
      ran++;
      try {
        entry.owner.wake(now);
      } catch (error) {
        this.onError(error);
      }
    }
    if (this.stopped) return;
    // Skip leftovers at the top so the timer is armed for a live entry.
    while (this.heap.length > 0 && this.due.get(this.heap[0]!.owner) !== this.heap[0]!.at) this.pop();
    if (this.heap.length > 0) this.arm(this.heap[0]!.at);
  }

  private rebuild(): void {
    this.heap = [];
    for (const [owner, at] of this.due) this.push({ at, owner });
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent]!.at <= entry.at) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || !last) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= heap.length) break;
      const right = left + 1;
      const child = right < heap.length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[i] = heap[child]!;
      i = child;
    }
    heap[i] = last;
    return top;
  }
}
