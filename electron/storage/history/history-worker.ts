/**
 * The history worker (a worker_thread): answers page, search and export requests from its own
 * read-only connection to the database file, so heavy queries never hold up the main event loop.
 * Every failure goes back as a value. Exports are sent in chunks, and the worker turns its event
 * loop between chunks, so a page asked for during a long export is answered in between.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { HistoryError, HistoryReader } from './history-reader.js';
import { EXPORT_CHUNK, type HistoryReply, type HistoryRequest, type HistoryValue, type HistoryWorkerData } from './history-protocol.js';

const port = parentPort;
if (!port) throw new Error('history-worker runs as a worker thread');
const { databasePath } = workerData as HistoryWorkerData;

const db = new Database(databasePath, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
const reader = new HistoryReader(db);

const post = (reply: HistoryReply) => port.postMessage(reply);
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function answer(request: HistoryRequest): Promise<HistoryValue> {
  switch (request.op) {
    case 'page':
      return reader.page(request.conversationId, request.cursor, request.limit);
    case 'search':
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

port.on('message', (request: HistoryRequest) => {
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
