import { describe, expect, it } from 'vitest';
import { backoffDelay, JITTER_25, type Backoff } from './backoff.js';

const oneMinute: Backoff = { firstMs: 1000, capMs: 60_000, jitter: JITTER_25 };

describe('backoffDelay', () => {
  it('doubles from the first wait per retry with the random draw in the middle', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, oneMinute, mid))).toEqual([1000, 2000, 4000, 8000, 16000, 32000]);
  });

  it('stays within ±25 % of the nominal delay', () => {
    expect(backoffDelay(0, oneMinute, () => 0)).toBe(750);
    expect(backoffDelay(0, oneMinute, () => 0.999999)).toBe(1250);
    expect(backoffDelay(3, oneMinute, () => 0)).toBe(6000);
    expect(backoffDelay(3, oneMinute, () => 0.999999)).toBe(10000);
    for (let retry = 0; retry < 12; retry++) {
      const nominal = Math.min(60_000, 1000 * 2 ** retry);
      for (const r of [0, 0.1, 0.5, 0.9, 0.999]) {
        const delay = backoffDelay(retry, oneMinute, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(nominal * 0.75));
        expect(delay).toBeLessThanOrEqual(Math.ceil(nominal * 1.25));
      }
    }
  });

  it('caps the nominal delay, even for huge retry numbers', () => {
    expect(backoffDelay(6, oneMinute, () => 0.5)).toBe(60_000);
    expect(backoffDelay(50, oneMinute, () => 0.5)).toBe(60_000);
    expect(backoffDelay(5000, oneMinute, () => 0.5)).toBe(60_000);
    expect(backoffDelay(5000, oneMinute, () => 0)).toBe(45_000);
  });

  it('treats a negative retry as the first one, and honours other figures', () => {
    expect(backoffDelay(-3, oneMinute, () => 0.5)).toBe(1000);
    const short: Backoff = { firstMs: 100, capMs: 300, jitter: JITTER_25 };
    expect(backoffDelay(2, short, () => 0.5)).toBe(300);
    expect(backoffDelay(1, short, () => 0.5)).toBe(200);
  });

  it('spreads within any jitter range, e.g. 50-100 % that never passes the cap', () => {
    const belowCap: Backoff = { firstMs: 250, capMs: 10_000, jitter: [0.5, 1] };
    expect(backoffDelay(19, belowCap, () => 1)).toBe(10_000);
    expect(backoffDelay(19, belowCap, () => 0)).toBe(5000);
  });

  it('uses Math.random by default and returns whole milliseconds', () => {
    for (let i = 0; i < 50; i++) {
      const delay = backoffDelay(2, oneMinute);
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(3000);
      expect(delay).toBeLessThanOrEqual(5000);
    }
  });
});
