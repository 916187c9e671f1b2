import { describe, expect, it } from 'vitest';
import { createComposingSender } from './composing-sender.js';
import { manualTime } from '../testing/manual-time.js';

function setup(enabled = true) {
  const time = manualTime();
  const sent: [string, boolean][] = [];
  let allowed = enabled;
  const sender = createComposingSender({
    ...time,
    enabled: () => allowed,
    send: (id, active) => sent.push([id, active]),
    refreshMs: 10_000,
    idleMs: 5_000,
  });
  return { time, sent, sender, allow: (value: boolean) => (allowed = value) };
}

describe('composing sender', () => {
  it('sends active once for a run of keystrokes, refreshed while typing goes on', () => {
    const { time, sent, sender } = setup();
    for (let i = 0; i < 12; i++) {
      sender.typed('c1');
      time.advance(1_000);
    }
    expect(sent).toEqual([
      ['c1', true],
      ['c1', true],
    ]);
  });

  it('sends inactive after a pause, on stop, and when typing moves to another conversation', () => {
    const { time, sent, sender } = setup();
    sender.typed('c1');
    time.advance(5_000);
    expect(sent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
    sender.typed('c1');
    sender.typed('c2');
    sender.stop();
    sender.stop();
    expect(sent.slice(2)).toEqual([
      ['c1', true],
      ['c1', false],
      ['c2', true],
      ['c2', false],
    ]);
  });

  it('sends nothing while the setting is off, and ends an active notice when it is turned off', () => {
    const { sent, sender, allow } = setup(false);
    sender.typed('c1');
    expect(sent).toEqual([]);
    allow(true);
    sender.typed('c1');
    allow(false);
    sender.typed('c1');
    expect(sent).toEqual([
      ['c1', true],
      ['c1', false],
    ]);
  });
});
