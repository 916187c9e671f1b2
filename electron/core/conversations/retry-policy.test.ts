import { describe, expect, it } from 'vitest';
import { isTransient, sendRetryDelay } from './retry-policy.js';

describe('retry policy', () => {
  it('retries timeouts, unreachable peers and server or transport errors by itself, nothing else', () => {
    expect([408, 480, 482, 500, 503, 504].every(isTransient)).toBe(true);
    expect([undefined, 0, 200, 401, 403, 404, 415, 486, 603].some(isTransient)).toBe(false);
  });

  it('waits longer after each failure, within ±25 %, up to 30 s', () => {
    expect(sendRetryDelay(1, () => 0.5)).toBe(1000);
    expect(sendRetryDelay(3, () => 0.5)).toBe(4000);
    expect(sendRetryDelay(20, () => 0.5)).toBe(30_000);
    expect(sendRetryDelay(2, () => 0)).toBe(1500);
    expect(sendRetryDelay(2, () => 1)).toBe(2500);
  });
});
