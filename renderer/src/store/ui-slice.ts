/** Local UI state: which conversation or view is open, the left column's tab and filters, drafts, focus, "Chat with…". */
import { completeAddress, samePeer } from '../../../shared/domain/address.js';
import { draftKey } from './drafts.js';
import {
  addLocalNotice,
  dismissNotice as dismissNoticeIn,
  initialModel,
  selectConversation as selectConversationIn,
  upsertConversation,
} from './model.js';
import type { Slice, StoreDeps, UiSlice } from './store.js';

export const uiSlice =
  ({ api }: StoreDeps): Slice<UiSlice> =>
  (set, get) => ({
    selectedConversationId: initialModel.selectedConversationId,
    focused: initialModel.focused,
    draftPeer: null,
    drafts: {},
    savedDrafts: {},
    opening: false,
    panel: null,
    leftTab: 'chats',
    listFilter: '',
    contactSort: 'status',
    collapsedGroups: {},
    chatError: null,
    notices: initialModel.notices,
    selectConversation(conversationId) {
      if (conversationId !== get().selectedConversationId) get().stopTyping();
      // Choosing a conversation shows it, in place of the presence settings.
      const left = get().selectedConversationId;
      set((s) => {
        const next = selectConversationIn(s, conversationId);
        // Leaving a conversation cuts it back to its newest messages: its older pages can load again.
        const trimmed = left !== null && next.messages[left] !== s.messages[left];
        return {
          ...next,
          draftPeer: null,
          chatError: null,
          panel: null,
          ...(trimmed ? { historyComplete: { ...s.historyComplete, [left]: false } } : {}),
        };
      });
      // Look behind the snapshot's recent messages once, so "load earlier" only shows when there is more.
      if (conversationId && get().historyComplete[conversationId] === undefined) void get().loadOlder(conversationId);
    },
    async startChat(input) {
      const address = completeAddress(input, get().account?.aor);
      if (!address) {
        set({ chatError: 'Type an address like bob@example.org or sip:bob@192.0.2.7:5060' });
        return false;
      }
      set({ opening: true, chatError: null });
      const outcome = await api.openConversation({ to: address });
      set({ opening: false });
      if (outcome.ok) {
        set((s) => upsertConversation(s, outcome.value));
        get().selectConversation(outcome.value.id);
        return true;
      }
      // The core could not open it: a conversation we already hold with that peer, or the first
      // message (sendMessage to the address) still starts one.
      set((s) => addLocalNotice(s, 'warning', `Could not open the conversation with ${address}: ${outcome.error.message}`));
      const existing = Object.values(get().conversations).find((c) => samePeer(c.peer, address));
      if (existing) get().selectConversation(existing.id);
      else set({ selectedConversationId: null, draftPeer: address });
      return true;
    },
    setDraft(text) {
      const state = get();
      const key = draftKey(state);
      if (!key) return;
      set((s) => ({ drafts: { ...s.drafts, [key]: text } }));
      if (!state.selectedConversationId) return;
      if (text.trim() === '') state.stopTyping();
      else state.noteTyping(state.selectedConversationId);
    },
    async saveDraft(conversationId) {
      const text = get().drafts[conversationId] ?? '';
      if (text === (get().savedDrafts[conversationId] ?? '')) return;
      // Counted as saved at once, so a burst of flushes sends it once; a failure takes that back.
      set((s) => ({ savedDrafts: { ...s.savedDrafts, [conversationId]: text } }));
      const outcome = await api.saveDraft({ conversationId, text });
      if (outcome.ok) return;
      set((s) => {
        const { [conversationId]: _unsaved, ...savedDrafts } = s.savedDrafts;
        return addLocalNotice({ ...s, savedDrafts }, 'warning', `Could not keep the draft: ${outcome.error.message}`);
      });
    },
    async openConversationWindow(conversationId) {
      const outcome = await api.openConversationWindow({ conversationId });
      if (!outcome.ok) set((s) => addLocalNotice(s, 'warning', `Could not open a window for this conversation: ${outcome.error.message}`));
      return outcome.ok && outcome.value.opened;
    },
    setFocused(focused) {
      if (focused !== get().focused) set({ focused });
    },
    openPanel(panel) {
      // Every view opens with a clean account form.
      set({ panel, accountError: null, fieldErrors: {} });
    },
    closeMain() {
      if (get().panel !== null) get().openPanel(null);
      else get().selectConversation(null);
    },
    setLeftTab(leftTab) {
      set({ leftTab });
    },
    setListFilter(listFilter) {
      set({ listFilter });
    },
    setContactSort(contactSort) {
      set({ contactSort });
    },
    toggleGroup(groupId) {
      set((s) => {
        const collapsedGroups = { ...s.collapsedGroups };
        if (collapsedGroups[groupId]) delete collapsedGroups[groupId];
        else collapsedGroups[groupId] = true;
        return { collapsedGroups };
      });
    },
    dismissNotice(id) {
      set((s) => dismissNoticeIn(s, id));
    },
    clearChatError() {
      set({ chatError: null });
    },
  });
