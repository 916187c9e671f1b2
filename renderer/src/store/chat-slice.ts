/**
 * Chat actions: sending, paging back through history, the outbox (retry, cancel), read marks and
 * typing notifications. Every answer of the core goes through the pure helpers in model.ts.
 */
import { composerLimit } from './message-limit.js';
import type { ChatMessage } from '../../../shared/ipc.js';
import { createComposingSender } from './composing-sender.js';
import { draftKey } from './drafts.js';
import { utf8Length } from './format.js';
import {
  addLocalNotice,
  initialModel,
  markReadLocally,
  mergeHistory,
  mergeResultMessage,
  replaceMessage,
  selectConversation as selectConversationIn,
  setMessageState,
  upsertConversation,
} from './model.js';
import type { ChatSlice, Slice, StoreDeps } from './store.js';

/** How many older messages one "load earlier" asks for. */
export const HISTORY_PAGE = 100;

/** The getMessages request for the page before the oldest message held (by id: stable when times or orders tie). */
export function olderPageRequest(conversationId: string, oldest: ChatMessage | undefined, limit = HISTORY_PAGE) {
  return oldest ? { conversationId, beforeId: oldest.id, limit } : { conversationId, limit };
}

export const chatSlice =
  ({ api, now, setTimer, clearTimer }: StoreDeps): Slice<ChatSlice> =>
  (set, get) => {
    const composing = createComposingSender({
      now,
      setTimer,
      clearTimer,
      // Unknown settings (not loaded, or the core could not say): let the core decide.
      enabled: () => get().chatSettings?.sendComposing ?? true,
      send(conversationId, active) {
        void api.setComposing({ conversationId, active }).then((outcome) => {
          if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `Typing notifications: ${outcome.error.message}`));
        });
      },
    });
    // Read marks on their way to the core, so a burst of state changes sends one each.
    const marking = new Set<string>();
    // One page request per conversation at a time; a second caller waits for the same page.
    const loading = new Map<string, Promise<void>>();

    return {
      conversations: initialModel.conversations,
      messages: initialModel.messages,
      composing: initialModel.composing,
      sessionPeers: initialModel.sessionPeers,
      relayProblem: initialModel.relayProblem,
      historyComplete: {},
      historyLoading: {},
      async sendMessage() {
        const state = get();
        const key = draftKey(state);
        const body = key ? (state.drafts[key] ?? '') : '';
        if (!key || body.trim() === '') return;
        const limit = composerLimit(state);
        if (utf8Length(body) > limit) {
          set({ chatError: `This message is too long: at most ${limit / 1024} KiB can be sent.` });
          return;
        }
        const conversation = state.selectedConversationId ? state.conversations[state.selectedConversationId] : undefined;
        const to = conversation?.peer ?? state.draftPeer;
        if (!to) return;
        composing.stop();
        set({ drafts: { ...state.drafts, [key]: '' }, chatError: null });
        const outcome = await api.sendMessage(conversation ? { to, body, conversationId: conversation.id } : { to, body });
        if (!outcome.ok) {
          // Give the text back unless the person already typed something new.
          set((s) => ({ chatError: outcome.error.message, drafts: { ...s.drafts, [key]: s.drafts[key] || body } }));
          return;
        }
        set((s) => {
          let next = mergeResultMessage(s, outcome.value);
          if (!conversation && s.draftPeer === to && s.selectedConversationId === null) {
            const id = outcome.value.conversationId;
            next = selectConversationIn(next, id);
            const { [key]: _sent, ...drafts } = next.drafts;
            const fresh = (next.messages[id]?.length ?? 0) <= 1;
            next = {
              ...next,
              draftPeer: null,
              drafts,
              historyComplete: fresh ? { ...next.historyComplete, [id]: true } : next.historyComplete,
            };
          }
          return next;
        });
      },
      loadOlder(conversationId) {
        const running = loading.get(conversationId);
        if (running) return running;
        const state = get();
        if (state.historyComplete[conversationId]) return Promise.resolve();
        const oldest = state.messages[conversationId]?.[0];
        set((s) => ({ historyLoading: { ...s.historyLoading, [conversationId]: true } }));
        const page = api.getMessages(olderPageRequest(conversationId, oldest)).then((outcome) => {
          loading.delete(conversationId);
          set((s) => {
            const historyLoading = { ...s.historyLoading, [conversationId]: false };
            if (!outcome.ok) return { historyLoading, chatError: outcome.error.message };
            return {
              ...mergeHistory(s, conversationId, outcome.value),
              historyLoading,
              historyComplete: { ...s.historyComplete, [conversationId]: outcome.value.length < HISTORY_PAGE },
            };
          });
        });
        loading.set(conversationId, page);
        return page;
      },
      async retryMessage(message) {
        set({ chatError: null });
        const outcome = await api.retryMessage({ id: message.id });
        if (!outcome.ok) return set({ chatError: `Could not send it again: ${outcome.error.message}` });
        set((s) => replaceMessage(s, outcome.value));
      },
      async cancelMessage(message) {
        set({ chatError: null });
        const outcome = await api.cancelMessage({ id: message.id });
        if (!outcome.ok) return set({ chatError: `Could not cancel it: ${outcome.error.message}` });
        if (!outcome.value.cancelled) return set({ chatError: 'Too late to cancel: the message already went out.' });
        set((s) => setMessageState(s, message.conversationId, message.id, 'cancelled'));
      },
      async markRead(conversationId) {
        if (marking.has(conversationId)) return;
        marking.add(conversationId);
        const outcome = await api.markRead({ conversationId });
        marking.delete(conversationId);
        if (!outcome.ok) {
          // The screen still shows it read; the core keeps its count until it can take the mark.
          set((s) => addLocalNotice(markReadLocally(s, conversationId), 'warning', `Could not mark as read: ${outcome.error.message}`));
          return;
        }
        set((s) => {
          const current = s.conversations[conversationId];
          // A message that arrived while the mark was on its way is newer than this answer.
          if (current && current.lastActivity > outcome.value.lastActivity) return s;
          return upsertConversation(s, outcome.value);
        });
      },
      stopTyping() {
        composing.stop();
      },
      noteTyping(conversationId) {
        composing.typed(conversationId);
      },
    };
  };
