import fs from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../testing/cores.js';
import { openDatabase, type Db } from '../database.js';
import { HistoryClient } from './history-client.js';
import { seedBulk, seedConversation, seedMessages } from './testing/history-fixture.js';
import { HistoryError, HistoryReader } from './history-reader.js';
import { EXPORT_CHUNK } from './history-protocol.js';

let dir: string;
let db: Db;
let client: HistoryClient;
const faults: Error[] = [];

beforeEach(() => {
  dir = tempDir('parley-history-client-');
  db = openDatabase(dir);
  seedConversation(db, { id: 'c1' });
  seedMessages(db, [
    { id: 'a', conversationId: 'c1', body: 'hello from the worker' },
    { id: 'b', conversationId: 'c1', direction: 'out', body: 'hello back' },
  ]);
  faults.length = 0;
  client = new HistoryClient(db.name, { onFault: (error) => faults.push(error) });
});

afterEach(async () => {
  await client.close();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The running worker thread, to stop it as a crash would. */
const workerOf = (c: HistoryClient) => (c as unknown as { worker?: Worker }).worker;

describe(
  'HistoryClient (worker thread from TypeScript source)',
  // A worker compiled from TypeScript source that indexes tens of thousands of rows: seconds on a
  // loaded 2-CPU machine. The tests assert outcomes, never elapsed time.
  { timeout: 30_000 },
  () => {
    it('answers pages, searches and exports from the worker as the reader would', async () => {
      const reader = new HistoryReader(db);
      expect(await client.page('c1', {}, 10)).toEqual(reader.page('c1', {}, 10));
      expect(await client.page('c1', { beforeId: 'b' }, 10)).toEqual(reader.page('c1', { beforeId: 'b' }, 10));
      expect(await client.search('hello', undefined, 10)).toEqual(reader.search('hello', undefined, 10));
      const start = reader.exportConversation('c1', 'text', 1);
      expect(await client.exportConversation('c1', 'text', 1)).toEqual({
        fileName: start.fileName,
        mimeType: start.mimeType,
        content: [...start.pieces].join(''),
      });
      expect(client.starts).toBe(1);
    });

    it('open() starts the worker at once, which indexes what was left queued without being asked', async () => {
      const queued = () => db.prepare('SELECT count(*) FROM search_pending').pluck().get() as number;
      expect(queued()).toBe(2); // seeded, never indexed
      client.open();
      client.open(); // a second call starts nothing more
      expect(client.starts).toBe(1);
      for (let waited = 0; queued() > 0 && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(queued()).toBe(0);
      expect((await client.page('c1', {}, 10)).length).toBe(2);
      expect(client.starts).toBe(1);
    });

    it('sees what the main connection wrote a moment ago', async () => {
      expect(await client.search('fresh', undefined, 10)).toEqual([]);
      seedMessages(db, [{ id: 'c', conversationId: 'c1', body: 'fresh news', order: 3 }]);
      expect((await client.search('fresh', undefined, 10)).map((h) => h.message.id)).toEqual(['c']);
    });

    it('returns failures as rejected promises and keeps serving', async () => {
      await expect(client.exportConversation('nope', 'json', 0)).rejects.toBeInstanceOf(HistoryError);
      await expect(client.page('c1', { beforeId: 'nope' }, 10)).rejects.toThrow('no message nope in this conversation');
      expect((await client.page('c1', {}, 10)).length).toBe(2);
      expect(faults).toEqual([]);
    });

    it('sends a long export in chunks and puts them together in order', async () => {
      seedConversation(db, { id: 'big' });
      const body = 'x'.repeat(1000);
      seedMessages(
        db,
        Array.from({ length: 1500 }, (_, i) => ({ id: `big${i}`, conversationId: 'big', body: `${i} ${body}` })),
      );
      const result = await client.exportConversation('big', 'json', 0);
      expect(result.content.length).toBeGreaterThan(EXPORT_CHUNK * 4);
      const document = JSON.parse(result.content) as { messages: { id: string }[] };
      expect(document.messages.map((m) => m.id)).toEqual(Array.from({ length: 1500 }, (_, i) => `big${i}`));
    });

    it('fails the requests of a crashed worker and starts a new one for the next', async () => {
      await client.page('c1', {}, 1);
      // A search waits for the index to catch up: with this many messages queued it is surely
      // still in flight when the worker is stopped (a quick one could be answered first).
      seedBulk(db, 'c1', 20_000);
      const inFlight = client.search('hello', undefined, 10);
      await workerOf(client)!.terminate();
      await expect(inFlight).rejects.toThrow(/history worker stopped/);
      expect(faults.map((f) => f.message)).toEqual([expect.stringMatching(/history worker stopped/)]);
      expect((await client.search('hello', undefined, 10)).length).toBe(2);
      expect(client.starts).toBe(2);
    });

    it('stops the worker on close; requests then fail at once', async () => {
      await client.page('c1', {}, 1);
      const worker = workerOf(client)!;
      const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
      await client.close();
      await exited;
      await expect(client.search('hello', undefined, 1)).rejects.toThrow('history is closed');
      await client.close();
    });
  },
);
