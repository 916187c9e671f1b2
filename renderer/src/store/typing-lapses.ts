/**
 * Ends a peer's "is typing" indication when no news came within its lapse time (the event's
 * refreshMs, else 15 s): one timer per conversation, restarted by every newer composing event.
 */
import { lapseComposing } from './model.js';
import type { AppStore, StoreDeps } from './store.js';

export function watchTypingLapses(store: AppStore, timers: Pick<StoreDeps, 'setTimer' | 'clearTimer'>): () => void {
  const running = new Map<string, { seq: number; handle: unknown }>();
  const sync = () => {
    const composing = store.getState().composing;
    for (const [conversationId, timer] of running) {
      if (composing[conversationId]?.seq === timer.seq) continue;
      timers.clearTimer(timer.handle);
      running.delete(conversationId);
    }
    for (const [conversationId, typing] of Object.entries(composing)) {
      if (running.has(conversationId)) continue;
      const handle = timers.setTimer(() => {
        running.delete(conversationId);
        store.setState((s) => lapseComposing(s, conversationId, typing.seq));
      }, typing.lapseMs);
      running.set(conversationId, { seq: typing.seq, handle });
    }
  };
  const unsubscribe = store.subscribe(sync);
  sync();
  return () => {
    unsubscribe();
    for (const timer of running.values()) timers.clearTimer(timer.handle);
    running.clear();
  };
}
