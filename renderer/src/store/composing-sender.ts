/**
 * When to tell the core that the user is typing (it sends isComposing, RFC 3994, when enabled).
 *
 *   idle ──typed──> active (setComposing active) ──typed, refreshMs later──> active (sent again)
 *     ▲                │
 *     └── stop: sent, blur, text emptied, idleMs without typing, another conversation ──┘ (setComposing inactive)
 *
 * Keystrokes in between send nothing: one active notice, refreshed well inside the receiver's
 * 15 s lapse, and one inactive notice at the end.
 */

export interface ComposingSenderOptions {
  send(conversationId: string, active: boolean): void;
  /** The user allows typing notifications (chat setting). */
  enabled(): boolean;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
  /** Re-send "active" at most this often while typing goes on. */
  refreshMs?: number;
  /** Typing that pauses this long counts as stopped. */
  idleMs?: number;
}

export const COMPOSING_REFRESH_MS = 10_000;
export const COMPOSING_IDLE_MS = 5_000;

export interface ComposingSender {
  typed(conversationId: string): void;
  stop(): void;
}

export function createComposingSender(options: ComposingSenderOptions): ComposingSender {
  const refreshMs = options.refreshMs ?? COMPOSING_REFRESH_MS;
  const idleMs = options.idleMs ?? COMPOSING_IDLE_MS;
  let active: string | null = null;
  let lastSentAt = 0;
  let idleTimer: unknown = null;

  function stop(): void {
    if (idleTimer !== null) options.clearTimer(idleTimer);
    idleTimer = null;
    if (active === null) return;
    const conversationId = active;
    active = null;
    options.send(conversationId, false);
  }

  function typed(conversationId: string): void {
    if (!options.enabled()) return stop();
    if (active !== null && active !== conversationId) stop();
    const now = options.now();
    if (active === null || now - lastSentAt >= refreshMs) {
      active = conversationId;
      lastSentAt = now;
      options.send(conversationId, true);
    }
    if (idleTimer !== null) options.clearTimer(idleTimer);
    idleTimer = options.setTimer(stop, idleMs);
  }

  return { typed, stop };
}
