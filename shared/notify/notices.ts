/**
 * When Parley asks for the user's attention and what it says: one rule for the Electron shell's
 * native notifications and the browser host's Web Notifications. Pure: the hosts show, sound and
 * click; this decides and words.
 *
 *   incoming message ──silenced? (its conversation on screen in a focused window, or busy with
 *   do-not-disturb)──> nothing
 *                    └─> the conversation's notice, coalesced: "Bob" / "3 new messages" + the latest line
 *   new pending watcher ──silenced? (busy)──> "Carol wants to see your status"
 */
import type { ChatMessage } from '../domain/message.js';
import type { Availability } from '../domain/availability.js';

/** Longest line a notice shows (notification servers cut or wrap longer ones badly). */
export const MAX_NOTICE_TEXT = 240;

export interface AttentionState {
  /** The conversation shown in the window that has the focus, or null (no window focused, or none shown). */
  focusedConversationId: string | null;
  /** Our own availability now. */
  availability: Availability;
  /** The user's setting: "busy" means do not disturb. */
  quietWhenBusy: boolean;
}

export interface Notice {
  /** One notice per key is on screen: a newer one replaces it (per conversation, per watcher). */
  key: string;
  kind: 'message' | 'request';
  title: string;
  /** Plain text, never markup. */
  body: string;
  /** For a message: the conversation a click opens. */
  conversationId?: string;
  /** For a request: the watcher's address. */
  watcher?: string;
}

export function isDoNotDisturb(state: AttentionState): boolean {
  return state.quietWhenBusy && state.availability === 'busy';
}

/** A message's text as a notice shows it: the plain rendering of HTML, one line, cut short. */
export function noticeText(message: Pick<ChatMessage, 'body' | 'text' | 'file'>): string {
  // A file message's body is the file's name, not something the peer wrote.
  const text = (message.file ? `Sends you a file: ${message.file.name}` : (message.text ?? message.body)).replace(/\s+/g, ' ').trim();
  return text.length > MAX_NOTICE_TEXT ? `${text.slice(0, MAX_NOTICE_TEXT - 1)}…` : text;
}

export function wantsMessageNotice(message: Pick<ChatMessage, 'direction' | 'conversationId'>, state: AttentionState): boolean {
  if (message.direction !== 'in' || isDoNotDisturb(state)) return false;
  return message.conversationId !== state.focusedConversationId;
}

/**
 * Counts what each conversation's notice stands for since it was last read, so the next message
 * replaces the notice with "3 new messages" instead of stacking a third one.
 */
export function createNoticeBook() {
  const unseen = new Map<string, number>();
  return {
    message(message: Pick<ChatMessage, 'conversationId' | 'body' | 'text' | 'file'>, name: string): Notice {
      const count = (unseen.get(message.conversationId) ?? 0) + 1;
      unseen.set(message.conversationId, count);
      const text = noticeText(message);
      return {
        key: `conversation:${message.conversationId}`,
        kind: 'message',
        title: name,
        body: count === 1 ? text : `${count} new messages\n${text}`,
        conversationId: message.conversationId,
      };
    },
    /** The conversation was read or opened: its next message starts a fresh notice. */
    seen(conversationId: string): void {
      unseen.delete(conversationId);
    },
  };
}

export type NoticeBook = ReturnType<typeof createNoticeBook>;

export function watcherNotice(address: string, name: string): Notice {
  return {
    key: `watcher:${address}`,
    kind: 'request',
    title: name,
    body: `${name} wants to see your status`,
    watcher: address,
  };
}
