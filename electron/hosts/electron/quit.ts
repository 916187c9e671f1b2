/**
 * Quitting in order: the first quit request is held back while the core stops (unregister,
 * unpublish, close sockets and storage), then the quit goes through. A core that does not stop
 * in time does not keep the app alive.
 *
 *   running ──quit requested──> stopping ──core.stop() settled or timed out──> done ──> quit()
 */
import type { Logger } from '../../support/logger.js';

export interface QuitGuard {
  /**
   * Call from before-quit. Returns true when the quit must be held back (call
   * event.preventDefault()); the guard calls `quit` again once the core has stopped.
   */
  onBeforeQuit(): boolean;
  readonly state: 'running' | 'stopping' | 'done';
}

export function createQuitGuard(options: { stop: () => Promise<void>; quit: () => void; timeoutMs?: number; logger: Logger }): QuitGuard {
  let state: QuitGuard['state'] = 'running';
  const timeoutMs = options.timeoutMs ?? 5000;
  return {
    get state() {
      return state;
    },
    onBeforeQuit() {
      if (state === 'done') return false;
      if (state === 'stopping') return true;
      state = 'stopping';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          options.logger.warn('quit: the core did not stop in time; quitting anyway', { timeoutMs });
          resolve();
        }, timeoutMs);
      });
      const stopped = (async () => {
        try {
          await options.stop();
        } catch (error) {
          options.logger.error('quit: stopping the core failed', { error });
        }
      })();
      void Promise.race([stopped, timeout]).then(() => {
        clearTimeout(timer);
        state = 'done';
        options.quit();
      });
      return true;
    },
  };
}
