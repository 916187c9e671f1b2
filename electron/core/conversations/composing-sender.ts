/**
 * isComposing (RFC 3994) towards peers, per conversation:
 *   idle ──setComposing(active)──> active: "active" sent (refresh 120 s)
 *   active ──setComposing(active), 90 s after the last one──> "active" sent again (the refresh)
 *   active ──setComposing(inactive), or 15 s without activity──> idle: "idle" sent
 *   active ──a message sent──> idle, nothing sent (the receiver ends composing on the message)
 * The UI reports activity; these timers only make sure a UI that went away cannot leave the
 * peer seeing "typing" for long.
 */
import type { Clock } from '../../support/clock.js';

/** Re-send "active" at most this often while activity goes on. */
export const COMPOSING_REFRESH_MS = 90_000;
/** The refresh interval we announce: beyond our own refresh, so the peer never lapses while we type. */
export const COMPOSING_ANNOUNCED_REFRESH_S = 120;
/** Without activity for this long, the user stopped (RFC 3994's default idle timeout). */
export const COMPOSING_IDLE_MS = 15_000;

export interface ComposingSenderDeps {
  clock: Clock;
  /** Send a notification for a conversation; false when it could not go (no endpoint, refused peer). */
  send(conversationId: string, active: boolean): boolean;
}

interface Active {
  lastSentAt: number;
  idleTimer: unknown;
}

export class ComposingSender {
  private readonly active = new Map<string, Active>();

  constructor(private readonly deps: ComposingSenderDeps) {}

  /** Activity (or its end) in a conversation; returns whether a notification went out now. */
  update(conversationId: string, active: boolean): boolean {
    const { clock } = this.deps;
    const current = this.active.get(conversationId);
    if (!active) {
      if (!current) return false;
      this.forget(conversationId);
      return this.deps.send(conversationId, false);
    }
    const now = clock.now();
    let sent = false;
    if (!current || now - current.lastSentAt >= COMPOSING_REFRESH_MS) {
      sent = this.deps.send(conversationId, true);
      if (!sent) {
        this.forget(conversationId);
        return false;
      }
    }
    if (current) clock.clearTimeout(current.idleTimer);
    this.active.set(conversationId, {
      lastSentAt: sent ? now : current!.lastSentAt,
      idleTimer: clock.setTimeout(() => this.update(conversationId, false), COMPOSING_IDLE_MS),
    });
    return sent;
  }

  /**
   * End without telling the peer: a message went out (the peer ends the composing state on it,
   * RFC 3994 §4), or the peer refused notifications.
   */
  endSilently(conversationId: string): void {
    this.forget(conversationId);
  }

  /** Stop everything; `sendIdle` tells the peers first (the setting was turned off). */
  stopAll(sendIdle: boolean): void {
    for (const conversationId of [...this.active.keys()]) {
      this.forget(conversationId);
      if (sendIdle) this.deps.send(conversationId, false);
    }
  }

  private forget(conversationId: string): void {
    const current = this.active.get(conversationId);
    if (current) this.deps.clock.clearTimeout(current.idleTimer);
    this.active.delete(conversationId);
  }
}
