/**
 * One cold start of Parley on a prepared data folder (bench/history.ts), in a fresh process, run
 * from a bundle as the app runs its main process (bundleForNode in electron/build.ts):
 * createParley (the composition root every host uses), start, and the first full snapshot; then
 * conversations opened (their latest page) and history searches, through the core's commands as a
 * host calls them. Prints one JSON line with the times (ms).
 *
 *   node dist/bench/history-core.cjs '{"dataDir":"...","open":["id",...],"queries":[{"query":"..."}]}'
 */
import { performance } from 'node:perf_hooks';
import { createParley } from '../../electron/hosts/compose.js';
import { createLogger } from '../../electron/support/logger.js';

export interface HistoryCoreRequest {
  dataDir: string;
  /** Conversations to open, one after another. */
  open: string[];
  queries: { query: string; conversationId?: string }[];
}

export interface HistoryCoreResult {
  /** From process start to the bundle loaded (Node's start and Parley's code; Electron's own start is not in it). */
  importMs: number;
  /** createParley() until the first snapshot has come back: the start-up a user waits for. */
  snapshotMs: number;
  conversations: number;
  contacts: number;
  snapshotMessages: number;
  openMs: number[];
  openedMessages: number[];
  searchMs: number[];
  searchHits: number[];
}

async function main(): Promise<HistoryCoreResult> {
  const importMs = performance.now();
  const request = JSON.parse(process.argv[2] ?? '{}') as HistoryCoreRequest;
  const t0 = performance.now();
  const core = await createParley({
    dataDir: request.dataDir,
    logger: createLogger([{ level: 'warn', stream: process.stderr }]),
    openHistory: true, // as the app and the browser host start it
  });
  await core.start();
  const snapshot = await core.commands.getSnapshot({});
  const snapshotMs = performance.now() - t0;

  const openMs: number[] = [];
  const openedMessages: number[] = [];
  for (const conversationId of request.open) {
    const t = performance.now();
    const page = await core.commands.getMessages({ conversationId, limit: 100 });
    openMs.push(performance.now() - t);
    openedMessages.push(page.length);
  }
  const searchMs: number[] = [];
  const searchHits: number[] = [];
  for (const { query, conversationId } of request.queries) {
    const t = performance.now();
    const hits = await core.commands.searchMessages({ query, limit: 50, ...(conversationId ? { conversationId } : {}) });
    searchMs.push(performance.now() - t);
    searchHits.push(hits.length);
  }
  await core.stop();
  return {
    importMs,
    snapshotMs,
    conversations: snapshot.conversations.length,
    contacts: snapshot.presence.contacts.length,
    snapshotMessages: snapshot.messages.length,
    openMs,
    openedMessages,
    searchMs,
    searchHits,
  };
}

main().then(
  (result) => {
    console.log(JSON.stringify(result));
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
