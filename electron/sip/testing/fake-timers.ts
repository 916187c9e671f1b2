/**
 * A hand-driven TimerApi for tests of timer logic (retransmitter, absorber, transport):
 * time moves only when the test says so, and due callbacks fire in time order.
 */
import type { TimerApi } from '../reliability/timers.js';

interface Scheduled {
  at: number;
  fn: () => void;
}

export class FakeTimers implements TimerApi {
  private time: number;
  private nextId = 1;
  private readonly scheduled = new Map<number, Scheduled>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.scheduled.set(id, { at: this.time + Math.max(0, ms), fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    if (typeof handle === 'number') this.scheduled.delete(handle);
  }

  /** Timers scheduled and not yet fired or cleared. */
  get pending(): number {
    return this.scheduled.size;
  }

  /** Due time of the earliest pending timer, or undefined. */
  get nextDue(): number | undefined {
    let best: number | undefined;
    for (const entry of this.scheduled.values()) if (best === undefined || entry.at < best) best = entry.at;
    return best;
  }

  /** Move the clock forward by `ms`, firing every timer that falls due on the way (also ones scheduled meanwhile). */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  advanceTo(end: number): void {
    for (;;) {
      let dueId: number | undefined;
      let due: Scheduled | undefined;
      for (const [id, entry] of this.scheduled) {
        if (entry.at <= end && (due === undefined || entry.at < due.at)) {
          dueId = id;
          due = entry;
        }
      }
      if (dueId === undefined || due === undefined) break;
      this.scheduled.delete(dueId);
      this.time = due.at;
      due.fn();
    }
    this.time = Math.max(this.time, end);
  }

  /**
   * Like advance(), for code that awaits between timers (a promise answered in a later turn):
   * before each due timer the event loop gets a turn, so what the last one started can settle.
   */
  async advanceSettling(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await new Promise((resolve) => setImmediate(resolve));
      const due = this.nextDue;
      if (due === undefined || due > end) break;
      this.advanceTo(due);
    }
    this.advanceTo(end);
  }
}
