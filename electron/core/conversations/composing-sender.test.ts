import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../sip/testing/fake-timers.js';
import { COMPOSING_IDLE_MS, COMPOSING_REFRESH_MS, ComposingSender } from './composing-sender.js';

function harness(canSend = true) {
  const clock = new FakeTimers(1_000_000);
  const sent: [string, boolean][] = [];
  const sender = new ComposingSender({ clock, send: (id, active) => (sent.push([id, active]), canSend) });
  return { clock, sent, sender };
}

describe('ComposingSender', () => {
  it('sends active once, refreshes after 90 s of continued activity, and idle when told', () => {
    const h = harness();
    expect(h.sender.update('c1', true)).toBe(true);
    h.clock.advance(10_000);
    expect(h.sender.update('c1', true)).toBe(false);
    for (let t = 0; t < COMPOSING_REFRESH_MS; t += 10_000) {
      h.clock.advance(10_000);
      h.sender.update('c1', true);
    }
    expect(h.sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
    expect(h.sender.update('c1', false)).toBe(true);
    expect(h.sender.update('c1', false)).toBe(false);
    expect(h.sent.at(-1)).toEqual(['c1', false]);
  });

  it('goes idle by itself 15 s after the last activity', () => {
    const h = harness();
    h.sender.update('c1', true);
    h.clock.advance(COMPOSING_IDLE_MS - 1);
    expect(h.sent).toEqual([['c1', true]]);
    h.clock.advance(1);
    expect(h.sent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    expect(h.clock.pending).toBe(0);
  });

  it('a sent message ends composing without an idle notification', () => {
    const h = harness();
    h.sender.update('c1', true);
    h.sender.endSilently('c1');
    h.clock.advance(COMPOSING_IDLE_MS * 2);
    expect(h.sent).toEqual([['c1', true]]);
  });

  it('stopAll tells the peers when asked to, and leaves no timer behind', () => {
    const h = harness();
    h.sender.update('c1', true);
    h.sender.update('c2', true);
    h.sender.stopAll(true);
    expect(h.sent.slice(2)).toEqual([
      ['c1', false],
      ['c2', false],
    ]);
    expect(h.clock.pending).toBe(0);
  });

  it('when a notification cannot go, nothing is remembered as active', () => {
    const h = harness(false);
    expect(h.sender.update('c1', true)).toBe(false);
    expect(h.clock.pending).toBe(0);
    expect(h.sender.update('c1', false)).toBe(false);
  });
});
