/** Time as the core sees it: injectable so schedules, back-off and expiry can be tested. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Settles when `work` settles or after `ms` on `clock`, whichever comes first (never rejects);
 * the timer is cleared either way. For leaving politely: wait for the last answers, but not forever.
 */
export async function waitAtMost(clock: Clock, work: Promise<unknown>, ms: number): Promise<void> {
  let timer: unknown;
  const timeout = new Promise<void>((resolve) => (timer = clock.setTimeout(resolve, ms)));
  try {
    await Promise.race([
      work.then(
        () => undefined,
        () => undefined,
      ),
      timeout,
    ]);
  } finally {
    clock.clearTimeout(timer);
  }
}
