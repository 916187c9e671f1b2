import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../../sip/testing/fake-timers.js';
import { DueQueue, type DueOwner } from './due-queue.js';

function owner(log: string[], name: string, again?: (now: number) => number | undefined, queue?: () => DueQueue): DueOwner {
  const self: DueOwner = {
    wake: (now) => {
      log.push(`${name}@${now}`);
      const next = again?.(now);
      if (next !== undefined) queue!().schedule(self, next);
    },
  };
  return self;
}

describe('DueQueue', () => {
  it('wakes owners in time order with one clock timer, however many are scheduled', () => {
    const clock = new FakeTimers(0);
    const queue = new DueQueue(clock);
    const log: string[] = [];
    queue.schedule(owner(log, 'c'), 300);
    queue.schedule(owner(log, 'a'), 100);
    queue.schedule(owner(log, 'b'), 200);
    expect(clock.pending).toBe(1);
    clock.advance(1000);
    expect(log).toEqual(['a@100', 'b@200', 'c@300']);
  });

  it('a rescheduled owner wakes only at its new time; a cancelled one not at all', () => {
    const clock = new FakeTimers(0);
    const queue = new DueQueue(clock);
    const log: string[] = [];
    const moved = owner(log, 'moved');
    const gone = owner(log, 'gone');
    queue.schedule(moved, 100);
    queue.schedule(gone, 150);
    queue.schedule(moved, 500);
    queue.cancel(gone);
    clock.advance(1000);
    expect(log).toEqual(['moved@500']);
    expect(queue.size).toBe(0);
  });

  it('runs a burst of due work in batches, one batch per timer turn', () => {
    const timers = new FakeTimers(0);
    const log: string[] = [];
    const ranPerTurn: number[] = [];
    // A clock whose timer callbacks report how much work each turn did.
    const clock = {
      now: () => timers.now(),
      clearTimeout: (h: unknown) => timers.clearTimeout(h),
      setTimeout: (fn: () => void, ms: number) =>
        timers.setTimeout(() => {
          const before = log.length;
          fn();
          ranPerTurn.push(log.length - before);
        }, ms),
    };
    const queue = new DueQueue(clock, undefined, 10);
    for (let i = 0; i < 25; i++) queue.schedule(owner(log, `o${i}`), 0);
    timers.advance(0);
    expect(log).toHaveLength(25);
    expect(ranPerTurn).toEqual([10, 10, 5]);
  });

  it('an owner may schedule itself again from wake, and a throwing owner does not stop the others', () => {
    const clock = new FakeTimers(0);
    const errors: unknown[] = [];
    const queue = new DueQueue(clock, (e) => errors.push(e));
    const log: string[] = [];
    queue.schedule(
      owner(
        log,
        'tick',
        (now) => (now < 300 ? now + 100 : undefined),
        () => queue,
      ),
      100,
    );
    queue.schedule(
      {
        wake: () => {
          throw new Error('boom');
        },
      },
      150,
    );
    clock.advance(1000);
    expect(log).toEqual(['tick@100', 'tick@200', 'tick@300']);
    expect(errors).toHaveLength(1);
  });

  it('keeps the heap small when the same owners are rescheduled many times', () => {
    const clock = new FakeTimers(0);
    const queue = new DueQueue(clock);
    const owners = Array.from({ length: 10 }, (_, i) => owner([], `o${i}`));
    for (let round = 0; round < 2000; round++) for (const o of owners) queue.schedule(o, 1000 + round);
    expect((queue as unknown as { heap: unknown[] }).heap.length).toBeLessThan(1100);
    expect(queue.size).toBe(10);
  });
});
