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
  type ListeningAddress,
  type RegistrationState,
  type SequencedEvent,
  type Snapshot,
} from '../../../shared/ipc.js';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
}

/** How many notices stay on screen; older ones fall off. */
export const MAX_NOTICES = 5;
/** How many messages per conversation the renderer keeps in memory. */
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
  /** Read only here: an incoming message in the open conversation does not count as unread. */
  selectedConversationId: string | null;
}

export const initialModel: ReadModel = {
  seq: 0,
  account: null,
  registration: { state: 'unregistered' },
  listening: [],
  conversations: {},
  messages: {},
  notices: [],
  selectedConversationId: null,
};

/** Replace everything the core owns with the snapshot; keep local notices and the selection. */
export function fromSnapshot(snapshot: Snapshot, previous: ReadModel = initialModel): ReadModel {
  const conversations: Record<string, Conversation> = {};
  for (const conversation of snapshot.conversations) conversations[conversation.id] = conversation;
  let messages: Record<string, ChatMessage[]> = {};
  for (const message of snapshot.messages) messages = insertMessage(messages, message, 'replace');
  const selected = previous.selectedConversationId;
  if (selected && conversations[selected]) {
    conversations[selected] = { ...conversations[selected], unread: 0 };
  }
  return {
    seq: snapshot.seq,
    account: snapshot.account,
    registration: snapshot.registration,
    listening: snapshot.listening,
    conversations,
    messages,
    notices: previous.notices,
    selectedConversationId: selected && conversations[selected] ? selected : null,
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
  for (const event of events) next = applyEvent(next, event);
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
      return receiveMessage(state, message, 'replace');
    }
    case 'delivery':
      return {
        messages: updateMessage(state.messages, event.conversationId, event.id, (m) => ({
          ...m,
          state: event.state,
          reason: event.reason,
          code: event.code,
        })),
      };
    case 'conversation':
      return { conversations: { ...state.conversations, [event.conversation.id]: event.conversation } };
    case 'composing':
      return {};
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
  let messages = state.messages;
  for (const message of older) {
    if (message.conversationId !== conversationId) continue;
    messages = insertMessage(messages, message, 'keep');
  }
  return messages === state.messages ? state : { ...state, messages };
}

/** Mark a conversation read and select it (local: the core has no read marker command). */
export function selectConversation<S extends ReadModel>(state: S, conversationId: string | null): S {
  const conversation = conversationId ? state.conversations[conversationId] : undefined;
  if (conversationId && !conversation) return state;
  const conversations =
    conversation && conversation.unread > 0
      ? { ...state.conversations, [conversation.id]: { ...conversation, unread: 0 } }
      : state.conversations;
  return { ...state, conversations, selectedConversationId: conversationId };
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
  const messages = insertMessage(state.messages, message, mode);
  const existing = state.conversations[message.conversationId];
  const countsAsUnread =
    !known && message.direction === 'in' && state.selectedConversationId !== message.conversationId;
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

/** Insert keeping each list ordered by time (then CSeq for our own sends in one window). */
function insertMessage(
  all: Record<string, ChatMessage[]>,
  message: ChatMessage,
  mode: 'replace' | 'keep',
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
  if (next.length > MAX_MESSAGES_PER_CONVERSATION) next.splice(0, next.length - MAX_MESSAGES_PER_CONVERSATION);
  return { ...all, [message.conversationId]: next };
}

function comesBefore(a: ChatMessage, b: ChatMessage): boolean {
  if (a.at !== b.at) return a.at < b.at;
  if (a.direction === 'out' && b.direction === 'out' && a.callId === b.callId) return a.cseq < b.cseq;
  return false;
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
