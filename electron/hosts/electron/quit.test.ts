import { afterEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../support/logger.js';
import { createQuitGuard } from './quit.js';

/** A quit callback with a promise that settles when it is called: the milestone tests wait for. */
function quitSpy() {
  let calls = 0;
  let resolveFirst: () => void = () => {};
  const first = new Promise<void>((resolve) => (resolveFirst = resolve));
  return {
    quit: () => {
      calls++;
      resolveFirst();
    },
    first,
    get calls() {
      return calls;
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('quit guard', () => {
  it('holds the quit while the core stops, then lets it through', async () => {
    const quit = quitSpy();
    let finishStop: () => void = () => {};
    let stopped = false;
    const guard = createQuitGuard({
      stop: () =>
        new Promise<void>((resolve) => {
          finishStop = () => {
            stopped = true;
            resolve();
          };
        }),
      quit: quit.quit,
      logger: silentLogger,
    });
    expect(guard.onBeforeQuit()).toBe(true);
    expect(guard.onBeforeQuit()).toBe(true);
    expect(guard.state).toBe('stopping');
    await Promise.resolve();
    expect(quit.calls).toBe(0); // the core has not stopped yet
    finishStop();
    await quit.first;
    expect(stopped).toBe(true);
    expect(quit.calls).toBe(1);
    expect(guard.onBeforeQuit()).toBe(false);
  });

  it('does not wait forever for a stuck core', async () => {
    vi.useFakeTimers();
    const quit = quitSpy();
    const stuck = createQuitGuard({ stop: () => new Promise(() => {}), quit: quit.quit, timeoutMs: 10, logger: silentLogger });
    stuck.onBeforeQuit();
    await vi.advanceTimersByTimeAsync(9);
    expect(quit.calls).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(quit.calls).toBe(1);
  });

  it('nor for a failing one', async () => {
    const quit = quitSpy();
    const failing = createQuitGuard({
      stop: async () => {
        throw new Error('x');
      },
      quit: quit.quit,
      logger: silentLogger,
    });
    failing.onBeforeQuit();
    await quit.first;
    expect(quit.calls).toBe(1);
    expect(failing.state).toBe('done');
  });
});
