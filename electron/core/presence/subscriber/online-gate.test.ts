import { describe, expect, it } from 'vitest';
import { OnlineGate } from './online-gate.js';

describe('OnlineGate', () => {
  it('starts on the first reachable state, reconnects after each loss, ignores registration refreshes', () => {
    const gate = new OnlineGate();
    expect(gate.update('registering')).toBeUndefined();
    expect(gate.update('registered')).toBe('start');
    expect(gate.update('registered')).toBeUndefined();
    expect(gate.update('retrying')).toBeUndefined();
    expect(gate.update('registering')).toBeUndefined();
    expect(gate.update('registered')).toBe('reconnect');
    expect(gate.hasStarted).toBe(true);
  });

  it('takes direct mode as reachable when asked to, and starts over after reset', () => {
    const gate = new OnlineGate(new Set(['registered', 'direct']));
    expect(gate.update('direct')).toBe('start');
    gate.reset();
    expect(gate.hasStarted).toBe(false);
    expect(gate.update('direct')).toBe('start');
  });
});
