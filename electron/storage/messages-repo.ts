/** Conversations (one per chat window, keyed by its Call-ID) and their messages, with the outbox. */
import type { ChatMessage, Conversation, DeliveryState, Reason, Receipt } from '../../shared/ipc.js';
import type { Statement } from 'better-sqlite3';
import type { Db } from './database.js';
import { conversationOf, messageOf, type HistoryConversationRow, type HistoryMessageRow } from './history/history-rows.js';
import { fileToColumn } from './file-column.js';
import { reasonToColumn } from './reason-column.js';

type MessageRow = Omit<HistoryMessageRow, 'rowid'>;

/** CSeq numbers reserved per outgoing message: its own and one for a digest retry. */
export const CSEQ_STEP = 2;

/** Where an incoming MESSAGE's sender and Call-ID stand: the latest run of CSeqs (see migration 3). */
export interface IncomingRun {
  epoch: number;
  minCSeq: number;
  maxCSeq: number;
}

/** How isDuplicate matches an incoming message against those stored. */
export interface DuplicateMatch {
  /** The From tag alone names one message (Parley's tags do). */
  samePerTag: boolean;
  /** Epoch ms: without a name for the message, only copies stored since then count. */
  since: number;
  /** The sender's own name for the message (CPIM/IMDN Message-ID), if it gave one. */
  messageRef?: string | undefined;
}

/** An incoming message whose sender still waits to hear it was displayed (IMDN). */
export interface OwedDisplay {
  id: string;
  /** The sender's address (the SIP From it came with), where the notification goes. */
  from: string;
  /** The sender's Message-ID for it, which the notification quotes. */
  messageRef: string;
  /** When the sender wrote it (its DateTime), else when it arrived. */
  sentAt: number;
}

/** An outgoing message still to be delivered, with the From tag it is (re)sent with. */
export interface OutboxRow {
  message: ChatMessage;
  fromTag: string;
}

export class MessagesRepo {
  /** Compiled statements, by SQL text: compiling costs more than running on the per-message path. */
  private readonly statements = new Map<string, Statement>();
  private readonly pendingStates = new Map<string, { state: DeliveryState; reason?: Reason; code?: number }>();

  /** `onInsert`: told after each stored message (the history client's index hint; keep it cheap). */
  constructor(
    private readonly db: Db,
    private readonly onInsert?: () => void,
  ) {}

  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Run several writes as one transaction (one commit instead of one per statement). IMMEDIATE:
   * the history worker writes too (search index), and a deferred transaction that read before
   * the worker committed would fail at its first write (SQLITE_BUSY) instead of waiting.
   */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }

  conversation(id: string): Conversation | undefined {
    const row = this.sql('SELECT * FROM conversations WHERE id = ?').get(id) as HistoryConversationRow | undefined;
    return row && conversationOf(row);
  }

  /** The conversation a Call-ID belongs to: its own, or one it was threaded into as an alias. */
  conversationByCallId(callId: string): Conversation | undefined {
    const row = this.sql(
      `SELECT c.* FROM conversations c WHERE c.call_id = ?
         UNION ALL SELECT c.* FROM call_id_aliases a JOIN conversations c ON c.id = a.conversation_id WHERE a.call_id = ?
         LIMIT 1`,
    ).get(callId, callId) as HistoryConversationRow | undefined;
    return row && conversationOf(row);
  }

  /** The most recent conversation with a peer (normalised address). */
  latestWithPeer(peer: string): Conversation | undefined {
    const row = this.sql('SELECT * FROM conversations WHERE peer = ? ORDER BY last_activity DESC LIMIT 1').get(peer) as
      HistoryConversationRow | undefined;
    return row && conversationOf(row);
  }

  createConversation(conversation: Conversation): void {
    this.sql('INSERT INTO conversations(id, peer, call_id, next_cseq, last_activity, unread) VALUES (?, ?, ?, 1, ?, ?)').run(
      conversation.id,
      conversation.peer,
      conversation.callId,
      conversation.lastActivity,
      conversation.unread,
    );
  }

  /** The display name the peer gave in its last From header (null: it gave none). */
  setPeerName(conversationId: string, name: string | null): void {
    this.sql('UPDATE conversations SET peer_name = ? WHERE id = ?').run(name, conversationId);
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
    const row = this.sql(
      `UPDATE conversations SET next_cseq = next_cseq + ${CSEQ_STEP} WHERE id = ? RETURNING next_cseq - ${CSEQ_STEP} AS cseq`,
    ).get(conversationId) as { cseq: number } | undefined;
    if (!row) throw new Error(`no conversation ${conversationId}`);
    return row.cseq;
  }

  touch(conversationId: string, at: number, unreadDelta: number): void {
    this.sql('UPDATE conversations SET last_activity = MAX(last_activity, ?), unread = unread + ? WHERE id = ?').run(
      at,
      unreadDelta,
      conversationId,
    );
  }

  /** The user read the conversation: unread goes to 0. Returns the conversation, or undefined. */
  markRead(conversationId: string): Conversation | undefined {
    this.sql('UPDATE conversations SET unread = 0 WHERE id = ?').run(conversationId);
    return this.conversation(conversationId);
  }

  /**
   * Delete a conversation's messages (all conversations' without an id), except outgoing ones the
   * outbox still holds and file transfers still going; unread goes to 0. The FTS rows go with them (the delete trigger). Returns
   * how many were deleted.
   */
  clearMessages(conversationId?: string): number {
    this.flush();
    const which = conversationId === undefined ? '' : 'conversation_id = ? AND';
    const args = conversationId === undefined ? [] : [conversationId];
    const deleted = this.sql(
      `DELETE FROM messages WHERE ${which} NOT (direction = 'out' AND state IN ('queued', 'sending', 'failed'))
         AND NOT (file IS NOT NULL AND json_extract(file, '$.state') IN ('offered', 'connecting', 'transferring'))`,
    ).run(...args).changes;
    this.sql(`UPDATE conversations SET unread = 0 ${conversationId === undefined ? '' : 'WHERE id = ?'}`).run(...args);
    return deleted;
  }

  conversations(): Conversation[] {
    return (this.sql('SELECT * FROM conversations ORDER BY last_activity DESC').all() as HistoryConversationRow[]).map(conversationOf);
  }

  /** The `order` a message appended to the conversation now gets: the next whole number. */
  nextOrder(conversationId: string): number {
    const row = this.sql('SELECT MAX(sort_key) AS last FROM messages WHERE conversation_id = ?').get(conversationId) as {
      last: number | null;
    };
    return row.last === null ? 1 : Math.floor(row.last) + 1;
  }

  /**
   * The latest CSeq run of a sender on a Call-ID, or undefined when it never wrote on it. Three
   * separate MIN/MAX lookups on purpose: SQLite answers each from the messages_runs index in one
   * seek, whereas MIN and MAX in one query scan the whole run (quadratic over a long chat).
   */
  incomingRun(callId: string, sender: string): IncomingRun | undefined {
    const where = `FROM messages WHERE direction = 'in' AND call_id = ? AND sender = ?`;
    const epoch = (this.sql(`SELECT MAX(run_epoch) AS epoch ${where}`).get(callId, sender) as { epoch: number | null }).epoch;
    if (epoch === null) return undefined;
    const minCSeq = (this.sql(`SELECT MIN(cseq) AS v ${where} AND run_epoch = ?`).get(callId, sender, epoch) as { v: number }).v;
    const maxCSeq = (this.sql(`SELECT MAX(cseq) AS v ${where} AND run_epoch = ?`).get(callId, sender, epoch) as { v: number }).v;
    return { epoch, minCSeq, maxCSeq };
  }

  /** Whether the run already holds this CSeq. */
  runHas(callId: string, sender: string, epoch: number, cseq: number): boolean {
    return (
      this.sql(`SELECT 1 FROM messages WHERE direction = 'in' AND call_id = ? AND sender = ? AND run_epoch = ? AND cseq = ?`).get(
        callId,
        sender,
        epoch,
        cseq,
      ) !== undefined
    );
  }

  /**
   * The orders around the slot of a late message of a run: `next` is the lowest order among the
   * run's messages with a higher CSeq, `previous` the highest order in the conversation below it.
   */
  slotInRun(conversationId: string, callId: string, sender: string, epoch: number, cseq: number): { previous?: number; next?: number } {
    const next = (
      this.sql(
        `SELECT MIN(sort_key) AS next FROM messages WHERE direction = 'in' AND call_id = ? AND sender = ? AND run_epoch = ? AND cseq > ?`,
      ).get(callId, sender, epoch, cseq) as { next: number | null }
    ).next;
    return this.slotBefore(conversationId, next);
  }

  /**
   * The orders around the slot of a copy of a sent message (sent-copies.ts) that came after a copy
   * the same device sent later on the same Call-ID (a higher CSeq): `next` is the lowest order among
   * those, `previous` the highest in the conversation below it; {} when there is none (append).
   */
  slotBeforeLaterCopy(conversationId: string, callId: string, cseq: number): { previous?: number; next?: number } {
    const next = (
      this.sql(
        `SELECT MIN(sort_key) AS next FROM messages WHERE direction = 'out' AND call_id = ? AND cseq > ? AND conversation_id = ?`,
      ).get(callId, cseq, conversationId) as { next: number | null }
    ).next;
    return this.slotBefore(conversationId, next);
  }

  /** Whether a copy of a sent message that came with this Call-ID, CSeq and From tag is stored. */
  hasSentCopy(callId: string, cseq: number, fromTag: string): boolean {
    return (
      this.sql(`SELECT 1 FROM messages WHERE direction = 'out' AND call_id = ? AND cseq = ? AND from_tag = ?`).get(
        callId,
        cseq,
        fromTag,
      ) !== undefined
    );
  }

  /** The slot just before the message ordered `next` (null: none, append). */
  private slotBefore(conversationId: string, next: number | null): { previous?: number; next?: number } {
    if (next === null) return {};
    const previous = (
      this.sql('SELECT MAX(sort_key) AS previous FROM messages WHERE conversation_id = ? AND sort_key < ?').get(conversationId, next) as {
        previous: number | null;
      }
    ).previous;
    return { next, ...(previous !== null ? { previous } : {}) };
  }

  /**
   * Whether an incoming message is one already stored. A copy is:
   *   - the same `messageRef` from the same sender, whenever it comes (the sender's own name for
   *     the message: CPIM/IMDN Message-ID);
   *   - the same Call-ID, CSeq, From tag and body, stored at or after `since` (the window in which a
   *     retransmission or a resend comes in; a sender that restarted may reuse all three for a new
   *     text, even the same words, later on);
   *   - with `samePerTag` (the From tag alone names one message, as Parley's do: a name the sender
   *     gives the message, like a Message-ID), the same Call-ID, From tag and body, whenever it comes,
   *     and one CSeq away too (a copy that a digest challenge moved to CSeq + 1, or back).
   */
  isDuplicate(message: ChatMessage, fromTag: string, match: DuplicateMatch): boolean {
    if (
      match.messageRef !== undefined &&
      this.sql(`SELECT 1 FROM messages WHERE direction = 'in' AND sender = ? AND message_ref = ?`).get(message.from, match.messageRef) !==
        undefined
    ) {
      return true;
    }
    const spread = match.samePerTag ? 1 : 0;
    const since = match.samePerTag ? Number.MIN_SAFE_INTEGER : match.since;
    const rows = this.sql(
      `SELECT body FROM messages WHERE direction = 'in' AND call_id = ? AND cseq BETWEEN ? AND ? AND from_tag = ? AND at >= ?`,
    ).all(message.callId, message.cseq - spread, message.cseq + spread, fromTag, since) as { body: string }[];
    return rows.some((row) => row.body === message.body);
  }

  /**
   * Inserts a message with its From tag (the tag it came with, or the one we send it with);
   * `runEpoch` and `messageRef` (the sender's name for it, see isDuplicate) for incoming ones, and
   * `owesDisplay` when its sender asked to hear it was displayed (takeOwedDisplays). The `order`
   * defaults to the end of the conversation. Returns false when a message with that id exists.
   */
  insert(message: ChatMessage, fromTag?: string, runEpoch?: number, messageRef?: string, owesDisplay = false): boolean {
    const inbound = message.direction === 'in';
    // Positional parameters: better-sqlite3 looks a named one up in the object one by one, and for
    // these 21 that cost more than the insert itself (about 20 µs of a received message's CPU).
    const result = this.sql(
      `INSERT OR IGNORE INTO messages(id, conversation_id, direction, sender, recipient, call_id, cseq, from_tag, content_type, body, text_body, at, sent_at, sort_key, run_epoch, state, reason, code, message_ref, display_owed, file)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      message.id,
      message.conversationId,
      message.direction,
      message.from,
      message.to,
      message.callId,
      message.cseq,
      // '' rather than NULL: two tag-less copies are the same message.
      fromTag ?? (inbound ? '' : null),
      message.contentType,
      message.body,
      message.text ?? null,
      message.at,
      message.sentAt ?? null,
      message.order ?? this.nextOrder(message.conversationId),
      inbound ? (runEpoch ?? 0) : null,
      message.state,
      reasonToColumn(message.reason),
      message.code ?? null,
      inbound ? (messageRef ?? null) : null,
      inbound && owesDisplay && messageRef !== undefined ? 1 : null,
      fileToColumn(message.file),
    );
    if (result.changes === 1) this.onInsert?.();
    return result.changes === 1;
  }

  /**
   * Record a delivery state soon: updates queued in one turn of the event loop are written in one
   * transaction (answers to 32 messages in flight arrive together). `flush()` writes them now.
   */
  setStateSoon(id: string, state: DeliveryState, reason?: Reason, code?: number): void {
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

  /**
   * Record a receipt of an outgoing message when it tells more than the one it holds (on-device,
   * then read; never back). Returns whether it did.
   */
  setReceipt(id: string, receipt: Receipt): boolean {
    const weaker = receipt === 'read' ? `(receipt IS NULL OR receipt = 'on-device')` : 'receipt IS NULL';
    return this.sql(`UPDATE messages SET receipt = ? WHERE id = ? AND direction = 'out' AND ${weaker}`).run(receipt, id).changes === 1;
  }

  /** The From tag an outgoing message is sent with from now on (sent again in another form). */
  setFromTag(id: string, fromTag: string): void {
    this.sql(`UPDATE messages SET from_tag = ? WHERE id = ? AND direction = 'out'`).run(fromTag, id);
  }

  /** Record a delivery state; returns whether such a message exists. */
  setState(id: string, state: DeliveryState, reason?: Reason, code?: number): boolean {
    return (
      this.sql('UPDATE messages SET state = ?, reason = ?, code = ? WHERE id = ?').run(state, reasonToColumn(reason), code ?? null, id)
        .changes === 1
    );
  }

  /**
   * The incoming messages of a conversation whose senders wait to hear they were displayed, taken:
   * they are owed nothing more afterwards (the caller answers them now, or never).
   */
  takeOwedDisplays(conversationId: string): OwedDisplay[] {
    return this.transaction(() => {
      const rows = this.sql(
        `SELECT id, sender, message_ref, COALESCE(sent_at, at) AS sent FROM messages WHERE conversation_id = ? AND display_owed IS NOT NULL ORDER BY sort_key`,
      ).all(conversationId) as { id: string; sender: string; message_ref: string; sent: number }[];
      this.sql('UPDATE messages SET display_owed = NULL WHERE conversation_id = ? AND display_owed IS NOT NULL').run(conversationId);
      return rows.map((row) => ({ id: row.id, from: row.sender, messageRef: row.message_ref, sentAt: row.sent }));
    });
  }

  /** The latest incoming message of a conversation (on screen), by what names it on every device of the account. */
  latestIncoming(conversationId: string): { callId: string; cseq: number; fromTag: string } | undefined {
    const row = this.sql(
      `SELECT call_id, cseq, from_tag FROM messages WHERE conversation_id = ? AND direction = 'in' ORDER BY sort_key DESC LIMIT 1`,
    ).get(conversationId) as { call_id: string; cseq: number; from_tag: string | null } | undefined;
    return row && { callId: row.call_id, cseq: row.cseq, fromTag: row.from_tag ?? '' };
  }

  /**
   * Another device of the account read up to the incoming message that came with this Call-ID, CSeq
   * and From tag: its conversation's unread becomes the number of messages after it (never more
   * than it was), and the "displayed" receipts owed up to it are dropped. Returns the conversation,
   * or undefined when no such message is here.
   */
  markReadUpTo(callId: string, cseq: number, fromTag: string): Conversation | undefined {
    return this.transaction(() => {
      const read = this.sql(
        `SELECT conversation_id, sort_key FROM messages WHERE direction = 'in' AND call_id = ? AND cseq = ? AND from_tag = ?`,
      ).get(callId, cseq, fromTag) as { conversation_id: string; sort_key: number } | undefined;
      if (!read) return undefined;
      this.sql(
        `UPDATE conversations SET unread = MIN(unread, (SELECT COUNT(*) FROM messages WHERE conversation_id = @id AND direction = 'in' AND sort_key > @after)) WHERE id = @id`,
      ).run({ id: read.conversation_id, after: read.sort_key });
      this.sql('UPDATE messages SET display_owed = NULL WHERE conversation_id = ? AND display_owed IS NOT NULL AND sort_key <= ?').run(
        read.conversation_id,
        read.sort_key,
      );
      return this.conversation(read.conversation_id);
    });
  }

  message(id: string): ChatMessage | undefined {
    this.flush(); // reads see every state already announced
    const row = this.sql('SELECT * FROM messages WHERE id = ?').get(id) as MessageRow | undefined;
    return row && messageOf({ ...row, rowid: 0 });
  }

  /** An outgoing message with the From tag it is sent with. */
  outgoing(id: string): OutboxRow | undefined {
    this.flush();
    const row = this.sql(`SELECT * FROM messages WHERE id = ? AND direction = 'out'`).get(id) as
      (MessageRow & { from_tag: string | null }) | undefined;
    return row ? { message: messageOf({ ...row, rowid: 0 }), fromTag: row.from_tag ?? '' } : undefined;
  }

  /** Outgoing messages not delivered yet (queued, sending, failed), by conversation and CSeq. */
  outbox(): OutboxRow[] {
    this.flush();
    const rows = this.sql(
      `SELECT * FROM messages WHERE direction = 'out' AND state IN ('queued', 'sending', 'failed') ORDER BY conversation_id, cseq`,
    ).all() as (MessageRow & { from_tag: string | null })[];
    return rows.map((row) => ({ message: messageOf({ ...row, rowid: 0 }), fromTag: row.from_tag ?? '' }));
  }

  /** The latest messages of a conversation in on-screen order (by `order`), before a time. */
  page(conversationId: string, beforeAt: number | undefined, limit: number): ChatMessage[] {
    this.flush(); // reads see every state already announced
    const rows = this.sql('SELECT * FROM messages WHERE conversation_id = ? AND at < ? ORDER BY sort_key DESC, rowid DESC LIMIT ?').all(
      conversationId,
      beforeAt ?? Number.MAX_SAFE_INTEGER,
      limit,
    ) as MessageRow[];
    return rows.reverse().map((row) => messageOf({ ...row, rowid: 0 }));
  }

  /**
   * The latest `perConversation` messages of the `conversations` most recently active
   * conversations, and the latest one of every other (what the list shows of it), each
   * conversation in `order`.
   */
  recent(perConversation: number, conversations: number): ChatMessage[] {
    this.flush(); // reads see every state already announced
    // One short index walk per conversation (messages_order), not a window over every message
    // stored: a snapshot must not cost more as the history grows.
    const latest = this.sql(
      'SELECT m.*, m.rowid AS r FROM messages m WHERE conversation_id = ? ORDER BY sort_key DESC, m.rowid DESC LIMIT ?',
    );
    const ids = this.sql('SELECT id FROM conversations ORDER BY last_activity DESC, rowid DESC').pluck().all() as string[];
    const rows: (MessageRow & { r: number })[] = [];
    ids.forEach((id, rank) => {
      for (const row of latest.all(id, rank < conversations ? perConversation : 1) as (MessageRow & { r: number })[]) rows.push(row);
    });
    const key = (sortKey: number | null) => sortKey ?? -Infinity; // NULL sorts first, as in SQL
    rows.sort((a, b) => a.at - b.at || key(a.sort_key) - key(b.sort_key) || a.r - b.r);
    return rows.map((row) => messageOf({ ...row, rowid: 0 }));
  }
}
