/**
 * Search indexing in the history worker, on a real SQLite file: a search waits until everything
 * stored before it is indexed; a hint from the write path gets stored messages indexed without a
 * search; messages stored while no worker runs are caught up when one starts; closing in the
 * middle of a catch-up loses nothing and leaves the indexes consistent.
 */
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../testing/cores.js';
import { openDatabase, type Db } from '../database.js';
import { MessagesRepo } from '../messages-repo.js';
import { HistoryClient } from './history-client.js';
import { checkIndexes, indexedRowids, queuedRowids, seedBulk, seedConversation, seedMessages } from './testing/history-fixture.js';

let dir: string;
let db: Db;
const clients: HistoryClient[] = [];
const faults: Error[] = [];

/** A client as compose.ts makes one; closed after the test. */
function newClient(): HistoryClient {
  const client = new HistoryClient(db.name, { onFault: (error) => faults.push(error) });
  clients.push(client);
  return client;
}

const bulk = (prefix: string, count: number, from = 1) =>
  Array.from({ length: count }, (_, i) => ({
    id: `${prefix}${from + i}`,
    conversationId: 'c1',
    body: `${prefix} number ${from + i}`,
    order: from + i,
  }));
const allRowids = () => db.prepare('SELECT rowid FROM messages ORDER BY rowid').pluck().all() as number[];

beforeEach(() => {
  dir = tempDir('parley-history-indexing-');
  db = openDatabase(dir);
  seedConversation(db, { id: 'c1' });
  faults.length = 0;
});

afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(
  'indexing in the history worker',
  // A worker compiled from TypeScript source that indexes tens of thousands of rows: seconds on a
  // loaded 2-CPU machine. The tests assert outcomes, never elapsed time.
  { timeout: 30_000 },
  () => {
    it('answers a search only once everything stored before it is indexed', async () => {
      const client = newClient();
      await client.page('c1', {}, 1); // the worker is up, and idle: nothing is queued
      seedMessages(db, bulk('heron', 700));
      expect(queuedRowids(db).length).toBe(700);

      const hits = await client.search('heron', undefined, 1000);

      expect(hits.length).toBe(700);
      expect(queuedRowids(db)).toEqual([]);
      checkIndexes(db);
      expect(faults).toEqual([]);
    });

    it('indexes what the write path stored after its hint, without a search', async () => {
      const client = newClient();
      const repo = new MessagesRepo(db, () => client.hint());
      repo.createConversation({ id: 'c2', peer: 'sip:carol@example.org', callId: 'call-c2', lastActivity: 0, unread: 0 });
      repo.transaction(() => {
        for (let n = 1; n <= 30; n++) {
          repo.insert(
            {
              id: `p${n}`,
              conversationId: 'c2',
              direction: 'out',
              from: 'sip:alice@example.org',
              to: 'sip:carol@example.org',
              callId: 'call-c2',
              cseq: n,
              contentType: 'text/plain',
              body: `puffin ${n}`,
              at: n,
              state: 'queued',
            },
            `tag${n}`,
          );
        }
      });
      expect(client.starts).toBe(0); // the hint waits: nothing runs in the middle of the write path

      await vi.waitFor(() => expect(queuedRowids(db)).toEqual([]), { timeout: 20_000, interval: 20 });
      expect(client.starts).toBe(1);
      expect(indexedRowids(db).words).toEqual(allRowids());
      checkIndexes(db);
    });

    it('catches up when it starts with what was stored while no worker ran', async () => {
      seedMessages(db, bulk('ibis', 300));
      const client = newClient();
      await client.page('c1', {}, 1); // any request starts the worker; no search, no hint

      await vi.waitFor(() => expect(queuedRowids(db)).toEqual([]), { timeout: 20_000, interval: 20 });
      expect(indexedRowids(db).grams).toEqual(allRowids());
      checkIndexes(db);
    });

    it('never makes a transaction of the main connection fail while it indexes', async () => {
      // The worker commits index batches between a read and a write of a main-thread transaction:
      // one begun deferred would fail (SQLITE_BUSY, stale snapshot); MessagesRepo's begin IMMEDIATE.
      seedBulk(db, 'c1', 20_000);
      const client = newClient();
      const repo = new MessagesRepo(db);
      const catchUp = client.search('message', undefined, 1);
      let stored = 0;
      let done = false;
      catchUp.finally(() => (done = true)).catch(() => {}); // a failure is seen by the await below
      while (!done) {
        repo.transaction(() => {
          stored++;
          // Reads first (the next order, the duplicate check), then writes, as the message path does.
          repo.insert(
            {
              id: `w${stored}`,
              conversationId: 'c1',
              direction: 'out',
              from: 'sip:alice@example.org',
              to: 'sip:bob@example.org',
              callId: 'call-c1',
              cseq: stored,
              contentType: 'text/plain',
              body: `walrus ${stored}`,
              at: stored,
              state: 'queued',
            },
            `tag${stored}`,
          );
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
      await catchUp;
      expect(stored).toBeGreaterThan(10); // the two really ran side by side
      checkIndexes(db);
      expect((await client.search('walrus', undefined, 100_000)).length).toBe(stored);
    });

    it('closes without waiting for a catch-up; the rest is indexed by the next worker', async () => {
      seedMessages(db, bulk('kite', 4000));
      const first = newClient();
      await first.page('c1', {}, 1); // the catch-up has begun
      await first.close();

      // Whole batches only: what left the queue is in both indexes, the rest still queued.
      const queued = queuedRowids(db);
      const { words, grams } = indexedRowids(db);
      expect(words).toEqual(grams);
      expect([...words, ...queued]).toEqual(allRowids());
      checkIndexes(db);

      const hits = await newClient().search('kite', undefined, 5000);
      expect(hits.length).toBe(4000);
      checkIndexes(db);
      expect(faults).toEqual([]);
    });
  },
);
