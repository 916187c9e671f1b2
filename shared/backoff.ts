/**
 * The one jittered exponential back-off. Callers keep their own figures (how soon, how long at
 * most, how much spread) and their own timers; this only says how long to wait. Pure, so the
 * renderer and the core share it.
 */

export interface Backoff {
  /** The wait before the first retry. */
  firstMs: number;
  /** No nominal wait grows past this, however many retries. */
  capMs: number;
  /**
   * The nominal wait is multiplied by a random factor in [low, high]: clients that lost the same
   * server at the same moment then come back spread out instead of in step.
   */
  jitter: readonly [low: number, high: number];
}

/** ±25 % around the nominal wait. */
export const JITTER_25: Backoff['jitter'] = [0.75, 1.25];

/**
 * Milliseconds to wait before retry number `retry` (0 for the first): firstMs doubled per retry up
 * to capMs, then jittered, in whole milliseconds. A negative `retry` counts as the first.
 */
export function backoffDelay(retry: number, backoff: Backoff, random: () => number = Math.random): number {
  const nominal = Math.min(backoff.capMs, backoff.firstMs * 2 ** Math.max(0, retry));
  const [low, high] = backoff.jitter;
  return Math.round(nominal * (low + random() * (high - low)));
}
