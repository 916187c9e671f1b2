import { describe, expect, it } from 'vitest';
import { kindOf, modeFor } from './server-kind.js';

describe('what the presence probe says about the server', () => {
  it('a probe that came back means the server relays, whatever the final answer was', () => {
    expect(kindOf(true, 403)).toBe('relays');
    expect(kindOf(true, 200)).toBe('relays');
  });

  it('a server that answers the probe itself with 2xx is a presence agent; 489 means no presence at all', () => {
    expect(kindOf(false, 200)).toBe('presence-agent');
    expect(kindOf(false, 202)).toBe('presence-agent');
    expect(kindOf(false, 489)).toBe('neither');
  });

  it('no answer or another refusal tells nothing', () => {
    for (const status of [408, 503, 403, 404, 480, 500]) expect(kindOf(false, status)).toBe('unknown');
  });

  it('publishes only to a presence agent; an unknown answer keeps what was found last, else direct', () => {
    expect(modeFor('presence-agent', undefined)).toBe('server');
    expect(modeFor('relays', 'presence-agent')).toBe('direct');
    expect(modeFor('neither', undefined)).toBe('direct');
    expect(modeFor('unknown', 'presence-agent')).toBe('server');
    expect(modeFor('unknown', 'relays')).toBe('direct');
    expect(modeFor('unknown', undefined)).toBe('direct');
  });
});
