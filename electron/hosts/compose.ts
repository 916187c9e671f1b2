/**
 * The composition root: the one place that wires transports, clock, storage, logger and the
 * event sink into the core. Every host (Electron, browser, CLI) gets its Core from here.
 */
import path from 'node:path';
import type { AccountConfig } from '../../shared/ipc.js';
import { systemClock, type Clock } from '../support/clock.js';
import type { Core } from '../core/core.js';
import type { Logger } from '../support/logger.js';
import { ParleyCore } from '../core/parley-core.js';
import { openDatabase } from '../storage/database.js';
import { fileSecretBox, type SecretBox } from '../storage/file-secret-box.js';
import { MessagesRepo } from '../storage/messages-repo.js';
import { FileHistoryRepo } from '../storage/file-history-repo.js';
import { hasQueuedForSearch } from '../storage/history/search-indexer.js';
import { HistoryClient } from '../storage/history/history-client.js';
import { ReceiptsOwedRepo } from '../storage/receipts-owed-repo.js';
import { PeerOptionsRepo } from '../storage/peer-options-repo.js';
import { DraftsRepo } from '../storage/drafts-repo.js';
import { PresenceRepo } from '../storage/presence-repo.js';
import { SettingsRepo } from '../storage/settings-repo.js';
import { givenOrHostLog } from './host-log.js';

export interface ParleyOptions {
  /** Folder for the SQLite file and settings; created when missing. */
  dataDir: string;
  /** An account given on the command line overrides the stored one (and is not stored). */
  account?: AccountConfig;
  password?: string;
  /** host:port to listen on for direct mode; port 0 = any free port. Default 0.0.0.0:0. */
  listen?: string;
  logger?: Logger;
  /** Keep secrets with OS protection where the host has it (Electron safeStorage). */
  secretBox?: SecretBox;
  clock?: Clock;
  /** Keep-alive timing towards the proxy; tests shorten it. */
  keepAlive?: { intervalMs?: number; pongTimeoutMs?: number };
  /** Register at start when the account has a proxy (default true); `parley send` only sends. */
  register?: boolean;
  /** MESSAGE transactions in flight per conversation (default 8). */
  sendWindow?: number;
  /**
   * Start the history worker with the core, so that a window's first page or search does not wait
   * for its start (the app and the browser host). Otherwise it starts at the first request (the
   * CLI's one-shot commands, tests), or at once when the last run left messages to index.
   */
  openHistory?: boolean;
  /** Where received files go until the user chooses a folder (default: "downloads" in the data folder). */
  downloadsDir?: string;
}

export type { SecretBox };

/** Builds a core and starts it (sockets bound, registration under way). */
export async function createParley(options: ParleyOptions): Promise<Core> {
  const db = openDatabase(options.dataDir);
  // A host that brings no logger (the CLI) gets the log file in the data folder and stderr.
  const { logger, close: closeLog } = givenOrHostLog(options.logger, options.dataDir);
  const history = new HistoryClient(db.name, { onFault: (error) => logger.warn('history worker failed', { error: error.message }) });
  if (options.openHistory) history.open();
  // Messages left unindexed by the last run (quit or crash mid-catch-up) are indexed now.
  else if (hasQueuedForSearch(db)) history.hint();
  const core = new ParleyCore({
    settings: new SettingsRepo(db),
    messages: new MessagesRepo(db, () => history.hint()),
    fileHistory: new FileHistoryRepo(db),
    history,
    peerOptions: new PeerOptionsRepo(db),
    receiptsOwed: new ReceiptsOwedRepo(db),
    drafts: new DraftsRepo(db),
    presence: new PresenceRepo(db),
    secretBox: options.secretBox ?? fileSecretBox(options.dataDir),
    clock: options.clock ?? systemClock,
    logger,
    listen: options.listen ?? '0.0.0.0:0',
    downloadsDir: options.downloadsDir ?? path.join(options.dataDir, 'downloads'),
    uploadsDir: path.join(options.dataDir, 'outgoing'),
    register: options.register ?? true,
    ...(options.keepAlive ? { keepAlive: options.keepAlive } : {}),
    ...(options.sendWindow ? { sendWindow: options.sendWindow } : {}),
    ...(options.account ? { accountOverride: { account: options.account, password: options.password } } : {}),
    close: () => {
      db.close();
      void closeLog();
    },
  });
  try {
    await core.start();
  } catch (error) {
    await core.stop().catch(() => {});
    throw error;
  }
  return core;
}
