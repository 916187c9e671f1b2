/**
 * The conversation list's rows: the peer's name, the last message as a one-line preview, and the
 * time, most recent activity first; filtered by name or address as the user types. Pure.
 */
import type { ChatMessage, Conversation } from '../../../shared/ipc.js';
import { foldForSearch } from './contact-rows.js';
import { conversationName, type ContactIndex } from './names.js';
import { byActivity } from './selectors.js';

export interface ConversationRow {
  conversation: Conversation;
  name: string;
  /** The last message's text on one line ("You: …" for ours), or '' when none is loaded. */
  preview: string;
}

/** One line of at most `max` characters (whole code points), whitespace collapsed. */
export function previewText(message: Pick<ChatMessage, 'body' | 'text' | 'direction' | 'file'> | undefined, max = 120): string {
  if (!message) return '';
  // A file message's body is the file's name: said as a file.
  const line = (message.file ? `📎 ${message.file.name}` : (message.text ?? message.body)).replace(/\s+/gu, ' ').trim();
  const points = Array.from(line);
  const short = points.length > max ? `${points.slice(0, max - 1).join('')}…` : line;
  return message.direction === 'out' ? `You: ${short}` : short;
}

export function conversationRows(
  conversations: Record<string, Conversation>,
  messages: Record<string, readonly ChatMessage[]>,
  contacts: ContactIndex,
  query: string,
): ConversationRow[] {
  const folded = foldForSearch(query.trim());
  const rows: ConversationRow[] = [];
  for (const conversation of byActivity(conversations)) {
    const name = conversationName(contacts, conversation);
    if (folded && !foldForSearch(name).includes(folded) && !foldForSearch(conversation.peer).includes(folded)) continue;
    const held = messages[conversation.id];
    rows.push({ conversation, name, preview: previewText(held?.[held.length - 1]) });
  }
  return rows;
}
