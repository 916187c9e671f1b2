/**
 * The history worker (a worker_thread): answers page, search and export requests, and indexes
 * stored messages for search, on its own connection to the database file, so neither heavy
 * queries nor FTS indexing hold up the main event loop. Indexing runs when the worker starts
 * (catch-up of what was queued while none ran), when the main thread hints that messages were
 * stored, and always before a search, so a search sees every message stored before it was asked.
 * Every failure goes back as a value. Exports are sent in chunks, and the worker turns its event
 * loop between chunks (and between index batches), so a page asked for meanwhile is answered in
 * between.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryError, HistoryReader } from './history-reader.js';
import {
  EXPORT_CHUNK,
  type HistoryReply,
  type HistoryRequest,
  type HistoryValue,
  type HistoryWorkerData,
  type IndexFault,
  type IndexHint,
} from './history-protocol.js';
import { SearchIndexer } from './search-indexer.js';

const port = parentPort;
if (!port) throw new Error('history-worker runs as a worker thread');
const { databasePath } = workerData as HistoryWorkerData;

// Read-write for indexing. The main connection created the file, migrated it and set WAL mode;
// synchronous is per connection (NORMAL as on the main one: WAL stays consistent on power loss).
const db = new Database(databasePath, { fileMustExist: true });
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('busy_timeout = 5000');
const reader = new HistoryReader(db);
const indexer = new SearchIndexer(db);

const post = (reply: HistoryReply | IndexFault) => port.postMessage(reply);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Catch-up outside a request: a failure is reported; the rows stay queued for the next try. */
function catchUp(): void {
  indexer.catchUp(nextTurn).catch((error: unknown) => post({ indexFault: error instanceof Error ? error.message : String(error) }));
}

async function answer(request: HistoryRequest): Promise<HistoryValue> {
  switch (request.op) {
    case 'page':
      return reader.page(request.conversationId, request.cursor, request.limit);
    case 'search':
      await indexer.catchUp(nextTurn);
      return reader.search(request.query, request.conversationId, request.limit);
    case 'export': {
      const { fileName, mimeType, pieces } = reader.exportConversation(request.conversationId, request.format, request.exportedAt);
      let chunk = '';
      for (const piece of pieces) {
        chunk += piece;
        if (chunk.length >= EXPORT_CHUNK) {
          post({ id: request.id, chunk });
          chunk = '';
          await nextTurn();
        }
      }
      if (chunk.length > 0) post({ id: request.id, chunk });
      return { fileName, mimeType };
    }
  }
}

port.on('message', (message: HistoryRequest | IndexHint) => {
  if (message.op === 'index') return catchUp();
  const request = message;
  answer(request).then(
    (value) => post({ id: request.id, ok: true, value }),
    (error: unknown) =>
      post({
        id: request.id,
        ok: false,
        error: { message: error instanceof Error ? error.message : String(error), told: error instanceof HistoryError },
      }),
  );
});

catchUp();
