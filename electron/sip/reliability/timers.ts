/** RFC 3261 §17.1.1.1 timer values, and a clock that tests can replace. */
export const T1 = 500;
export const T2 = 4000;
/** Timer F / B: how long a client transaction lives (64·T1). */
export const TRANSACTION_TIMEOUT = 64 * T1;

export interface TimerApi {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: TimerApi = {
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};
