/**
 * The heavy reads of history: pages of a conversation, full-text search, export. Runs in the
 * history worker on a connection of its own (WAL: reads never block the writer), so none of it
 * runs on the main event loop. Search reads the FTS indexes as they are: the worker indexes what
 * is queued first (search-indexer.ts).
 */
import type { Statement } from 'better-sqlite3';
import type { ChatMessage, SearchHit } from '../../../shared/ipc.js';
import type { Db } from '../database.js';
import { exportFileName, jsonFooter, jsonHeader, jsonMessage, textHeader, textMessage, type ExportHeader } from './export-format.js';
import { matchRanges, snippet } from './highlight.js';
import { conversationOf, messageOf, type HistoryConversationRow, type HistoryMessageRow } from './history-rows.js';
import { searchPlan, searchTerms } from './search-terms.js';

/** A failure to tell the person as it is (an unknown conversation or message), not a fault. */
export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

export interface PageCursor {
  /** The page ends just before this message (on-screen order), stable among equal times/orders. */
  beforeId?: string;
  /** Or: the page holds messages sent/received before this time (epoch ms). */
  beforeAt?: number;
}

export interface ExportStart {
  fileName: string;
  mimeType: 'text/plain' | 'application/json';
  /** The document, piece by piece; each step reads one batch of messages. */
  pieces: Iterable<string>;
}

/** Messages read per step of an export: one batch is one short query. */
export const EXPORT_BATCH = 2000;

// rowid breaks ties of sort_key: two messages never compare equal, so no page skips or repeats one.
const ON_SCREEN_DESC = 'ORDER BY sort_key DESC, rowid DESC';

export class HistoryReader {
  // Compiled once per connection; search statements by the shape of their query.
  private readonly messageKey: Statement;
  private readonly pageBefore: Statement;
  private readonly pageBeforeAt: Statement;
  private readonly pageLatest: Statement;
  private readonly conversation: Statement;
  private readonly aliases: Statement;
  private readonly span: Statement;
  private readonly firstBatch: Statement;
  private readonly nextBatch: Statement;
  private readonly searches = new Map<string, Statement>();

  constructor(private readonly db: Db) {
    const messages = 'SELECT rowid, * FROM messages WHERE conversation_id = ?';
    this.messageKey = db.prepare('SELECT sort_key, rowid FROM messages WHERE id = ? AND conversation_id = ?');
    this.pageBefore = db.prepare(`${messages} AND (sort_key, rowid) < (?, ?) ${ON_SCREEN_DESC} LIMIT ?`);
    this.pageBeforeAt = db.prepare(`${messages} AND at < ? ${ON_SCREEN_DESC} LIMIT ?`);
    this.pageLatest = db.prepare(`${messages} ${ON_SCREEN_DESC} LIMIT ?`);
    this.conversation = db.prepare('SELECT * FROM conversations WHERE id = ?');
    this.aliases = db.prepare('SELECT call_id FROM call_id_aliases WHERE conversation_id = ? ORDER BY rowid');
    this.span = db.prepare(
      'SELECT count(*) AS count, min(at) AS first, max(at) AS last, max(rowid) AS top FROM messages WHERE conversation_id = ?',
    );
    this.firstBatch = db.prepare(`${messages} AND rowid <= ? ORDER BY sort_key, rowid LIMIT ?`);
    this.nextBatch = db.prepare(`${messages} AND rowid <= ? AND (sort_key, rowid) > (?, ?) ORDER BY sort_key, rowid LIMIT ?`);
  }

  page(conversationId: string, cursor: PageCursor, limit: number): ChatMessage[] {
    let rows: HistoryMessageRow[];
    if (cursor.beforeId !== undefined) {
      const from = this.messageKey.get(cursor.beforeId, conversationId) as { sort_key: number; rowid: number } | undefined;
      if (!from) throw new HistoryError(`no message ${cursor.beforeId} in this conversation`);
      rows = this.pageBefore.all(conversationId, from.sort_key, from.rowid, limit) as HistoryMessageRow[];
    } else if (cursor.beforeAt !== undefined) {
      rows = this.pageBeforeAt.all(conversationId, cursor.beforeAt, limit) as HistoryMessageRow[];
    } else {
      rows = this.pageLatest.all(conversationId, limit) as HistoryMessageRow[];
    }
    return rows.reverse().map(messageOf);
  }

  /** Messages holding every term of the query, newest first, each with an excerpt and its highlights. */
  search(query: string, conversationId: string | undefined, limit: number): SearchHit[] {
    const terms = searchTerms(query);
    if (terms.length === 0) return [];
    const plan = searchPlan(terms);
    // Newest first means most recently stored first: rowid order. The search is driven from a
    // full-text index read backwards (FTS5 hands out matches by rowid, either way, without
    // sorting), so a common word stops after `limit` matches instead of sorting every message
    // that holds it: ordering by time made SQLite fetch and sort them all (a second and more over
    // a million messages). The other index and the LIKE terms filter what it hands out.
    const driver = plan.words !== undefined ? 'message_words' : plan.grams !== undefined ? 'message_grams' : undefined;
    const where: string[] = [];
    const params: unknown[] = [];
    if (driver === 'message_words') {
      where.push('message_words MATCH ?');
      params.push(plan.words);
    }
    if (plan.grams !== undefined) {
      where.push(
        driver === 'message_grams' ? 'message_grams MATCH ?' : 'm.rowid IN (SELECT rowid FROM message_grams WHERE message_grams MATCH ?)',
      );
      params.push(plan.grams);
    }
    if (conversationId !== undefined) {
      where.push('m.conversation_id = ?');
      params.push(conversationId);
    }
    for (const like of plan.likes) {
      where.push("coalesce(m.text_body, m.body) LIKE ? ESCAPE '\\'");
      params.push(like);
    }
    const sql = driver
      ? `SELECT m.rowid, m.* FROM ${driver} JOIN messages m ON m.rowid = ${driver}.rowid WHERE ${where.join(' AND ')} ORDER BY ${driver}.rowid DESC LIMIT ?`
      : `SELECT m.rowid, m.* FROM messages m WHERE ${where.join(' AND ')} ORDER BY m.rowid DESC LIMIT ?`;
    let statement = this.searches.get(sql);
    if (!statement) this.searches.set(sql, (statement = this.db.prepare(sql)));
    const rows = statement.all(...params, limit) as HistoryMessageRow[];
    return rows.map((row) => {
      const message = messageOf(row);
      const text = message.text ?? message.body;
      return { message, ...snippet(text, matchRanges(text, terms)) };
    });
  }

  /** A whole conversation as a transcript or JSON, in on-screen order; read in batches as it is written. */
  exportConversation(conversationId: string, format: 'text' | 'json', exportedAt: number): ExportStart {
    const row = this.conversation.get(conversationId) as HistoryConversationRow | undefined;
    if (!row) throw new HistoryError(`no conversation ${conversationId}`);
    const aliases = (this.aliases.all(conversationId) as { call_id: string }[]).map((a) => a.call_id);
    // Messages that arrive while the export is written are left out, so the header's count holds.
    const span = this.span.get(conversationId) as { count: number; first: number | null; last: number | null; top: number | null };
    const header: ExportHeader = {
      conversation: conversationOf(row),
      aliases,
      count: span.count,
      ...(span.first !== null && span.last !== null ? { first: span.first, last: span.last } : {}),
      exportedAt,
    };
    return {
      fileName: exportFileName(row.peer, exportedAt, format),
      mimeType: format === 'text' ? 'text/plain' : 'application/json',
      pieces: this.pieces(conversationId, format, header, span.top ?? 0),
    };
  }

  private *pieces(conversationId: string, format: 'text' | 'json', header: ExportHeader, top: number): Generator<string> {
    yield format === 'text' ? textHeader(header) : jsonHeader(header);
    let written = 0;
    let after: { sort_key: number; rowid: number } | undefined;
    for (;;) {
      // Each batch is its own short query (keyset paging), so no statement stays open between
      // steps and other requests to this connection can run in between.
      const batch = (
        after
          ? this.nextBatch.all(conversationId, top, after.sort_key, after.rowid, EXPORT_BATCH)
          : this.firstBatch.all(conversationId, top, EXPORT_BATCH)
      ) as HistoryMessageRow[];
      for (const message of batch) {
        yield format === 'text' ? textMessage(messageOf(message)) : jsonMessage(messageOf(message), written === 0);
        written++;
      }
      const last = batch.at(-1);
      if (!last || batch.length < EXPORT_BATCH) break;
      after = { sort_key: last.sort_key ?? 0, rowid: last.rowid };
    }
    if (format === 'json') yield jsonFooter(written);
  }
}
