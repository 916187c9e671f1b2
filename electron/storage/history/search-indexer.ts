/**
 * Indexes the messages queued in search_pending (see the last search migration) into both FTS
 * tables. Runs in the history worker on its own read-write connection, never on the main thread.
 * Each batch is one short BEGIN IMMEDIATE transaction: the write lock is held a few milliseconds,
 * so a commit of the main thread waits at most that long, and a batch is indexed and taken off
 * the queue together or not at all (a worker stopped mid-batch leaves it queued for next time).
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../database.js';

/**
 * Messages per transaction. Small on purpose: the main thread's busy handler sleeps on the main
 * event loop while the worker holds the lock (about 40 µs of FTS work per message).
 */
export const INDEX_BATCH = 50;
/**
 * And at most this much text per transaction (a message may hold 64 KiB): the lock time follows
 * the text indexed, not the number of messages.
 */
export const INDEX_BATCH_CHARS = 128 * 1024;

export class SearchIndexer {
  private readonly batchEnd: Statement;
  private readonly words: Statement;
  private readonly grams: Statement;
  private readonly dequeue: Statement;
  private readonly batch: (limit: number) => number;
  /** The catch-up under way; searches and hints that come meanwhile wait for the same one. */
  private draining?: Promise<void>;

  constructor(db: Db) {
    this.batchEnd = db.prepare(
      `SELECT p.rowid AS rowid, coalesce(length(coalesce(m.text_body, m.body)), 0) AS chars
       FROM search_pending p LEFT JOIN messages m ON m.rowid = p.rowid ORDER BY p.rowid LIMIT ?`,
    );
    // Queued rowids without a message (none should exist) are dropped by the join and dequeued.
    const queuedText =
      'SELECT m.rowid, coalesce(m.text_body, m.body) FROM search_pending p JOIN messages m ON m.rowid = p.rowid WHERE p.rowid <= ? ORDER BY p.rowid';
    this.words = db.prepare(`INSERT INTO message_words(rowid, text) ${queuedText}`);
    this.grams = db.prepare(`INSERT INTO message_grams(rowid, text) ${queuedText}`);
    this.dequeue = db.prepare('DELETE FROM search_pending WHERE rowid <= ?');
    const batch = db.transaction((limit: number): number => {
      const last = this.lastOfBatch(this.batchEnd.all(limit) as { rowid: number; chars: number }[]);
      if (last === undefined) return 0;
      this.words.run(last);
      this.grams.run(last);
      return this.dequeue.run(last).changes;
    });
    this.batch = (limit) => batch.immediate(limit);
  }

  /** The last queued rowid of a batch: the first row always, then as many as fit INDEX_BATCH_CHARS. */
  private lastOfBatch(queued: { rowid: number; chars: number }[]): number | undefined {
    let chars = 0;
    let last: number | undefined;
    for (const row of queued) {
      chars += row.chars;
      if (last !== undefined && chars > INDEX_BATCH_CHARS) break;
      last = row.rowid;
    }
    return last;
  }

  /** Indexes the oldest queued messages (up to `limit`); returns how many left the queue. */
  indexBatch(limit = INDEX_BATCH): number {
    return this.batch(limit);
  }

  /**
   * Indexes batch after batch until the queue is empty, turning the event loop between batches
   * (`nextTurn`) so other requests are answered in between. Resolves once a batch found nothing
   * queued, so every message committed before the call is indexed by then.
   */
  catchUp(nextTurn: () => Promise<void>): Promise<void> {
    if (!this.draining) {
      const drain = async () => {
        while (this.indexBatch() > 0) await nextTurn();
      };
      this.draining = drain().finally(() => (this.draining = undefined));
    }
    return this.draining;
  }
}

/** Whether messages wait to be indexed (one index probe: cheap enough for the main thread at start). */
export function hasQueuedForSearch(db: Db): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM search_pending) AS queued').pluck().get() === 1;
}
