import { describe, expect, it } from 'vitest';
import { parseSubscriptionState } from './subscription-state.js';

describe('Subscription-State', () => {
  it('reads the state and its parameters in any case and spacing', () => {
    expect(parseSubscriptionState('active;expires=600')).toEqual({ state: 'active', expires: 600 });
    expect(parseSubscriptionState(' Terminated ; Reason = Deactivated ')).toEqual({ state: 'terminated', reason: 'deactivated' });
    expect(parseSubscriptionState('pending;expires=30;retry-after=10')).toEqual({ state: 'pending', expires: 30, retryAfter: 10 });
  });

  it('has no expires when the notifier leaves it out (the 200 to SUBSCRIBE then decides)', () => {
    expect(parseSubscriptionState('active')).toEqual({ state: 'active' });
  });

  it('refuses a missing header and unknown states, and ignores parameters it cannot read', () => {
    expect(parseSubscriptionState(undefined)).toBeUndefined();
    expect(parseSubscriptionState('')).toBeUndefined();
    expect(parseSubscriptionState('sleeping;expires=5')).toBeUndefined();
    expect(parseSubscriptionState('active;expires=-3;reason=<b>;retry-after=abc')).toEqual({ state: 'active' });
  });

  it('caps absurd durations instead of overflowing timers', () => {
    expect(parseSubscriptionState('active;expires=4294967295')!.expires).toBe(7 * 24 * 3600);
  });
});
