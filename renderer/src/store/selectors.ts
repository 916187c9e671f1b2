/**
 * Derived views of the store for components and watchers: pure functions of state, so the rules
 * (what counts as unread on screen, when a read mark is due) live in one tested place.
 */
import type { Conversation } from '../../../shared/ipc.js';
import type { ReadModel } from './model.js';

type ReadState = Pick<ReadModel, 'selectedConversationId' | 'focused' | 'conversations'>;

/** Is this conversation being read right now (on screen in a focused window)? */
export function isBeingRead(state: Pick<ReadModel, 'selectedConversationId' | 'focused'>, conversationId: string): boolean {
  return state.focused && state.selectedConversationId === conversationId;
}

/** The unread badge of a conversation: none while it is being read (its read mark is on the way). */
export function shownUnread(state: Pick<ReadModel, 'selectedConversationId' | 'focused'>, conversation: Conversation): number {
  return isBeingRead(state, conversation.id) ? 0 : conversation.unread;
}

/** The conversation whose unread messages are being read and should be marked read in the core, if any. */
export function readMarkDue(state: ReadState): string | null {
  const id = state.selectedConversationId;
  if (!id || !state.focused) return null;
  return (state.conversations[id]?.unread ?? 0) > 0 ? id : null;
}

/** Conversations with the most recent activity first (ties: by peer, so the order is stable). */
export function byActivity(conversations: Record<string, Conversation>): Conversation[] {
  return Object.values(conversations).sort((a, b) => b.lastActivity - a.lastActivity || a.peer.localeCompare(b.peer));
}

/** Unread messages outside the conversation being read (for the window title). */
export function totalUnread(state: ReadState): number {
  let total = 0;
  for (const conversation of Object.values(state.conversations)) total += shownUnread(state, conversation);
  return total;
}

/** The next conversation with unread messages after the open one, in list order (wrapping), if any. */
export function nextUnreadConversation(state: Pick<ReadModel, 'conversations' | 'selectedConversationId'>): string | null {
  const ordered = byActivity(state.conversations);
  const start = ordered.findIndex((c) => c.id === state.selectedConversationId);
  for (let step = 1; step <= ordered.length; step++) {
    const candidate = ordered[(start + step + ordered.length) % ordered.length]!;
    if (candidate.unread > 0 && candidate.id !== state.selectedConversationId) return candidate.id;
  }
  return null;
}
