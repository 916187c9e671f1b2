import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../../sip/testing/fake-timers.js';
import { TurnBatches } from './turn-batches.js';

/** `count` items handled by a TurnBatches of `batch`; records how many each turn handled. */
function drain(clock: FakeTimers, count: number, batch: number) {
  const items = Array.from({ length: count }, (_, i) => i);
  const turns: number[] = [];
  const batches = new TurnBatches(clock, batch, (budget) => {
    turns.push(items.splice(0, budget).length);
    return items.length > 0;
  });
  return { batches, turns, items };
}

describe('TurnBatches', () => {
  it('does the work a batch per turn after the delay, each turn on its own timer', () => {
    const clock = new FakeTimers(0);
    let timers = 0;
    const counted = {
      setTimeout: (fn: () => void, ms: number) => (timers++, clock.setTimeout(fn, ms)),
      clearTimeout: (h: unknown) => clock.clearTimeout(h),
    };
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const turns: number[] = [];
    const batches = new TurnBatches(counted, 250, (budget) => {
      turns.push(items.splice(0, budget).length);
      return items.length > 0;
    });
    batches.schedule(100);
    clock.advance(99);
    expect(turns).toEqual([]);
    clock.advance(1); // FakeTimers also fires the 0 ms timers each turn sets for the next
    expect(turns).toEqual([250, 250, 250, 250]);
    expect(timers).toBe(4); // one timer callback (one event-loop turn) per batch
    expect(clock.now()).toBe(100);
    expect(clock.pending).toBe(0);
  });

  it('scheduling again while armed keeps the one timer and its time', () => {
    const clock = new FakeTimers(0);
    const { batches, turns } = drain(clock, 10, 250);
    batches.schedule(100);
    clock.advance(50);
    batches.schedule(100);
    expect(clock.pending).toBe(1);
    clock.advance(50);
    expect(turns).toEqual([10]);
  });

  it('cancel stops what is left; a later schedule goes on from there', () => {
    const clock = new FakeTimers(0);
    const { batches, turns, items } = drain(clock, 600, 250);
    batches.schedule(10);
    batches.cancel();
    clock.advance(1000);
    expect(turns).toEqual([]);
    expect(items.length).toBe(600);
    batches.schedule(0);
    clock.advance(0);
    expect(turns).toEqual([250, 250, 100]);
    expect(clock.pending).toBe(0);
  });
});
