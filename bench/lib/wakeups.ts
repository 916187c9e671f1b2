/**
 * Counts what wakes this process's main event loop, for bench/idle.ts: every callback a timer, an
 * immediate or an I/O handle runs, by async resource type (Timeout, Immediate, UDPWRAP, TCPWRAP,
 * TLSWRAP, ...), counted by node:async_hooks as it is about to run. Promise continuations are not
 * wake-ups (they run inside one) and are not followed, which also keeps the hook cheap.
 *
 * Install it before the core exists: a resource's type is known only to a hook that saw it made
 * (a timer armed before would be counted as "unknown").
 */
import { createHook } from 'node:async_hooks';

export class WakeupCounter {
  private readonly types = new Map<number, string>();
  private counts = new Map<string, number>();
  private counting = false;

  constructor() {
    createHook({
      init: (id, type) => {
        if (type !== 'PROMISE') this.types.set(id, type);
      },
      before: (id) => {
        if (!this.counting) return;
        const type = this.types.get(id);
        if (type !== undefined) this.counts.set(type, (this.counts.get(type) ?? 0) + 1);
      },
      destroy: (id) => {
        this.types.delete(id);
      },
    }).enable();
  }

  start(): void {
    this.counts = new Map();
    this.counting = true;
  }

  /** Callbacks run since start(), by resource type. */
  stop(): Record<string, number> {
    this.counting = false;
    return Object.fromEntries([...this.counts].sort((a, b) => b[1] - a[1]));
  }
}
