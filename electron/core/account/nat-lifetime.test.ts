/**
 * The learning rule on NATs of known binding lifetimes: each keep-alive's silence is judged as the
 * NAT would (held when shorter than its lifetime), and the interval must settle below the lifetime
 * after a few lapses, and stay there.
 */
import { describe, expect, it } from 'vitest';
import { INITIAL_MS, MAX_MS, MIN_MS, NatLifetime } from './nat-lifetime.js';

/** Runs `rounds` keep-alives against a NAT that keeps a binding `lifetimeMs`, silences at 80–100 % of the interval. */
function simulate(lifetimeMs: number, rounds: number) {
  const learner = new NatLifetime();
  let lapses = 0;
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const intervals: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const silence = learner.interval() * (0.8 + 0.2 * random());
    if (silence < lifetimeMs) learner.heldFor(silence);
    else {
      learner.lapsed(silence);
      lapses++;
    }
    intervals.push(learner.interval());
  }
  return { learner, lapses, intervals };
}

describe('NatLifetime', () => {
  it("starts at RFC 5626's 25 s", () => {
    expect(new NatLifetime().interval()).toBe(INITIAL_MS);
  });

  it.each([
    { lifetime: 20_000, maxLapses: 4 },
    { lifetime: 30_000, maxLapses: 5 },
    { lifetime: 120_000, maxLapses: 5 },
  ])('behind a $lifetime ms NAT: a few lapses, then settled just below the lifetime', ({ lifetime, maxLapses }) => {
    const { learner, lapses, intervals } = simulate(lifetime, 200);
    expect(lapses).toBeGreaterThan(0);
    expect(lapses).toBeLessThanOrEqual(maxLapses);
    const settled = learner.interval();
    expect(settled).toBeLessThan(lifetime);
    expect(settled).toBeGreaterThan(lifetime * 0.6);
    // The last hundred rounds: no more lapses, the interval no longer moves.
    expect(new Set(intervals.slice(-100)).size).toBe(1);
  });

  it('lengthens to the 5-minute bound behind a NAT that keeps bindings longer, without a lapse', () => {
    const { learner, lapses } = simulate(3_600_000, 100);
    expect(lapses).toBe(0);
    expect(learner.interval()).toBe(MAX_MS);
  });

  it('a NAT that starts forgetting sooner is followed down, never under the floor', () => {
    const learner = new NatLifetime();
    for (let i = 0; i < 10; i++) learner.heldFor(24_000);
    learner.lapsed(30_000);
    expect(learner.interval()).toBeLessThanOrEqual(24_000);
    learner.lapsed(9_000); // now even 9 s is too long: what held before says nothing any more
    expect(learner.interval()).toBe(MIN_MS);
    expect(learner.known.held).toBe(0);
  });
});
