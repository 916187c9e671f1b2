/**
 * Rows of the history tables as the contract's plain objects. The history reader runs on its own
 * connection in a worker, so it reads the rows itself rather than through MessagesRepo.
 */
import type { ChatMessage, Conversation, DeliveryState, Receipt } from '../../../shared/ipc.js';
import { fileFromColumn } from '../file-column.js';
import { reasonFromColumn } from '../reason-column.js';

export interface HistoryMessageRow {
  rowid: number;
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  sender: string;
  recipient: string;
  call_id: string;
  cseq: number;
  content_type: string;
  body: string;
  text_body: string | null;
  at: number;
  sent_at: number | null;
  sort_key: number | null;
  state: DeliveryState;
  /** JSON of a Reason (reason-column.ts). */
  reason: string | null;
  code: number | null;
  /** Outgoing: the recipient's receipt, when one came. */
  receipt?: Receipt | null;
  /** A message of kind file: its transfer as JSON (file-column.ts). */
  file?: string | null;
}

export interface HistoryConversationRow {
  id: string;
  peer: string;
  call_id: string;
  last_activity: number;
  unread: number;
  peer_name: string | null;
}

export function messageOf(row: HistoryMessageRow): ChatMessage {
  const reason = reasonFromColumn(row.reason);
  const file = fileFromColumn(row.file);
  return {
    id: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    from: row.sender,
    to: row.recipient,
    callId: row.call_id,
    cseq: row.cseq,
    contentType: row.content_type,
    body: row.body,
    ...(row.text_body !== null ? { text: row.text_body } : {}),
    at: row.at,
    ...(row.sent_at !== null ? { sentAt: row.sent_at } : {}),
    ...(row.sort_key !== null ? { order: row.sort_key } : {}),
    state: row.state,
    ...(reason !== undefined ? { reason } : {}),
    ...(row.code !== null ? { code: row.code } : {}),
    ...(row.receipt ? { receipt: row.receipt } : {}),
    ...(file ? { file } : {}),
  };
}

export function conversationOf(row: HistoryConversationRow): Conversation {
  return {
    id: row.id,
    peer: row.peer,
    ...(row.peer_name ? { peerName: row.peer_name } : {}),
    callId: row.call_id,
    lastActivity: row.last_activity,
    unread: row.unread,
  };
}
