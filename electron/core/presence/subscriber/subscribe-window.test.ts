import { describe, expect, it } from 'vitest';
import { SubscribeWindow, type WindowClient } from './subscribe-window.js';

/** A client that records when it got its slot and, if told to, gives it back at once. */
function client(log: string[], name: string, leaveAt?: () => SubscribeWindow): WindowClient {
  return {
    proceed: () => {
      log.push(name);
      leaveAt?.().leave();
    },
  };
}

describe('SubscribeWindow', () => {
  it('lets `size` in at once and queues the rest, first come first served', () => {
    const window = new SubscribeWindow(2);
    const log: string[] = [];
    expect(window.enter(client(log, 'a'))).toBe(true);
    expect(window.enter(client(log, 'b'))).toBe(true);
    expect(window.enter(client(log, 'c'))).toBe(false);
    expect(window.enter(client(log, 'd'))).toBe(false);
    expect(window.inUse).toBe(2);
    expect(window.queued).toBe(2);
    window.leave();
    expect(log).toEqual(['c']);
    window.leave();
    expect(log).toEqual(['c', 'd']);
    expect(window.inUse).toBe(2);
    expect(window.queued).toBe(0);
  });

  it('does not let a newcomer pass the queue while others wait', () => {
    const window = new SubscribeWindow(1);
    const log: string[] = [];
    window.enter(client(log, 'a'));
    window.enter(client(log, 'b'));
    window.leave(); // b takes the slot
    expect(window.enter(client(log, 'late'))).toBe(false);
    expect(log).toEqual(['b']);
  });

  it('a withdrawn client is not called; a client that leaves at once passes its slot on', () => {
    const window = new SubscribeWindow(1);
    const log: string[] = [];
    window.enter(client(log, 'a'));
    const gone = client(log, 'gone');
    window.enter(gone);
    window.enter(client(log, 'quick', () => window));
    window.enter(client(log, 'last'));
    window.withdraw(gone);
    window.leave();
    expect(log).toEqual(['quick', 'last']);
    expect(window.inUse).toBe(1);
    expect(window.queued).toBe(0);
  });

  it('never counts below zero when a slot is given back too often', () => {
    const window = new SubscribeWindow(1);
    window.leave();
    window.leave();
    expect(window.inUse).toBe(0);
    expect(window.enter(client([], 'a'))).toBe(true);
    expect(window.enter(client([], 'b'))).toBe(false);
  });
});
