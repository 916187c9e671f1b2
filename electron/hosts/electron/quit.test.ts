import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { createQuitGuard } from './quit.js';

describe('quit guard', () => {
  it('holds the quit while the core stops, then lets it through', async () => {
    let quits = 0;
    let stopped = false;
    const guard = createQuitGuard({
      stop: async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        stopped = true;
      },
      quit: () => void quits++,
      logger: silentLogger,
    });
    expect(guard.onBeforeQuit()).toBe(true);
    expect(guard.onBeforeQuit()).toBe(true);
    expect(guard.state).toBe('stopping');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(true);
    expect(quits).toBe(1);
    expect(guard.onBeforeQuit()).toBe(false);
  });

  it('does not wait forever for a stuck core, nor for a failing one', async () => {
    let quits = 0;
    const stuck = createQuitGuard({ stop: () => new Promise(() => {}), quit: () => void quits++, timeoutMs: 10, logger: silentLogger });
    stuck.onBeforeQuit();
    const failing = createQuitGuard({ stop: async () => { throw new Error('x'); }, quit: () => void quits++, logger: silentLogger });
    failing.onBeforeQuit();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(quits).toBe(2);
  });
});
