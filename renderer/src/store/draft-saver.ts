/**
 * Keeps composer drafts in the core (saveDraft) so they survive a restart: a draft is saved once
 * typing pauses for DRAFT_SAVE_DELAY_MS, and at once when the user switches conversation or the
 * window loses focus (the moments an app is most likely to be closed).
 */
import { unsavedDrafts } from './drafts.js';
import type { AppStore, StoreDeps } from './store.js';

export const DRAFT_SAVE_DELAY_MS = 500;

export function watchDrafts(
  store: AppStore,
  timers: Pick<StoreDeps, 'setTimer' | 'clearTimer'>,
  delayMs = DRAFT_SAVE_DELAY_MS,
): () => void {
  let timer: unknown = null;
  const flush = () => {
    if (timer !== null) timers.clearTimer(timer);
    timer = null;
    const state = store.getState();
    for (const id of unsavedDrafts(state.drafts, state.savedDrafts, state.conversations)) void state.saveDraft(id);
  };
  const unsubscribe = store.subscribe((state, previous) => {
    const leaving = state.selectedConversationId !== previous.selectedConversationId || (previous.focused && !state.focused);
    if (leaving) return flush();
    if (state.drafts === previous.drafts) return;
    if (timer !== null) timers.clearTimer(timer);
    timer = timers.setTimer(flush, delayMs);
  });
  return () => {
    if (timer !== null) timers.clearTimer(timer);
    unsubscribe();
  };
}
