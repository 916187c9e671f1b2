/** Conversations (one per chat window, keyed by its Call-ID) and their messages. */
import type { ChatMessage, Conversation, DeliveryState } from '../../shared/ipc.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';

interface MessageRow {
  id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  sender: string;
  recipient: string;
  call_id: string;
  cseq: number;
  content_type: string;
  body: string;
  at: number;
  state: DeliveryState;
  reason: string | null;
  code: number | null;
}

interface ConversationRow {
  id: string;
  peer: string;
  call_id: string;
  next_cseq: number;
  last_activity: number;
  unread: number;
}

/** CSeq numbers reserved per outgoing message: its own and one for a digest retry. */
export const CSEQ_STEP = 2;

function toMessage(row: MessageRow): ChatMessage {
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
    at: row.at,
    state: row.state,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.code !== null ? { code: row.code } : {}),
  };
}

function toConversation(row: ConversationRow): Conversation {
  return { id: row.id, peer: row.peer, callId: row.call_id, lastActivity: row.last_activity, unread: row.unread };
}

export class MessagesRepo {
  /** Compiled statements, by SQL text: compiling costs more than running on the per-message path. */
  private readonly statements = new Map<string, Statement>();
  private readonly pendingStates = new Map<string, { state: DeliveryState; reason?: string; code?: number }>();

  constructor(private readonly db: Db) {}

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Run several writes as one transaction (one commit instead of one per statement). */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  conversation(id: string): Conversation | undefined {
    const row = this.sql('SELECT * FROM conversations WHERE id = ?').get(id) as ConversationRow | undefined;
    return row && toConversation(row);
  }

  /** The conversation a Call-ID belongs to: its own, or one it was threaded into as an alias. */
  conversationByCallId(callId: string): Conversation | undefined {
    const row = this.sql(
        `SELECT c.* FROM conversations c WHERE c.call_id = ?
         UNION ALL SELECT c.* FROM call_id_aliases a JOIN conversations c ON c.id = a.conversation_id WHERE a.call_id = ?
         LIMIT 1`,
      )
      .get(callId, callId) as ConversationRow | undefined;
    return row && toConversation(row);
  }

  /** The most recent conversation with a peer (normalised address). */
  latestWithPeer(peer: string): Conversation | undefined {
    const row = this.sql('SELECT * FROM conversations WHERE peer = ? ORDER BY last_activity DESC LIMIT 1')
      .get(peer) as ConversationRow | undefined;
    return row && toConversation(row);
  }

  createConversation(conversation: Conversation): void {
    this.sql('INSERT INTO conversations(id, peer, call_id, next_cseq, last_activity, unread) VALUES (?, ?, ?, 1, ?, ?)')
      .run(conversation.id, conversation.peer, conversation.callId, conversation.lastActivity, conversation.unread);
  }

  addAlias(callId: string, conversationId: string): void {
    this.sql('INSERT OR IGNORE INTO call_id_aliases(call_id, conversation_id) VALUES (?, ?)').run(callId, conversationId);
  }

  /**
   * Take the next CSeq for a window; persisted first so a restart never reuses one. Each message
   * reserves two numbers: answering a digest challenge resends the request with CSeq + 1
   * (RFC 3261 §22.2), and that number must not be the next message's.
   */
  takeCSeq(conversationId: string): number {
    const row = this.sql(`UPDATE conversations SET next_cseq = next_cseq + ${CSEQ_STEP} WHERE id = ? RETURNING next_cseq - ${CSEQ_STEP} AS cseq`)
      .get(conversationId) as { cseq: number } | undefined;
    if (!row) throw new Error(`no conversation ${conversationId}`);
    return row.cseq;
  }

  touch(conversationId: string, at: number, unreadDelta: number): void {
    this.sql('UPDATE conversations SET last_activity = MAX(last_activity, ?), unread = unread + ? WHERE id = ?')
      .run(at, unreadDelta, conversationId);
  }

  conversations(): Conversation[] {
    return (this.sql('SELECT * FROM conversations ORDER BY last_activity DESC').all() as ConversationRow[]).map(toConversation);
  }

  /** Inserts a message; an incoming one already stored (same Call-ID, CSeq, From tag) is not stored twice. */
  insert(message: ChatMessage, fromTag?: string): boolean {
    const result = this.sql(
        `INSERT OR IGNORE INTO messages(id, conversation_id, direction, sender, recipient, call_id, cseq, from_tag, content_type, body, at, state, reason, code)
         VALUES (@id, @conversationId, @direction, @from, @to, @callId, @cseq, @fromTag, @contentType, @body, @at, @state, @reason, @code)`,
      )
      .run({
        ...message,
        // '' rather than NULL: the unique index must see two tag-less copies as the same message.
        fromTag: message.direction === 'in' ? (fromTag ?? '') : null,
        reason: message.reason ?? null,
        code: message.code ?? null,
      });
    return result.changes === 1;
  }

  /**
   * Record a delivery state soon: updates queued in one turn of the event loop are written in one
   * transaction (answers to 32 messages in flight arrive together). `flush()` writes them now.
   */
  setStateSoon(id: string, state: DeliveryState, reason?: string, code?: number): void {
    this.pendingStates.set(id, { state, reason, code });
    if (this.pendingStates.size === 1) setImmediate(() => this.flush());
  }

  /** Write the queued delivery states (before closing the database, and on the next turn). */
  flush(): void {
    if (this.pendingStates.size === 0 || !this.db.open) return;
    const pending = [...this.pendingStates];
    this.pendingStates.clear();
    this.transaction(() => {
      for (const [id, { state, reason, code }] of pending) this.setState(id, state, reason, code);
    });
  }

  /** Record a delivery state; returns whether such a message exists. */
  setState(id: string, state: DeliveryState, reason?: string, code?: number): boolean {
    return this.sql('UPDATE messages SET state = ?, reason = ?, code = ? WHERE id = ?').run(state, reason ?? null, code ?? null, id).changes === 1;
  }

  message(id: string): ChatMessage | undefined {
    this.flush(); // reads see every state already announced
    const row = this.sql('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    return row && toMessage(row);
  }

  page(conversationId: string, beforeAt: number | undefined, limit: number): ChatMessage[] {
    this.flush(); // reads see every state already announced
    const rows = this.sql('SELECT * FROM messages WHERE conversation_id = ? AND at < ? ORDER BY at DESC, rowid DESC LIMIT ?')
      .all(conversationId, beforeAt ?? Number.MAX_SAFE_INTEGER, limit) as MessageRow[];
    return rows.reverse().map(toMessage);
  }

  /** The latest `perConversation` messages of each conversation, oldest first. */
  recent(perConversation: number): ChatMessage[] {
    this.flush(); // reads see every state already announced
    const rows = this.sql(
        `SELECT * FROM (
           SELECT m.*, m.rowid AS r, ROW_NUMBER() OVER (PARTITION BY conversation_id ORDER BY at DESC, m.rowid DESC) AS n FROM messages m
         ) WHERE n <= ? ORDER BY at, r`,
      )
      .all(perConversation) as MessageRow[];
    return rows.map(toMessage);
  }
}
