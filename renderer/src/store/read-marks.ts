/**
 * Marks the conversation being read (open in a focused window) read in the core whenever it has
 * unread messages: on selection, when focus returns, and when a message arrives while reading.
 */
import { readMarkDue } from './selectors.js';
import type { AppStore } from './store.js';

export function watchReadMarks(store: AppStore): () => void {
  // The state last asked about, so an answer that changes nothing does not ask again in a loop.
  let asked: string | null = null;
  const check = () => {
    const state = store.getState();
    const id = readMarkDue(state);
    if (!id) {
      asked = null;
      return;
    }
    const conversation = state.conversations[id]!;
    const key = `${id}\n${conversation.unread}\n${conversation.lastActivity}`;
    if (key === asked) return;
    asked = key;
    void state.markRead(id);
  };
  const unsubscribe = store.subscribe(check);
  check();
  return unsubscribe;
}
