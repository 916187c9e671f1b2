/**
 * One zustand store in four slices. The core's truth arrives as a snapshot and events (see sync.ts)
 * and goes through the pure reducer in model.ts; the actions here are the only place the UI calls
 * the core. Components select state and call actions; they hold no business logic.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { AccountView, ChatMessage, Conversation, ListeningAddress, RegistrationState } from '../../../shared/ipc.js';
import type { ConnectionStatus, ParleyClient } from '../api.js';
import { buildAccount, type AccountFormValues, type FieldErrors } from './account-form.js';
import { completeAddress, samePeer } from '../../../shared/domain/address.js';
import { utf8Length } from './format.js';
import {
  dismissNotice as dismissNoticeIn,
  initialModel,
  mergeHistory,
  mergeResultMessage,
  selectConversation as selectConversationIn,
  type Notice,
} from './model.js';
import { MAX_MESSAGE_BYTES } from '../../../shared/ipc.js';

/** How many older messages one "load earlier" asks for. */
export const HISTORY_PAGE = 100;

export interface ConnectionSlice {
  connection: ConnectionStatus;
  /** The first snapshot has arrived; before that the UI shows a loading state. */
  snapshotLoaded: boolean;
  loadError: string | null;
  seq: number;
  reconnectNow(): void;
}

export interface AccountSlice {
  account: AccountView | null;
  registration: RegistrationState;
  listening: ListeningAddress[];
  accountBusy: boolean;
  accountError: string | null;
  fieldErrors: FieldErrors;
  /** Save the form (the core then registers when a proxy is set). Resolves true when the core took it. */
  saveAccount(values: AccountFormValues): Promise<boolean>;
  register(): Promise<void>;
  unregister(): Promise<void>;
}

export interface ChatSlice {
  conversations: Record<string, Conversation>;
  messages: Record<string, ChatMessage[]>;
  /** Conversations whose whole stored history is loaded. */
  historyComplete: Record<string, boolean>;
  historyLoading: Record<string, boolean>;
  /** Send the composer's text to the open conversation (or the new-chat address). */
  sendMessage(): Promise<void>;
  loadOlder(conversationId: string): Promise<void>;
}

export interface UiSlice {
  selectedConversationId: string | null;
  /** A new chat not yet started: the address typed, waiting for its first message. */
  draftPeer: string | null;
  /** Composer text per conversation id (or `new:<address>`). */
  drafts: Record<string, string>;
  editingAccount: boolean;
  chatError: string | null;
  notices: Notice[];
  selectConversation(conversationId: string | null): void;
  /** Open the conversation with this address, or prepare a new one. Returns false if unusable. */
  startChat(input: string): boolean;
  setDraft(text: string): void;
  editAccount(editing: boolean): void;
  dismissNotice(id: number): void;
  clearChatError(): void;
}

export type AppState = ConnectionSlice & AccountSlice & ChatSlice & UiSlice;
export type AppStore = StoreApi<AppState>;

type Slice<T> = StateCreator<AppState, [], [], T>;

/** The key of the composer draft for the current target. */
export function draftKey(state: Pick<AppState, 'selectedConversationId' | 'draftPeer'>): string | null {
  if (state.selectedConversationId) return state.selectedConversationId;
  if (state.draftPeer) return `new:${state.draftPeer}`;
  return null;
}

const connectionSlice =
  (api: ParleyClient): Slice<ConnectionSlice> =>
  () => ({
    connection: api.connection(),
    snapshotLoaded: false,
    loadError: null,
    seq: initialModel.seq,
    reconnectNow: () => api.reconnectNow(),
  });

const accountSlice =
  (api: ParleyClient): Slice<AccountSlice> =>
  (set, get) => ({
    account: initialModel.account,
    registration: initialModel.registration,
    listening: initialModel.listening,
    accountBusy: false,
    accountError: null,
    fieldErrors: {},
    async saveAccount(values) {
      const built = buildAccount(values, get().account);
      if (!built.ok) {
        set({ fieldErrors: built.fieldErrors, accountError: null });
        return false;
      }
      set({ accountBusy: true, accountError: null, fieldErrors: {} });
      const saved = await api.setAccount(
        built.password === undefined ? { account: built.account } : { account: built.account, password: built.password },
      );
      if (!saved.ok) {
        set({ accountBusy: false, accountError: saved.error.message });
        return false;
      }
      // The core applies the account at once: it listens, and registers when there is a proxy.
      // Calling register() here as well would send a second REGISTER.
      set({ account: saved.value, editingAccount: false, accountBusy: false });
      return true;
    },
    async register() {
      set({ accountError: null });
      const outcome = await api.register({});
      if (!outcome.ok) set({ accountError: outcome.error.message });
    },
    async unregister() {
      set({ accountError: null });
      const outcome = await api.unregister({});
      if (!outcome.ok) set({ accountError: outcome.error.message });
    },
  });

const chatSlice =
  (api: ParleyClient): Slice<ChatSlice> =>
  (set, get) => ({
    conversations: initialModel.conversations,
    messages: initialModel.messages,
    historyComplete: {},
    historyLoading: {},
    async sendMessage() {
      const state = get();
      const key = draftKey(state);
      const body = key ? (state.drafts[key] ?? '') : '';
      if (!key || body.trim() === '') return;
      if (utf8Length(body) > MAX_MESSAGE_BYTES) {
        set({ chatError: `This message is too long: at most ${MAX_MESSAGE_BYTES / 1024} KiB can be sent.` });
        return;
      }
      const conversation = state.selectedConversationId ? state.conversations[state.selectedConversationId] : undefined;
      const to = conversation?.peer ?? state.draftPeer;
      if (!to) return;
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
    async loadOlder(conversationId) {
      const state = get();
      if (state.historyLoading[conversationId] || state.historyComplete[conversationId]) return;
      const oldest = state.messages[conversationId]?.[0];
      set((s) => ({ historyLoading: { ...s.historyLoading, [conversationId]: true } }));
      const outcome = await api.getMessages(
        oldest ? { conversationId, beforeAt: oldest.at, limit: HISTORY_PAGE } : { conversationId, limit: HISTORY_PAGE },
      );
      set((s) => {
        const historyLoading = { ...s.historyLoading, [conversationId]: false };
        if (!outcome.ok) return { historyLoading, chatError: outcome.error.message };
        return {
          ...mergeHistory(s, conversationId, outcome.value),
          historyLoading,
          historyComplete: { ...s.historyComplete, [conversationId]: outcome.value.length < HISTORY_PAGE },
        };
      });
    },
  });

const uiSlice: Slice<UiSlice> = (set, get) => ({
  selectedConversationId: initialModel.selectedConversationId,
  draftPeer: null,
  drafts: {},
  editingAccount: false,
  chatError: null,
  notices: initialModel.notices,
  selectConversation(conversationId) {
    set((s) => ({ ...selectConversationIn(s, conversationId), draftPeer: null, chatError: null }));
    // Look behind the snapshot's recent messages once, so "load earlier" only shows when there is more.
    if (conversationId && get().historyComplete[conversationId] === undefined) void get().loadOlder(conversationId);
  },
  startChat(input) {
    const state = get();
    const address = completeAddress(input, state.account?.aor);
    if (!address) {
      set({ chatError: 'Type an address like bob@example.org or sip:bob@192.0.2.7:5060' });
      return false;
    }
    const existing = Object.values(state.conversations).find((c) => samePeer(c.peer, address));
    if (existing) {
      get().selectConversation(existing.id);
    } else {
      set({ selectedConversationId: null, draftPeer: address, chatError: null });
    }
    return true;
  },
  setDraft(text) {
    const key = draftKey(get());
    if (key) set((s) => ({ drafts: { ...s.drafts, [key]: text } }));
  },
  editAccount(editing) {
    set({ editingAccount: editing, accountError: null, fieldErrors: {} });
  },
  dismissNotice(id) {
    set((s) => dismissNoticeIn(s, id));
  },
  clearChatError() {
    set({ chatError: null });
  },
});

export function createAppStore(api: ParleyClient): AppStore {
  return createStore<AppState>()((...args) => ({
    ...connectionSlice(api)(...args),
    ...accountSlice(api)(...args),
    ...chatSlice(api)(...args),
    ...uiSlice(...args),
  }));
}
