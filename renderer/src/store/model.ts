/**
 * The renderer's read model and its pure reducer. The core owns the truth; this is a projection of
 * the snapshot plus the events that followed it. Nothing here touches the DOM, the network or a clock.
 *
 *   fromSnapshot(snapshot)  ──>  model (seq = snapshot.seq)
 *   applyEvent(model, e)    ──>  model'  (e.seq <= model.seq is dropped: the snapshot already holds it)
 */
import {
  normalizeAddress,
  type AccountView,
  type ChatMessage,
  type Conversation,
  type FileTransfer,
  type DevicesSnapshot,
  type ListeningAddress,
  type Reason,
  type RegistrationState,
  type SequencedEvent,
  type Snapshot,
} from '../../../shared/ipc.js';
import { applyPresenceEvent, initialPresence, presenceFromSnapshot, withBuddies, type PresenceModel } from './presence-model.js';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** How many notices stay on screen; older ones fall off. */
export const MAX_NOTICES = 5;
/**
 * How many messages per conversation the renderer keeps in memory, newest first: a conversation
 * not on screen is held to this many. The one on screen holds whatever the reader paged back
 * through (so scrolling back through a long history never stalls), and is cut back to this when
 * the reader leaves it.
 */
export const MAX_MESSAGES_PER_CONVERSATION = 2000;

export interface ReadModel {
  /** Sequence number of the last event reflected here. */
  seq: number;
  account: AccountView | null;
  registration: RegistrationState;
  listening: ListeningAddress[];
  conversations: Record<string, Conversation>;
  /** Per conversation id, oldest first. */
  messages: Record<string, ChatMessage[]>;
  notices: Notice[];
  /** The conversation on screen (local). With `focused`, it decides which one is being read. */
  selectedConversationId: string | null;
  /** The window has the keyboard focus (local): only then does the open conversation count as read. */
  focused: boolean;
  /** Peers typing right now, per conversation id (from `composing` events; they lapse, see typing-lapses.ts). */
  composing: Record<string, PeerTyping>;
  /** Groups, contacts, buddies' presence, watchers, profiles, schedule and our status (presence-model.ts). */
  presence: PresenceModel;
  /** Peers (normalised) whose chat goes in an open MSRP session now; any other goes by paging mode. */
  sessionPeers: Record<string, true>;
  /** Why the account's MSRP relay carries no chat session now (a `relay.*` reason), else null. */
  relayProblem: Reason | null;
  /** File transfers of this run, by id (from `file-transfer` events; not in the snapshot). */
  fileTransfers: Record<string, FileTransfer>;
  /** This device's name and the account's devices (null until a core that knows them says). */
  devices: DevicesSnapshot | null;
}

/** A peer's active isComposing indication; `seq` is the event that set it, so a lapse timer knows it is still current. */
export interface PeerTyping {
  peer: string;
  /** Without news for this long, the indication lapses (the event's refreshMs, else 15 s). */
  lapseMs: number;
  seq: number;
}

/** How long an active typing indication lasts without a refresh when the event names no refreshMs. */
export const DEFAULT_COMPOSING_LAPSE_MS = 15_000;

export const initialModel: ReadModel = {
  seq: 0,
  account: null,
  registration: { state: 'unregistered' },
  listening: [],
  conversations: {},
  messages: {},
  notices: [],
  selectedConversationId: null,
  focused: true,
  composing: {},
  presence: initialPresence,
  sessionPeers: {},
  relayProblem: null,
  fileTransfers: {},
  devices: null,
};

/**
 * Replace everything the core owns with the snapshot; keep local notices, focus and the selection.
 * Unread counts are the core's: the open conversation is marked read through the core (read-marks.ts).
 */
export function fromSnapshot(snapshot: Snapshot, previous: ReadModel = initialModel): ReadModel {
  const conversations: Record<string, Conversation> = {};
  for (const conversation of snapshot.conversations) conversations[conversation.id] = conversation;
  let messages: Record<string, ChatMessage[]> = {};
  for (const message of snapshot.messages) messages = insertMessage(messages, message, 'replace', MAX_MESSAGES_PER_CONVERSATION);
  const selected = previous.selectedConversationId;
  return {
    seq: snapshot.seq,
    account: snapshot.account,
    registration: snapshot.registration,
    listening: snapshot.listening,
    conversations,
    messages,
    notices: previous.notices,
    selectedConversationId: selected && conversations[selected] ? selected : null,
    focused: previous.focused,
    // Typing indications are not in the snapshot; after a gap they are stale anyway.
    composing: {},
    presence: presenceFromSnapshot(snapshot.presence),
    sessionPeers: Object.fromEntries((snapshot.sessionPeers ?? []).map((peer) => [peer, true as const])),
    relayProblem: snapshot.relayProblem ?? null,
    // The core keeps transfers for its run, outside the snapshot: what the page saw stays.
    fileTransfers: previous.fileTransfers,
    devices: snapshot.devices ?? null,
  };
}

/** Apply one core event. Pure; an event the model already reflects (seq <= model.seq) returns `state` itself. */
export function applyEvent<S extends ReadModel>(state: S, event: SequencedEvent): S {
  if (event.seq <= state.seq) return state;
  return { ...state, ...reduce(state, event), seq: event.seq };
}

/** Apply a batch in order (events are numbered; the batch may hold ones the snapshot already has). */
export function applyEvents<S extends ReadModel>(state: S, events: readonly SequencedEvent[]): S {
  let next = state;
  for (let i = 0; i < events.length;) {
    const event = events[i]!;
    if (event.type !== 'buddy') {
      next = applyEvent(next, event);
      i++;
      continue;
    }
    // A run of buddy events (a presence storm: thousands in one frame) goes into one new copy of
    // the buddies, not one copy per event.
    let end = i;
    while (end < events.length && events[end]!.type === 'buddy') end++;
    const run = events.slice(i, end).filter((e): e is Extract<SequencedEvent, { type: 'buddy' }> => e.type === 'buddy' && e.seq > next.seq);
    if (run.length > 0)
      next = {
        ...next,
        presence: withBuddies(
          next.presence,
          run.map((e) => e.buddy),
        ),
        seq: run[run.length - 1]!.seq,
      };
    i = end;
  }
  return next;
}

function reduce(state: ReadModel, event: SequencedEvent): Partial<ReadModel> {
  switch (event.type) {
    case 'registration': {
      const { type: _type, aor: _aor, seq: _seq, ...registration } = event;
      return { registration };
    }
    case 'listening':
      return { listening: event.addresses };
    case 'account':
      return { account: event.account };
    case 'notice': {
      const notice: Notice = { id: event.seq, level: event.level, text: event.text };
      return { notices: [...state.notices, notice].slice(-MAX_NOTICES) };
    }
    case 'message': {
      const { type: _type, seq: _seq, ...message } = event;
      const received = receiveMessage(state, message, 'replace');
      // A message from a typing peer ends its indication (RFC 3994 §3: the message itself is the news).
      if (message.direction === 'in' && state.composing[message.conversationId]) {
        return { ...received, composing: withoutKey(state.composing, message.conversationId) };
      }
      return received;
    }
    case 'delivery':
      return {
        messages: updateMessage(state.messages, event.conversationId, event.id, (m) => ({
          ...m,
          state: event.state,
          reason: event.reason,
          code: event.code,
          // A receipt, once there, stays: a later state change does not repeat it.
          receipt: event.receipt ?? m.receipt,
        })),
      };
    case 'conversation':
      return { conversations: { ...state.conversations, [event.conversation.id]: event.conversation } };
    case 'composing':
      // A peer typing before any conversation with them exists has no window to show it in.
      if (event.conversationId === '') return {};
      return {
        composing: event.active
          ? {
              ...state.composing,
              [event.conversationId]: {
                peer: event.peer,
                lapseMs: event.refreshMs ?? DEFAULT_COMPOSING_LAPSE_MS,
                seq: event.seq,
              },
            }
          : withoutKey(state.composing, event.conversationId),
      };
    case 'chat-mode':
      return {
        sessionPeers: event.mode === 'session' ? { ...state.sessionPeers, [event.peer]: true } : withoutKey(state.sessionPeers, event.peer),
      };
    case 'relay':
      return { relayProblem: event.problem };
    case 'file-transfer':
      return { fileTransfers: { ...state.fileTransfers, [event.transfer.id]: event.transfer } };
    case 'buddy':
    case 'watcher':
    case 'status':
    case 'roster':
    case 'presence-service':
      return { presence: applyPresenceEvent(state.presence, event) };
    case 'devices':
      return { devices: { name: event.name, devices: event.devices } };
    default: {
      const never: never = event;
      void never;
      return {};
    }
  }
}

/**
 * A message the UI learned about from a command result (sendMessage). Events may have overtaken
 * the result (a delivery event before the answer), so an already known message is never replaced.
 */
export function mergeResultMessage<S extends ReadModel>(state: S, message: ChatMessage): S {
  return { ...state, ...receiveMessage(state, message, 'keep') };
}

/** Older messages loaded on request (getMessages), merged without replacing newer knowledge. */
export function mergeHistory<S extends ReadModel>(state: S, conversationId: string, older: readonly ChatMessage[]): S {
  const held = state.messages[conversationId] ?? [];
  const known = new Set(held.map((m) => m.id));
  const page = older.filter((m) => m.conversationId === conversationId && !known.has(m.id));
  if (page.length === 0) return state;
  // One merge of two ordered lists (the page is in display order, as the core pages it), so paging
  // back through a long history costs the page, not the page times what is held. The page the
  // reader asked for is kept whole: trimming it would undo the paging.
  const sorted = page.slice().sort((a, b) => (comesBefore(a, b) ? -1 : comesBefore(b, a) ? 1 : 0));
  const merged: ChatMessage[] = [];
  let i = 0;
  let j = 0;
  while (i < sorted.length || j < held.length) {
    if (j >= held.length || (i < sorted.length && !comesBefore(held[j]!, sorted[i]!))) merged.push(sorted[i++]!);
    else merged.push(held[j++]!);
  }
  return { ...state, messages: { ...state.messages, [conversationId]: merged } };
}

/** Select a conversation (an unknown id changes nothing). Reading it is marked through the core. */
export function selectConversation<S extends ReadModel>(state: S, conversationId: string | null): S {
  if (conversationId && !state.conversations[conversationId]) return state;
  const left = state.selectedConversationId;
  const held = left && left !== conversationId ? state.messages[left] : undefined;
  // The conversation left behind goes back to its newest messages only.
  const messages =
    held && held.length > MAX_MESSAGES_PER_CONVERSATION
      ? { ...state.messages, [left!]: held.slice(held.length - MAX_MESSAGES_PER_CONVERSATION) }
      : state.messages;
  return { ...state, messages, selectedConversationId: conversationId };
}

/** A conversation the core created or changed (openConversation, markRead results): the core's word wins. */
export function upsertConversation<S extends ReadModel>(state: S, conversation: Conversation): S {
  return { ...state, conversations: { ...state.conversations, [conversation.id]: conversation } };
}

/** Zero the unread count locally (when the core could not take the read mark, the screen still shows it read). */
export function markReadLocally<S extends ReadModel>(state: S, conversationId: string): S {
  const conversation = state.conversations[conversationId];
  if (!conversation || conversation.unread === 0) return state;
  return upsertConversation(state, { ...conversation, unread: 0 });
}

/** A typing indication that got no news within its lapse time ends, unless a newer event replaced it. */
export function lapseComposing<S extends ReadModel>(state: S, conversationId: string, seq: number): S {
  if (state.composing[conversationId]?.seq !== seq) return state;
  return { ...state, composing: withoutKey(state.composing, conversationId) };
}

/** A message's state as a command result told it (retry, cancel): newer than what the list holds. */
export function replaceMessage<S extends ReadModel>(state: S, message: ChatMessage): S {
  const messages = updateMessage(state.messages, message.conversationId, message.id, () => message);
  return messages === state.messages ? state : { ...state, messages };
}

/** Set one message's delivery state locally (a cancel the core confirmed before its event arrived). */
export function setMessageState<S extends ReadModel>(state: S, conversationId: string, id: string, delivery: ChatMessage['state']): S {
  const messages = updateMessage(state.messages, conversationId, id, (m) => ({
    ...m,
    state: delivery,
    reason: undefined,
    code: undefined,
  }));
  return messages === state.messages ? state : { ...state, messages };
}

/**
 * A notice the renderer raises itself (a background command that failed). Local notices take
 * negative ids so they never collide with the core's (numbered by event seq); the same text is
 * not shown twice at once.
 */
export function addLocalNotice<S extends ReadModel>(state: S, level: Notice['level'], text: string): S {
  if (state.notices.some((n) => n.text === text)) return state;
  const id = Math.min(0, ...state.notices.map((n) => n.id)) - 1;
  return { ...state, notices: [...state.notices, { id, level, text }].slice(-MAX_NOTICES) };
}

export function dismissNotice<S extends ReadModel>(state: S, id: number): S {
  return { ...state, notices: state.notices.filter((n) => n.id !== id) };
}

/** The peer of a message: whoever is not us, normalised as the core keys conversations. */
export function peerOf(message: ChatMessage): string {
  return normalizeAddress(message.direction === 'in' ? message.from : message.to);
}

// ---- helpers ----

function receiveMessage(state: ReadModel, message: ChatMessage, mode: 'replace' | 'keep'): Partial<ReadModel> {
  const known = state.messages[message.conversationId]?.some((m) => m.id === message.id) ?? false;
  // The conversation on screen keeps what the reader paged back through; others keep the newest.
  const cap = state.selectedConversationId === message.conversationId ? null : MAX_MESSAGES_PER_CONVERSATION;
  const messages = insertMessage(state.messages, message, mode, cap);
  const existing = state.conversations[message.conversationId];
  // Counted as the core counts it (its conversation event follows and wins); the open conversation
  // is then marked read through the core when the window has focus.
  const countsAsUnread = !known && message.direction === 'in';
  const conversation: Conversation = existing
    ? {
        ...existing,
        lastActivity: Math.max(existing.lastActivity, message.at),
        unread: existing.unread + (countsAsUnread ? 1 : 0),
      }
    : {
        id: message.conversationId,
        peer: peerOf(message),
        callId: message.callId,
        lastActivity: message.at,
        unread: countsAsUnread ? 1 : 0,
      };
  return { messages, conversations: { ...state.conversations, [conversation.id]: conversation } };
}

/** Insert keeping each list in display order (see comesBefore). */
function insertMessage(
  all: Record<string, ChatMessage[]>,
  message: ChatMessage,
  mode: 'replace' | 'keep',
  cap: number | null,
): Record<string, ChatMessage[]> {
  const list = all[message.conversationId] ?? [];
  const index = list.findIndex((m) => m.id === message.id);
  if (index >= 0) {
    if (mode === 'keep') return all;
    const next = list.slice();
    next[index] = message;
    return { ...all, [message.conversationId]: next };
  }
  const next = list.slice();
  let at = next.length;
  while (at > 0 && comesBefore(message, next[at - 1]!)) at--;
  next.splice(at, 0, message);
  if (cap !== null && next.length > cap) next.splice(0, next.length - cap);
  return { ...all, [message.conversationId]: next };
}

/**
 * Display order: the core's `order` when both messages carry one (it keeps the sender's order even
 * when several MESSAGEs were in flight and arrived shuffled), else time, then CSeq for our own sends
 * in one window.
 */
export function comesBefore(a: ChatMessage, b: ChatMessage): boolean {
  if (a.order !== undefined && b.order !== undefined && a.order !== b.order) return a.order < b.order;
  if (a.at !== b.at) return a.at < b.at;
  if (a.direction === 'out' && b.direction === 'out' && a.callId === b.callId) return a.cseq < b.cseq;
  return false;
}

function withoutKey<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

function updateMessage(
  all: Record<string, ChatMessage[]>,
  conversationId: string,
  id: string,
  change: (message: ChatMessage) => ChatMessage,
): Record<string, ChatMessage[]> {
  const list = all[conversationId];
  const index = list?.findIndex((m) => m.id === id) ?? -1;
  if (!list || index < 0) return all;
  const next = list.slice();
  next[index] = change(list[index]!);
  return { ...all, [conversationId]: next };
}
