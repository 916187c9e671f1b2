import { describe, expect, it } from 'vitest';
import { SubscribePacing, type PacedClient } from './subscribe-pacing.js';

/** A client that records when it got its slot and, if told to, gives it back at once. */
function client(log: string[], name: string, leaveAt?: () => SubscribePacing): PacedClient {
  return {
    proceed: () => {
      log.push(name);
      leaveAt?.().leave();
    },
  };
}

describe('SubscribePacing', () => {
  it('lets `size` in at once and queues the rest, first come first served', () => {
    const pacing = new SubscribePacing(2);
    const log: string[] = [];
    expect(pacing.enter(client(log, 'a'))).toBe(true);
    expect(pacing.enter(client(log, 'b'))).toBe(true);
    expect(pacing.enter(client(log, 'c'))).toBe(false);
    expect(pacing.enter(client(log, 'd'))).toBe(false);
    expect(pacing.inUse).toBe(2);
    expect(pacing.queued).toBe(2);
    pacing.leave();
    expect(log).toEqual(['c']);
    pacing.leave();
    expect(log).toEqual(['c', 'd']);
    expect(pacing.inUse).toBe(2);
    expect(pacing.queued).toBe(0);
  });

  it('does not let a newcomer pass the queue while others wait', () => {
    const pacing = new SubscribePacing(1);
    const log: string[] = [];
    pacing.enter(client(log, 'a'));
    pacing.enter(client(log, 'b'));
    pacing.leave(); // b takes the slot
    expect(pacing.enter(client(log, 'late'))).toBe(false);
    expect(log).toEqual(['b']);
  });

  it('a withdrawn client is not called; a client that leaves at once passes its slot on', () => {
    const pacing = new SubscribePacing(1);
    const log: string[] = [];
    pacing.enter(client(log, 'a'));
    const gone = client(log, 'gone');
    pacing.enter(gone);
    pacing.enter(client(log, 'quick', () => pacing));
    pacing.enter(client(log, 'last'));
    pacing.withdraw(gone);
    pacing.leave();
    expect(log).toEqual(['quick', 'last']);
    expect(pacing.inUse).toBe(1);
    expect(pacing.queued).toBe(0);
  });

  it('never counts below zero when a slot is given back too often', () => {
    const pacing = new SubscribePacing(1);
    pacing.leave();
    pacing.leave();
    expect(pacing.inUse).toBe(0);
    expect(pacing.enter(client([], 'a'))).toBe(true);
    expect(pacing.enter(client([], 'b'))).toBe(false);
  });
});
