/**
 * The search queue (the last search migration) and its indexer, on real SQLite files: inserts on
 * the main connection only queue; the indexer moves queued rows into both FTS indexes; deletes and
 * changes of queued and of indexed rows keep the indexes consistent (FTS5 'integrity-check').
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { tempDir } from '../../testing/cores.js';
import { migrate, openDatabase, type Db } from '../database.js';
import { MessagesRepo } from '../messages-repo.js';
import { migrations } from '../migrations.js';
import {
  checkIndexes,
  databaseBefore,
  indexedRowids,
  indexQueued,
  queuedRowids,
  seedConversation,
  seedMessages,
} from './testing/history-fixture.js';
import { HistoryReader } from './history-reader.js';
import { hasQueuedForSearch, INDEX_BATCH_CHARS, SearchIndexer } from './search-indexer.js';

let dir: string;
let db: Db;
let reader: HistoryReader;

beforeEach(() => {
  dir = tempDir('parley-search-queue-');
  db = openDatabase(dir);
  reader = new HistoryReader(db);
  seedConversation(db, { id: 'c1' });
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const rowidOf = (id: string) => db.prepare('SELECT rowid FROM messages WHERE id = ?').pluck().get(id) as number;
const hits = (query: string) => reader.search(query, undefined, 50).map((h) => h.message.id);
/** Every byte the two FTS indexes keep, to show that something did not touch them. */
const ftsBytes = () =>
  ['message_words', 'message_grams'].flatMap((t) => [
    db.prepare(`SELECT id, block FROM ${t}_data ORDER BY id`).all(),
    db.prepare(`SELECT * FROM ${t}_docsize ORDER BY id`).all(),
  ]);

function chatMessage(n: number, body: string): ChatMessage {
  return {
    id: `m${n}`,
    conversationId: 'c1',
    direction: 'out',
    from: 'sip:alice@example.org',
    to: 'sip:bob@example.org',
    callId: 'call-c1',
    cseq: n,
    contentType: 'text/plain',
    body,
    at: n,
    state: 'queued',
  };
}

describe('the main connection', () => {
  it('only queues what MessagesRepo stores: no FTS table is written on the message path', () => {
    seedMessages(db, [{ id: 'old', conversationId: 'c1', body: 'already indexed' }]);
    indexQueued(db);
    const before = ftsBytes();
    let told = 0;
    const repo = new MessagesRepo(db, () => told++);

    repo.transaction(() => {
      for (let n = 1; n <= 40; n++) repo.insert(chatMessage(n, `walrus number ${n}`), `tag${n}`);
    });
    expect(repo.insert(chatMessage(1, 'walrus number 1'), 'tag1')).toBe(false); // a duplicate: nothing stored, nothing told
    repo.setState('m1', 'delivered'); // neither is a change of state

    expect(ftsBytes()).toEqual(before);
    expect(queuedRowids(db)).toEqual(Array.from({ length: 40 }, (_, i) => rowidOf(`m${i + 1}`)));
    expect(told).toBe(40);
    expect(hasQueuedForSearch(db)).toBe(true);
    expect(hits('walrus')).toEqual([]); // not searchable until indexed: the worker indexes before it searches
    expect(hits('indexed')).toEqual(['old']);
  });
});

describe('SearchIndexer', () => {
  it('bounds a batch by the text it indexes too: big messages go a few at a time, a huge one alone', () => {
    const big = 'walrus '.repeat(Math.floor(INDEX_BATCH_CHARS / 3.5 / 7)); // three fit the bound, four do not
    const huge = 'x'.repeat(INDEX_BATCH_CHARS * 2);
    seedMessages(db, [
      ...Array.from({ length: 5 }, (_, i) => ({ id: `b${i}`, conversationId: 'c1', body: big })),
      { id: 'h', conversationId: 'c1', body: huge },
      { id: 't', conversationId: 'c1', body: 'tiny' },
    ]);
    const indexer = new SearchIndexer(db);
    expect(indexer.indexBatch(50)).toBe(3);
    expect(indexer.indexBatch(50)).toBe(2);
    expect(indexer.indexBatch(50)).toBe(1); // the huge one, alone
    expect(indexer.indexBatch(50)).toBe(1);
    expect(indexer.indexBatch(50)).toBe(0);
    expect(hits('walrus').length).toBe(5);
    checkIndexes(db);
  });

  it('drains the queue oldest first in batches of at most the limit, into both indexes', () => {
    seedMessages(
      db,
      Array.from({ length: 25 }, (_, i) => ({ id: `s${i}`, conversationId: 'c1', body: `seal ${i} 海豹` })),
    );
    const all = queuedRowids(db);
    const indexer = new SearchIndexer(db);

    expect(indexer.indexBatch(10)).toBe(10);
    expect(queuedRowids(db)).toEqual(all.slice(10));
    expect(indexedRowids(db)).toEqual({ words: all.slice(0, 10), grams: all.slice(0, 10) });
    expect(indexer.indexBatch(10)).toBe(10);
    expect(indexer.indexBatch(10)).toBe(5);
    expect(indexer.indexBatch(10)).toBe(0);

    expect(hasQueuedForSearch(db)).toBe(false);
    expect(indexedRowids(db)).toEqual({ words: all, grams: all });
    expect(hits('seal').length).toBe(25);
    expect(hits('海豹').length).toBe(25);
    checkIndexes(db);
  });

  it('catches up in one go however many ask meanwhile, turning the loop between batches', async () => {
    seedMessages(
      db,
      Array.from({ length: 120 }, (_, i) => ({ id: `t${i}`, conversationId: 'c1', body: `tern ${i}` })),
    );
    const indexer = new SearchIndexer(db);
    let turns = 0;
    const nextTurn = () => {
      turns++;
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    const first = indexer.catchUp(nextTurn);
    expect(indexer.catchUp(nextTurn)).toBe(first);
    await first;
    expect(turns).toBe(3); // batches of 50: 50, 50, 20, then an empty one ends it
    expect(queuedRowids(db)).toEqual([]);
    // Done: the next call starts a new catch-up, which sees what was stored since.
    seedMessages(db, [{ id: 'late', conversationId: 'c1', body: 'tern late', order: 200 }]);
    await indexer.catchUp(nextTurn);
    expect(hits('late')).toEqual(['late']);
  });
});

describe('deletes and changes keep the indexes consistent', () => {
  beforeEach(() => {
    seedMessages(db, [
      { id: 'indexed', conversationId: 'c1', body: 'zebra crossing' },
      { id: 'kept', conversationId: 'c1', body: 'zebra stripes' },
    ]);
    indexQueued(db);
    seedMessages(db, [{ id: 'queued', conversationId: 'c1', body: 'zebra queued', order: 3 }]);
  });

  it('a queued row deleted only leaves the queue; an indexed one leaves both indexes', () => {
    const indexed = rowidOf('indexed');
    const kept = rowidOf('kept');
    db.prepare(`DELETE FROM messages WHERE id = 'queued'`).run();
    expect(queuedRowids(db)).toEqual([]);
    expect(indexedRowids(db)).toEqual({ words: [indexed, kept], grams: [indexed, kept] });
    checkIndexes(db);

    db.prepare(`DELETE FROM messages WHERE id = 'indexed'`).run();
    expect(indexedRowids(db)).toEqual({ words: [kept], grams: [kept] });
    checkIndexes(db);
    indexQueued(db);
    expect(hits('zebra')).toEqual(['kept']);
    expect(hits('crossing')).toEqual([]);
  });

  it('a changed text: an indexed row is taken out and queued again, a queued one stays queued once', () => {
    const indexed = rowidOf('indexed');
    const queued = rowidOf('queued');
    db.prepare(`UPDATE messages SET text_body = 'giraffe crossing' WHERE id = 'indexed'`).run();
    db.prepare(`UPDATE messages SET body = 'okapi queued' WHERE id = 'queued'`).run();
    db.prepare(`UPDATE messages SET body = 'okapi queued twice' WHERE id = 'queued'`).run();
    expect(queuedRowids(db)).toEqual([indexed, queued].sort((a, b) => a - b));
    expect(indexedRowids(db).words).toEqual([rowidOf('kept')]);
    checkIndexes(db);
    // A change of delivery state is not a change of text: nothing is queued for it.
    db.prepare(`UPDATE messages SET state = 'failed' WHERE id = 'kept'`).run();
    expect(queuedRowids(db)).not.toContain(rowidOf('kept'));

    indexQueued(db);
    expect(hits('zebra')).toEqual(['kept']);
    expect(hits('giraffe')).toEqual(['indexed']);
    expect(hits('okapi twice')).toEqual(['queued']);
    checkIndexes(db);
  });

  it('a conversation deleted by cascade takes its queued and indexed rows with it', () => {
    seedConversation(db, { id: 'c2' });
    seedMessages(db, [{ id: 'other', conversationId: 'c2', body: 'zebra elsewhere' }]);
    db.prepare(`DELETE FROM conversations WHERE id = 'c1'`).run();
    expect(queuedRowids(db)).toEqual([rowidOf('other')]);
    expect(indexedRowids(db)).toEqual({ words: [], grams: [] });
    checkIndexes(db);
    indexQueued(db);
    expect(hits('zebra')).toEqual(['other']);
    checkIndexes(db);
  });
});

describe('rowid reuse (messages has no INTEGER PRIMARY KEY)', () => {
  it.each([
    ['indexed', true],
    ['still queued', false],
  ])('the newest row deleted while %s: the next message takes its rowid and is indexed', (_, indexFirst) => {
    seedMessages(db, [
      { id: 'a', conversationId: 'c1', body: 'apple' },
      { id: 'b', conversationId: 'c1', body: 'banana' },
    ]);
    if (indexFirst) indexQueued(db);
    const reused = rowidOf('b');
    db.prepare(`DELETE FROM messages WHERE id = 'b'`).run();
    seedMessages(db, [{ id: 'c', conversationId: 'c1', body: 'cherry', order: 3 }]);
    expect(rowidOf('c')).toBe(reused);
    expect(queuedRowids(db)).toEqual(indexFirst ? [reused] : [rowidOf('a'), reused]);

    indexQueued(db);
    expect(hits('cherry')).toEqual(['c']);
    expect(hits('banana')).toEqual([]);
    expect(hits('apple')).toEqual(['a']);
    checkIndexes(db);
  });
});

describe('a database from before the queue', () => {
  it('keeps every indexed message searchable and queues only what comes after', () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    db = databaseBefore(dir, 'CREATE TABLE search_pending');
    // Indexed as that release did it: by the insert trigger, in the same transaction.
    seedConversation(db, { id: 'c1' });
    seedMessages(db, [
      { id: 'old1', conversationId: 'c1', body: 'Rendez-vous à la gare' },
      { id: 'old2', conversationId: 'c1', body: '明天东京塔见' },
    ]);
    const triggerNames = () =>
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' ORDER BY name`).pluck().all();
    expect(triggerNames()).toEqual(['messages_search_delete', 'messages_search_insert', 'messages_search_update']);

    migrate(db);
    reader = new HistoryReader(db);

    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(triggerNames()).toEqual(['messages_search_enqueue', 'messages_search_forget', 'messages_search_requeue']);
    expect(queuedRowids(db)).toEqual([]);
    expect(hits('gare')).toEqual(['old1']);
    expect(hits('东京塔')).toEqual(['old2']);
    seedMessages(db, [{ id: 'new', conversationId: 'c1', body: 'la gare encore', order: 3 }]);
    expect(queuedRowids(db)).toEqual([rowidOf('new')]);
    db.prepare(`DELETE FROM messages WHERE id = 'old2'`).run();
    db.prepare(`UPDATE messages SET body = 'au port' WHERE id = 'old1'`).run();
    indexQueued(db);
    expect(hits('gare')).toEqual(['new']);
    expect(hits('port')).toEqual(['old1']);
    expect(hits('东京塔')).toEqual([]);
    checkIndexes(db);
  });
});
