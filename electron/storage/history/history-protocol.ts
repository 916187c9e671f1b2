/** The messages between the main thread's HistoryClient and the history worker. */
import type { ChatMessage, SearchHit } from '../../../shared/ipc.js';
import type { PageCursor } from './history-reader.js';

/** Characters of export content per message to the main thread: each is a short task there. */
export const EXPORT_CHUNK = 256 * 1024;

export type HistoryRequest =
  | { id: number; op: 'page'; conversationId: string; cursor: PageCursor; limit: number }
  | { id: number; op: 'search'; query: string; conversationId?: string; limit: number }
  | { id: number; op: 'export'; conversationId: string; format: 'text' | 'json'; exportedAt: number };

/** Main thread -> worker, no reply: messages were stored, index them (see HistoryClient.hint). */
export interface IndexHint {
  op: 'index';
}

export interface ExportDone {
  fileName: string;
  mimeType: 'text/plain' | 'application/json';
}

export type HistoryValue = ChatMessage[] | SearchHit[] | ExportDone;

export type HistoryReply =
  | { id: number; ok: true; value: HistoryValue }
  /** `told`: a message for the person (unknown conversation...); otherwise a fault. */
  | { id: number; ok: false; error: { message: string; told: boolean } }
  /** A piece of an export's content; the pieces of one request arrive in order before its value. */
  | { id: number; chunk: string };

/** Worker -> main thread: indexing failed outside a request (the queue keeps the rows for later). */
export interface IndexFault {
  indexFault: string;
}

/** What the worker is started with. */
export interface HistoryWorkerData {
  /** The SQLite file the main connection has open (and migrated); the worker indexes it too. */
  databasePath: string;
  /** Source mode only: the worker module (TypeScript) the bootstrap loads through tsx. */
  entry?: string;
}
