/**
 * The main thread's side of the history worker: requests go to the worker and come back as
 * promises; the main event loop never waits on a query. The worker starts on the first request
 * or hint, and again on the next one after it crashed (requests in flight then fail; nothing
 * hangs; messages stored meanwhile stay queued for indexing and are caught up then).
 * It does not keep the process alive while idle, nor while it indexes.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChatMessage, ConversationExport, SearchHit } from '../../../shared/ipc.js';
import type {
  ExportDone,
  HistoryReply,
  HistoryRequest,
  HistoryValue,
  HistoryWorkerData,
  IndexFault,
  IndexHint,
} from './history-protocol.js';
import { HistoryError, type PageCursor } from './history-reader.js';

/** Requests without their id (there is one union member per op). */
type Ask = HistoryRequest extends infer R ? (R extends HistoryRequest ? Omit<R, 'id'> : never) : never;

interface Pending {
  /** Export content arrives in pieces before the request's value. */
  resolve(answer: { value: HistoryValue; chunks: string[] }): void;
  reject(error: Error): void;
  chunks: string[];
}

/**
 * Where the worker's code is. Run from source (vitest, tsx), this module's URL ends in .ts and a
 * small .mjs starts the TypeScript worker through tsx; in the bundle (electron/build.ts) this code
 * sits in main.cjs and the worker is bundled beside it as history-worker.cjs.
 */
function workerLocation(): { file: string; entry?: string } {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    return { file: fileURLToPath(new URL('./history-worker-source.mjs', here)), entry: new URL('./history-worker.ts', here).href };
  }
  return { file: fileURLToPath(new URL('./history-worker.cjs', here)) };
}

export interface HistoryClientOptions {
  /** Told when the worker fails (it is started again on the next request) or cannot index. */
  onFault?: (error: Error) => void;
}

/**
 * How long a hint waits before it goes to the worker: the messages stored meanwhile (a burst of
 * sends or receipts) are indexed together, and the write path pays one timer per interval.
 */
export const HINT_DELAY_MS = 200;

export class HistoryClient {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;
  private hintTimer?: NodeJS.Timeout;
  /** How many workers were started: a restart after a crash shows here. */
  starts = 0;

  constructor(
    private readonly databasePath: string,
    private readonly options: HistoryClientOptions = {},
  ) {}

  async page(conversationId: string, cursor: PageCursor, limit: number): Promise<ChatMessage[]> {
    return (await this.ask({ op: 'page', conversationId, cursor, limit })).value as ChatMessage[];
  }

  async search(query: string, conversationId: string | undefined, limit: number): Promise<SearchHit[]> {
    const request = { op: 'search' as const, query, ...(conversationId !== undefined ? { conversationId } : {}), limit };
    return (await this.ask(request)).value as SearchHit[];
  }

  async exportConversation(conversationId: string, format: 'text' | 'json', exportedAt: number): Promise<ConversationExport> {
    const { value, chunks } = await this.ask({ op: 'export', conversationId, format, exportedAt });
    return { ...(value as ExportDone), content: chunks.join('') };
  }

  /**
   * Starts the worker now rather than at the first page or search, which would wait for its start
   * (a few hundred milliseconds: bench history); it indexes whatever the last run left queued.
   */
  open(): void {
    if (this.closed || this.worker) return;
    this.start().postMessage({ op: 'index' } satisfies IndexHint);
  }

  /**
   * Messages were stored (called on the write path, maybe inside its transaction): the worker is
   * told to index them a little later, once per HINT_DELAY_MS however many hints come, never
   * before the transaction that called this committed. A search does not depend on hints.
   */
  hint(): void {
    if (this.hintTimer || this.closed) return;
    this.hintTimer = setTimeout(() => {
      this.hintTimer = undefined;
      if (this.closed) return;
      (this.worker ?? this.start()).postMessage({ op: 'index' } satisfies IndexHint);
    }, HINT_DELAY_MS);
    this.hintTimer.unref();
  }

  /**
   * Stops the worker; requests still in flight fail. An unfinished index batch is rolled back
   * and stays queued for the next start. Safe to call twice.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.hintTimer);
    this.hintTimer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    this.failAll(new Error('history is closed'));
    await worker?.terminate();
  }

  private ask(request: Ask): Promise<{ value: HistoryValue; chunks: string[] }> {
    if (this.closed) return Promise.reject(new Error('history is closed'));
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, chunks: [] });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ ...request, id } as HistoryRequest);
    });
  }

  private start(): Worker {
    const { file, entry } = workerLocation();
    const workerData: HistoryWorkerData = { databasePath: this.databasePath, ...(entry ? { entry } : {}) };
    const worker = new Worker(file, { workerData });
    this.starts++;
    worker.unref();
    worker.on('message', (reply: HistoryReply | IndexFault) => {
      if ('indexFault' in reply) this.options.onFault?.(new Error(`search indexing failed: ${reply.indexFault}`));
      else this.onReply(worker, reply);
    });
    worker.on('error', (error) => this.options.onFault?.(error));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const error = new Error(`the history worker stopped (exit code ${code})`);
      this.failAll(error);
      this.options.onFault?.(error);
    });
    this.worker = worker;
    return worker;
  }

  private onReply(worker: Worker, reply: HistoryReply): void {
    const pending = this.pending.get(reply.id);
    if (!pending) return;
    if ('chunk' in reply) {
      pending.chunks.push(reply.chunk);
      return;
    }
    this.pending.delete(reply.id);
    if (reply.ok) pending.resolve({ value: reply.value, chunks: pending.chunks });
    else pending.reject(reply.error.told ? new HistoryError(reply.error.message) : new Error(reply.error.message));
    if (this.pending.size === 0) worker.unref();
  }

  private failAll(error: Error): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }
}
