import { describe, expect, it } from 'vitest';
import { OfferPolicy, REST_AFTER_FAILURE_MS, REST_AFTER_GLARE_MS } from './offer-policy.js';

function setup() {
  const stored = new Map<string, unknown>();
  const settings = {
    get: <T>(key: string) => stored.get(key) as T | undefined,
    set: (key: string, value: unknown) => void stored.set(key, value),
  };
  let now = 1_000_000;
  const clock = { now: () => now, setTimeout: () => 0, clearTimeout: () => {} };
  return { policy: new OfferPolicy(settings, clock), stored, later: (ms: number) => (now += ms) };
}

describe('when Parley offers a session', () => {
  it.each([415, 488, 606, 405, 501, 408, 0])('a peer that answered %i is never offered again, across restarts (settings)', (status) => {
    const { policy, stored } = setup();
    expect(policy.mayOffer('sip:bob@x')).toBe(true);
    policy.offerFailed('sip:bob@x', status);
    expect(policy.mayOffer('sip:bob@x')).toBe(false);
    expect(stored.get('chat.sessionRefused:sip:bob@x')).toBe(true);
    expect(policy.mayOffer('sip:carol@x')).toBe(true);
  });

  it.each([480, 404, 486, 503])('a peer that answered %i rests, then is offered again', (status) => {
    const { policy, later, stored } = setup();
    policy.offerFailed('sip:bob@x', status);
    expect(policy.mayOffer('sip:bob@x')).toBe(false);
    later(REST_AFTER_FAILURE_MS - 1);
    expect(policy.mayOffer('sip:bob@x')).toBe(false);
    later(1);
    expect(policy.mayOffer('sip:bob@x')).toBe(true);
    expect(stored.size).toBe(0);
  });

  it('after glare (491) only a short rest; after a session ended, the long one', () => {
    const { policy, later } = setup();
    policy.offerFailed('sip:bob@x', 491);
    later(REST_AFTER_GLARE_MS);
    expect(policy.mayOffer('sip:bob@x')).toBe(true);
    policy.ended('sip:bob@x');
    later(REST_AFTER_GLARE_MS);
    expect(policy.mayOffer('sip:bob@x')).toBe(false);
  });
});
