/**
 * The chat part of the contract (issue: paging-mode chat): commands and events about
 * conversations, messages, the outbox, typing notifications and history.
 * Plain data validated with zod at every host boundary; no DOM, no Node, no Electron.
 */
import { z } from 'zod';
import { ChatMessage, Conversation, DeliveryState, Receipt } from '../domain/message.js';
import { Reason } from '../domain/reason.js';

/** Largest text body Parley sends or accepts (bytes of UTF-8), as RFC 3428 paging-mode allows over TCP. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * Largest text body in an open MSRP chat session (bytes of UTF-8), sent in chunks
 * (docs/DESIGN.md#session-mode). The core takes more than MAX_MESSAGE_BYTES only for a peer with
 * an open session: paging mode could not carry it.
 */
export const MAX_SESSION_MESSAGE_BYTES = 1024 * 1024;

/** The largest message to a peer now: whether a session with it is open decides. */
export function messageLimit(inSession: boolean): number {
  return inSession ? MAX_SESSION_MESSAGE_BYTES : MAX_MESSAGE_BYTES;
}

/** Longest draft kept (characters): room for a message at the byte limit and then some. */
export const MAX_DRAFT_CHARS = MAX_SESSION_MESSAGE_BYTES + 64 * 1024;

const Address = z.string().trim().min(1).max(512);
const ConversationId = z.string().min(1).max(128);
const MessageId = z.string().min(1).max(128);

export const PeerOptionsView = z.object({
  /** The normalised peer address. */
  peer: z.string(),
  newCallIdPerMessage: z.boolean(),
  /** 'auto': chosen from the peer's User-Agent/Server; 'user': set by hand; 'default': never decided. */
  decidedBy: z.enum(['auto', 'user', 'default']),
});
export type PeerOptionsView = z.infer<typeof PeerOptionsView>;

/** User preferences for chat. */
export const ChatSettings = z.object({
  /** Send isComposing (RFC 3994) notifications while typing. */
  sendComposing: z.boolean(),
  /** No sound for a new message or a watcher request (notifications still show). */
  muteSounds: z.boolean(),
  /** Do not disturb while our status is Busy: no notifications and no sounds. */
  quietWhenBusy: z.boolean(),
  /**
   * Tell a sender who asks (IMDN, RFC 5438) when their message was shown here in a focused window.
   * "Delivered" notifications are always sent: they say no more than the SIP 200 already did.
   */
  sendReadReceipts: z.boolean(),
  /**
   * Offer peers an MSRP chat session (RFC 4975) and chat in it instead of one MESSAGE per message;
   * a peer that refuses gets paging mode, remembered. Off by default (docs/DESIGN.md#session-mode).
   */
  preferSessionMode: z.boolean(),
});
export type ChatSettings = z.infer<typeof ChatSettings>;

/** What a setting is until the user changes it. */
export const DEFAULT_CHAT_SETTINGS: ChatSettings = {
  sendComposing: true,
  muteSounds: false,
  quietWhenBusy: true,
  sendReadReceipts: true,
  preferSessionMode: false,
};

/** One full-text search hit; `ranges` are [start, end) offsets into `snippet` to highlight (as text, never markup). */
export const SearchHit = z.object({
  message: ChatMessage,
  snippet: z.string(),
  ranges: z.array(z.tuple([z.number().int(), z.number().int()])),
});
export type SearchHit = z.infer<typeof SearchHit>;

export const ConversationExport = z.object({
  /** A suggested file name, e.g. "parley-bob@example.org-2026-11-26.txt". */
  fileName: z.string(),
  mimeType: z.enum(['text/plain', 'application/json']),
  content: z.string(),
});
export type ConversationExport = z.infer<typeof ConversationExport>;

export const chatCommands = {
  sendMessage: {
    request: z
      .object({
        to: Address,
        body: z
          .string()
          .min(1)
          .refine((s) => new TextEncoder().encode(s).length <= MAX_SESSION_MESSAGE_BYTES, {
            message: `a message may hold at most ${MAX_SESSION_MESSAGE_BYTES} bytes`,
          }),
        conversationId: ConversationId.optional(),
      })
      .strict(),
    result: ChatMessage,
  },
  /** Open (or find) the chat window with a contact or an address, without sending anything. */
  openConversation: { request: z.object({ to: Address }).strict(), result: Conversation },
  /** Send a failed or still queued message again now. */
  retryMessage: { request: z.object({ id: MessageId }).strict(), result: ChatMessage },
  /**
   * Show this conversation in a window of its own. Only a host with windows can (Electron); the
   * others answer `opened: false` and the UI offers a link instead.
   */
  openConversationWindow: { request: z.object({ conversationId: ConversationId }).strict(), result: z.object({ opened: z.boolean() }) },
  /** Take a queued or failed message out of the outbox; it is never sent again. */
  cancelMessage: { request: z.object({ id: MessageId }).strict(), result: z.object({ cancelled: z.boolean() }) },
  /** The user has read the conversation up to now: its unread count goes to 0. */
  markRead: { request: z.object({ conversationId: ConversationId }).strict(), result: Conversation },
  /** The user is (or stopped) typing in this conversation; sends isComposing when enabled. */
  setComposing: {
    request: z.object({ conversationId: ConversationId, active: z.boolean() }).strict(),
    result: z.object({ sent: z.boolean() }),
  },
  getChatSettings: { request: z.object({}).strict(), result: ChatSettings },
  setChatSettings: { request: ChatSettings.partial().strict(), result: ChatSettings },
  /** Per-peer sending options: a new Call-ID per message (for peers that drop a repeated one). */
  getPeerOptions: { request: z.object({ peer: Address }).strict(), result: PeerOptionsView },
  setPeerOptions: {
    request: z.object({ peer: Address, newCallIdPerMessage: z.boolean() }).strict(),
    result: PeerOptionsView,
  },
  /**
   * A page of a conversation in on-screen order (ascending `order`), newest last: the `limit`
   * messages just before `beforeId` (a message of the conversation; the page excludes it), or
   * sent/received before `beforeAt` (epoch ms), or the latest. Paging by `beforeId` is stable when
   * messages share a time or an order: pass the oldest message held to get the page before it.
   * Fewer than `limit` messages means the start of the conversation was reached.
   */
  getMessages: {
    request: z
      .object({
        conversationId: ConversationId,
        beforeId: MessageId.optional(),
        beforeAt: z.number().optional(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict()
      .refine((r) => r.beforeId === undefined || r.beforeAt === undefined, { message: 'give beforeId or beforeAt, not both' }),
    result: z.array(ChatMessage),
  },
  /** Full-text search in history, most recently stored first; in one conversation or all. */
  searchMessages: {
    request: z
      .object({
        query: z.string().trim().min(1).max(256),
        conversationId: ConversationId.optional(),
        limit: z.number().int().min(1).max(200).default(50),
      })
      .strict(),
    result: z.array(SearchHit),
  },
  /** A whole conversation as text or JSON, for the user to save. */
  exportConversation: {
    request: z.object({ conversationId: ConversationId, format: z.enum(['text', 'json']) }).strict(),
    result: ConversationExport,
  },
  /**
   * Delete the messages of one conversation, or of all without `conversationId` (the conversations
   * stay, unread at 0); messages still on their way (queued, sending, failed) are kept for the outbox.
   */
  clearHistory: {
    request: z.object({ conversationId: ConversationId.optional() }).strict(),
    result: z.object({ deleted: z.number().int().min(0) }),
  },
  /**
   * Keep the composer's unsent text of a conversation (blank text removes it), so it is there again
   * after a restart; the snapshot's `drafts` brings it back.
   */
  saveDraft: {
    request: z.object({ conversationId: ConversationId, text: z.string().max(MAX_DRAFT_CHARS) }).strict(),
    result: z.object({ saved: z.boolean() }),
  },
} as const;

export const MessageEvent = ChatMessage.extend({ type: z.literal('message') });
export const DeliveryEvent = z.object({
  type: z.literal('delivery'),
  id: z.string(),
  conversationId: z.string(),
  state: DeliveryState,
  reason: Reason.optional(),
  code: z.number().int().optional(),
  /**
   * The recipient's client reported it on the device or read (IMDN). Sent once the outbox is done
   * with the message, with its state as it stands; never moves back.
   */
  receipt: Receipt.optional(),
});
/** A conversation was created or changed (unread count, last activity). */
export const ConversationEvent = z.object({ type: z.literal('conversation'), conversation: Conversation });
/** The peer is typing (active) or stopped; an active indication lapses after `refreshMs` without news. */
export const ComposingEvent = z.object({
  type: z.literal('composing'),
  /** The conversation with that peer; '' when Parley has none with it yet (the peer types first). */
  conversationId: z.string(),
  peer: z.string(),
  active: z.boolean(),
  refreshMs: z.number().int().optional(),
});
/**
 * How chat with a peer goes now: 'session' while an MSRP session with it is open (RFC 4975),
 * 'paging' again once it ended (one MESSAGE per message, RFC 3428). Sent when it changes.
 */
export const ChatModeEvent = z.object({
  type: z.literal('chat-mode'),
  peer: z.string(),
  mode: z.enum(['session', 'paging']),
});
/**
 * The account's MSRP relay would not carry a chat session (a `relay.*` reason: refused the
 * password, refused otherwise, cannot be reached), or carries one again (null). Sent when that
 * changes, so a cause is told once, not per session (core/sessions/relay-status.ts).
 */
export const RelayEvent = z.object({
  type: z.literal('relay'),
  problem: Reason.nullable(),
});
export type ChatCommandName = keyof typeof chatCommands;
