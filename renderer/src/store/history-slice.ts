/** Search in history and export of a conversation. */
import type { ConversationExport, SearchHit } from '../../../shared/ipc.js';
import type { Slice, StoreDeps } from './store.js';

export interface SearchState {
  query: string;
  status: 'idle' | 'searching' | 'done' | 'failed';
  hits: SearchHit[];
  error: string | null;
}

export interface HistorySlice {
  search: SearchState;
  /** The message a search hit pointed at, shown highlighted in its conversation. */
  focusMessageId: string | null;
  exportError: string | null;
  searchHistory(query: string): Promise<void>;
  clearSearch(): void;
  /** Open the hit's conversation and bring the message into view (paging back for it if needed). */
  openSearchHit(hit: SearchHit): Promise<void>;
  /** The conversation as a file's content; null (with exportError set) when the core refused. */
  exportConversation(conversationId: string, format: 'text' | 'json'): Promise<ConversationExport | null>;
  /**
   * Save the conversation through the host's save dialog. False when the host has none (the browser
   * host): the caller offers a download instead. A refusal sets exportError and counts as handled.
   */
  saveConversationAs(conversationId: string, format: 'text' | 'json'): Promise<boolean>;
  /** Delete the conversation's messages (the core keeps those still on their way), then show what is left. */
  clearHistory(conversationId: string): Promise<boolean>;
}

const IDLE: SearchState = { query: '', status: 'idle', hits: [], error: null };

/** How many pages "open a search hit" may load to reach an old message. */
export const HIT_PAGES = 5;

export const historySlice =
  ({ api }: StoreDeps): Slice<HistorySlice> =>
  (set, get) => {
    // Answers to an older query must not overwrite a newer one's.
    let latest = 0;
    return {
      search: IDLE,
      focusMessageId: null,
      exportError: null,
      async searchHistory(query) {
        const text = query.trim();
        const mine = ++latest;
        if (!text) return set({ search: IDLE });
        set({ search: { query: text, status: 'searching', hits: [], error: null } });
        const outcome = await api.searchMessages({ query: text });
        if (mine !== latest) return;
        set({
          search: outcome.ok
            ? { query: text, status: 'done', hits: outcome.value, error: null }
            : { query: text, status: 'failed', hits: [], error: outcome.error.message },
        });
      },
      clearSearch() {
        latest++;
        set({ search: IDLE });
      },
      async openSearchHit(hit) {
        const { conversationId, id } = hit.message;
        if (!get().conversations[conversationId]) {
          set({ chatError: 'That conversation is not loaded yet; try again in a moment.' });
          return;
        }
        get().selectConversation(conversationId);
        set({ focusMessageId: id });
        for (let page = 0; page < HIT_PAGES; page++) {
          const s = get();
          if (s.messages[conversationId]?.some((m) => m.id === id) || s.historyComplete[conversationId]) return;
          await s.loadOlder(conversationId);
        }
      },
      async exportConversation(conversationId, format) {
        set({ exportError: null });
        const outcome = await api.exportConversation({ conversationId, format });
        if (outcome.ok) return outcome.value;
        set({ exportError: outcome.error.message });
        return null;
      },
      async saveConversationAs(conversationId, format) {
        set({ exportError: null });
        const outcome = await api.saveConversationAs({ conversationId, format });
        if (outcome.ok) return outcome.value.handled;
        set({ exportError: outcome.error.message });
        return true;
      },
      async clearHistory(conversationId) {
        set({ exportError: null });
        const cleared = await api.clearHistory({ conversationId });
        if (!cleared.ok) {
          set({ exportError: cleared.error.message });
          return false;
        }
        // What is left is what the core kept: read back rather than decided twice.
        const left = await api.getMessages({ conversationId, limit: 500 });
        set((s) => ({
          messages: { ...s.messages, [conversationId]: left.ok ? left.value : [] },
          historyComplete: { ...s.historyComplete, [conversationId]: true },
        }));
        return true;
      },
    };
  };
