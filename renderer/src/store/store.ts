/**
 * One zustand store in slices: connection and account here, chat (chat-slice.ts), local UI
 * (ui-slice.ts), history search and export (history-slice.ts), details and settings
 * (details-slice.ts), presence (presence-slice.ts). The core's truth arrives as a snapshot and events (see sync.ts) and goes
 * through the pure reducer in model.ts; the actions are the only place the UI calls the core.
 * Components select state and call actions; they hold no business logic.
 */
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { AccountView, ChatMessage, Conversation, ListeningAddress, Reason, RegistrationState } from '../../../shared/ipc.js';
import type { ConnectionStatus, ParleyClient } from '../api.js';
import { buildAccount, type AccountFormValues, type FieldErrors } from './account-form.js';
import { chatSlice } from './chat-slice.js';
import { detailsSlice, type DetailsSlice } from './details-slice.js';
import { filesSlice, type FilesSlice } from './files-slice.js';
import { devicesSlice, type DevicesSlice } from './devices-slice.js';
import { historySlice, type HistorySlice } from './history-slice.js';
import { initialModel, type Notice, type PeerTyping } from './model.js';
import { presenceSlice, type PresenceSlice } from './presence-slice.js';
import { uiSlice } from './ui-slice.js';

export { HISTORY_PAGE } from './chat-slice.js';
export { draftKey } from './drafts.js';

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
  /**
   * Saved with a server, waiting for the registration's outcome: the registration state as it was
   * when the save was made (a later state is the outcome; see account-outcome.ts). Null otherwise.
   */
  awaitingRegistration: RegistrationState | null;
  /** Save the form (the core then registers when a proxy is set). Resolves true when the core took it. */
  saveAccount(values: AccountFormValues): Promise<boolean>;
  register(): Promise<void>;
  unregister(): Promise<void>;
}

export interface ChatSlice {
  conversations: Record<string, Conversation>;
  messages: Record<string, ChatMessage[]>;
  composing: Record<string, PeerTyping>;
  /** Peers (normalised) whose chat goes in an open MSRP session now (model.ts). */
  sessionPeers: Record<string, true>;
  /** Why the account's MSRP relay carries no chat session now, else null (model.ts). */
  relayProblem: Reason | null;
  /** Conversations whose whole stored history is loaded. */
  historyComplete: Record<string, boolean>;
  historyLoading: Record<string, boolean>;
  /** Send the composer's text to the open conversation (or the new-chat address). */
  sendMessage(): Promise<void>;
  /** Load the page before the oldest message held; a call while one is loading waits for that one. */
  loadOlder(conversationId: string): Promise<void>;
  /** Send a failed or queued message again now. */
  retryMessage(message: ChatMessage): Promise<void>;
  /** Take a failed or queued message out of the outbox. */
  cancelMessage(message: ChatMessage): Promise<void>;
  /** Tell the core the conversation has been read (read-marks.ts calls it when one is being read). */
  markRead(conversationId: string): Promise<void>;
  /** The user typed in this conversation's composer (typing notifications are throttled). */
  noteTyping(conversationId: string): void;
  /** The user stopped typing (composer blurred or emptied): the peer is told at once. */
  stopTyping(): void;
}

export interface UiSlice {
  selectedConversationId: string | null;
  focused: boolean;
  /** A new chat not yet started: the address typed, waiting for its first message. */
  draftPeer: string | null;
  /** Composer text per conversation id (or `new:<address>`). */
  drafts: Record<string, string>;
  /** The drafts the core holds, as far as this page knows (from the snapshot and saveDraft answers). */
  savedDrafts: Record<string, string>;
  /** A "Chat with…" request is on its way to the core. */
  opening: boolean;
  /** What the main area shows instead of the conversation: a settings view or the search. */
  panel: Panel | null;
  /** The left column's tab. */
  leftTab: LeftTab;
  /** The left column's filter text (names and addresses), the contacts' order, and the groups folded away (by group id, '' = other contacts). */
  listFilter: string;
  contactSort: ContactSort;
  collapsedGroups: Record<string, true>;
  chatError: string | null;
  notices: Notice[];
  selectConversation(conversationId: string | null): void;
  /** Open (or find) the conversation with this address in the core and show it. Resolves false if unusable. */
  startChat(input: string): Promise<boolean>;
  /** Ask the shell to show a conversation in its own window (Electron); false where it cannot. */
  openConversationWindow(conversationId: string): Promise<boolean>;
  setDraft(text: string): void;
  /** Hand the conversation's current draft to the core to keep (draft-saver.ts decides when). */
  saveDraft(conversationId: string): Promise<void>;
  setFocused(focused: boolean): void;
  openPanel(panel: Panel | null): void;
  /** Close whatever the main area shows (a view, or the conversation): back to the list. */
  closeMain(): void;
  setLeftTab(tab: LeftTab): void;
  setListFilter(query: string): void;
  setContactSort(sort: ContactSort): void;
  toggleGroup(groupId: string): void;
  dismissNotice(id: number): void;
  clearChatError(): void;
}

export type Panel = 'account' | 'presence' | 'chat-settings' | 'search';
export type LeftTab = 'chats' | 'contacts';
export type ContactSort = 'status' | 'name';

export type AppState = ConnectionSlice &
  AccountSlice &
  ChatSlice &
  UiSlice &
  HistorySlice &
  DetailsSlice &
  PresenceSlice &
  FilesSlice &
  DevicesSlice;
export type AppStore = StoreApi<AppState>;

export type Slice<T> = StateCreator<AppState, [], [], T>;

/** What the slices share besides the store: the core, and a clock and timers (tests hand in their own). */
export interface StoreDeps {
  api: ParleyClient;
  now(): number;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
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
    awaitingRegistration: null,
    async saveAccount(values) {
      const built = buildAccount(values, get().account);
      if (!built.ok) {
        set({ fieldErrors: built.fieldErrors, accountError: null });
        return false;
      }
      const before = get().registration;
      set({ accountBusy: true, accountError: null, fieldErrors: {}, awaitingRegistration: null });
      const saved = await api.setAccount(
        built.password === undefined ? { account: built.account } : { account: built.account, password: built.password },
      );
      if (!saved.ok) {
        set({ accountBusy: false, accountError: saved.error.message });
        return false;
      }
      // The core applies the account at once: it listens, and registers when there is a proxy.
      // Calling register() here as well would send a second REGISTER. With a server the form stays
      // until the registration succeeds, so a wrong password is told next to the password field.
      if (saved.value.proxy) set({ account: saved.value, accountBusy: false, awaitingRegistration: before, panel: 'account' });
      else set({ account: saved.value, panel: null, accountBusy: false });
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

/** The page's own timers, for the store and its watchers. */
export const systemTimers: Pick<StoreDeps, 'setTimer' | 'clearTimer'> = {
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export function createAppStore(api: ParleyClient, options: Partial<Omit<StoreDeps, 'api'>> = {}): AppStore {
  const deps: StoreDeps = { api, now: Date.now, ...systemTimers, ...options };
  return createStore<AppState>()((...args) => ({
    ...connectionSlice(api)(...args),
    ...accountSlice(api)(...args),
    ...chatSlice(deps)(...args),
    ...uiSlice(deps)(...args),
    ...historySlice(deps)(...args),
    ...detailsSlice(deps)(...args),
    ...presenceSlice(deps)(...args),
    ...filesSlice(deps)(...args),
    ...devicesSlice(deps)(...args),
  }));
}
