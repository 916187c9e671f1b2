/**
 * Test support: conversations and messages written straight into a database, many at a time
 * (a history of 100,000 messages takes seconds, not the minutes sending them would).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import type { ChatMessage, Conversation } from '../../../../shared/ipc.js';
import type { Db } from '../../database.js';
import { migrations } from '../../migrations.js';
import { reasonToColumn } from '../../reason-column.js';
import { SearchIndexer } from '../search-indexer.js';

export function seedConversation(db: Db, conversation: Partial<Conversation> & { id: string }, aliases: string[] = []): Conversation {
  const full: Conversation = {
    peer: 'sip:bob@example.org',
    callId: `call-${conversation.id}`,
    lastActivity: 0,
    unread: 0,
    ...conversation,
  };
  db.prepare('INSERT INTO conversations(id, peer, call_id, next_cseq, last_activity, unread) VALUES (?, ?, ?, 1, ?, ?)').run(
    full.id,
    full.peer,
    full.callId,
    full.lastActivity,
    full.unread,
  );
  for (const alias of aliases) db.prepare('INSERT INTO call_id_aliases(call_id, conversation_id) VALUES (?, ?)').run(alias, full.id);
  return full;
}

/**
 * A database as the release before a migration left it: a fresh file in `dir` (which must not
 * hold one) with the migrations before the first one whose SQL contains `marker` applied.
 */
export function databaseBefore(dir: string, marker: string): Db {
  const version = migrations.findIndex((sql) => sql.includes(marker));
  if (version < 0) throw new Error(`no migration contains ${marker}`);
  fs.mkdirSync(dir, { recursive: true });
  const db = new Database(path.join(dir, 'parley.sqlite'));
  for (let v = 0; v < version; v++) db.exec(migrations[v]!);
  db.pragma(`user_version = ${version}`);
  return db;
}

export type SeedMessage = Partial<ChatMessage> & { id: string; conversationId: string; body: string };

/** Writes messages in one transaction; `order` defaults to the position in the list, `at` to order * 1000. */
export function seedMessages(db: Db, messages: readonly SeedMessage[], hasOrder = true): void {
  const insert = db.prepare(
    `INSERT INTO messages(id, conversation_id, direction, sender, recipient, call_id, cseq, from_tag, content_type, body, at, state, reason, code${hasOrder ? ', sort_key, sent_at, text_body' : ''})
     VALUES (@id, @conversationId, @direction, @from, @to, @callId, @cseq, @fromTag, @contentType, @body, @at, @state, @reason, @code${hasOrder ? ', @order, @sentAt, @text' : ''})`,
  );
  db.transaction(() => {
    messages.forEach((m, index) => {
      const order = m.order ?? index + 1;
      const direction = m.direction ?? 'in';
      insert.run({
        id: m.id,
        conversationId: m.conversationId,
        direction,
        from: m.from ?? (direction === 'in' ? 'sip:bob@example.org' : 'sip:alice@example.org'),
        to: m.to ?? (direction === 'in' ? 'sip:alice@example.org' : 'sip:bob@example.org'),
        callId: m.callId ?? `call-${m.conversationId}`,
        cseq: m.cseq ?? index + 1,
        fromTag: direction === 'in' ? `tag-${m.id}` : null,
        contentType: m.contentType ?? 'text/plain',
        body: m.body,
        at: m.at ?? order * 1000,
        state: m.state ?? (direction === 'in' ? 'received' : 'delivered'),
        reason: reasonToColumn(m.reason),
        code: m.code ?? null,
        ...(hasOrder ? { order, sentAt: m.sentAt ?? null, text: m.text ?? null } : {}),
      });
    });
  })();
}

/**
 * `count` incoming messages in one conversation, written by SQLite itself (no JavaScript objects:
 * hundreds of thousands take seconds and leave no garbage behind). Bodies read
 * "message <n> ref<k>", `at` is n seconds, `order` is n.
 */
export function seedBulk(db: Db, conversationId: string, count: number): void {
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO messages(id, conversation_id, direction, sender, recipient, call_id, cseq, from_tag, content_type, body, at, state, sort_key)
     SELECT ? || '-' || i, ?, 'in', 'sip:bob@example.org', 'sip:alice@example.org', 'call-' || ?, i, 'tag-' || i, 'text/plain',
            'message ' || i || ' ref' || (i * 7919 % 100000), i * 1000, 'received', i FROM n`,
  ).run(count, conversationId, conversationId, conversationId);
}

/**
 * Indexes every queued message at once on the calling thread, as the history worker would
 * before a search: for tests that search through a HistoryReader directly.
 */
export function indexQueued(db: Db): void {
  const indexer = new SearchIndexer(db);
  while (indexer.indexBatch(10_000) > 0);
}

/** Rowids waiting in the search queue, in order. */
export function queuedRowids(db: Db): number[] {
  return db.prepare('SELECT rowid FROM search_pending ORDER BY rowid').pluck().all() as number[];
}

/** Rowids held by each FTS index (a contentless_delete table lists them from its %_docsize). */
export function indexedRowids(db: Db): { words: number[]; grams: number[] } {
  const of = (table: string) => db.prepare(`SELECT rowid FROM ${table} ORDER BY rowid`).pluck().all() as number[];
  return { words: of('message_words'), grams: of('message_grams') };
}

/** Runs FTS5's own consistency check on both indexes; throws (SQLITE_CORRUPT_VTAB) when one is broken. */
export function checkIndexes(db: Db): void {
  for (const table of ['message_words', 'message_grams']) db.prepare(`INSERT INTO ${table}(${table}) VALUES ('integrity-check')`).run();
}
