/**
 * One of the user's XCAP documents kept in step with this device (docs/DESIGN.md#the-contact-list-on-the-server):
 * read at login and merged, so a new device or a reinstall starts with what the server holds, and
 * written after every local edit. What the document means is the caller's (`DocumentKind`): the
 * contact list (roster-sync/), the watcher decisions (pres-rules-sync.ts), the profiles and
 * schedule (presence-settings-sync.ts).
 *
 * Never a lost update: an edit is written over the version last agreed, named by its ETag
 * (If-Match); when the server has another one (412, another device wrote meanwhile) it is read
 * again, merged three ways with what this device had last agreed with the server and written
 * again. A document that is broken, hostile or not readable changes nothing here: the local value
 * stays as it is and the user is told once (a notice), and it is not overwritten (another client
 * may own it).
 *
 * One pass at a time; edits made during a pass are picked up by the next one. A pass the server
 * could not take (unreachable, or an error status) is tried again after a back-off, the edit
 * still waiting: an edit is never left behind because the network failed once.
 */
import { XmlError } from '../../../sip/presence/index.js';
import { XcapError, type XcapClient } from '../../../sip/xcap/xcap-client.js';
import type { Logger } from '../../../support/logger.js';
import { backoffDelay, JITTER_25, type Backoff } from '../../../../shared/backoff.js';

/** Writes that met another device's version in a row before a pass gives up (until the next edit). */
export const MAX_CONFLICTS = 8;

/** After a failed pass: 2 s, doubling to 5 minutes (the server may be away for a while). */
export const SYNC_RETRY: Backoff = { firstMs: 2_000, capMs: 300_000, jitter: JITTER_25 };

/** What this device and the server last agreed on (kept in the database across restarts). */
export interface DocumentSyncState<T> {
  etag: string | undefined;
  base: T;
}

/** What one kind of document is: its AUID, its codec and its three-way merge. */
export interface DocumentKind<T> {
  auid: string;
  /** The document's name in the user's directory (default "index"). */
  file?: string;
  contentType: string;
  /** The document's name for the user's notices, e.g. "The contact list". */
  title: string;
  encode(value: T): string;
  /** Throws XmlError for a document that cannot be read. */
  decode(body: string): T;
  /** `base`: last agreed; `local`: this device's now; `remote`: the server's now. */
  merge(base: T, local: T, remote: T): T;
  same(a: T, b: T): boolean;
  /** The base when nothing was ever agreed. */
  empty: T;
}

export interface DocumentSyncDeps<T> {
  client: XcapClient;
  kind: DocumentKind<T>;
  logger: Logger;
  /** The value on this device now. */
  local(): T;
  /** Make the device's value this one (a merge brought changes from the server). */
  apply(value: T): void;
  loadState(): DocumentSyncState<T> | undefined;
  saveState(state: DocumentSyncState<T>): void;
  /** Tell the user something went wrong (once per kind of trouble until a pass succeeds). */
  notice(text: string): void;
  /** After each read-merge-write that reached the server (before onSynced). */
  afterMerge?(): Promise<void>;
  /** After each pass that reached the server (tests, and the subscriber: the list is there now). */
  onSynced?(value: T): void;
}

export class DocumentSync<T> {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private lastTrouble: string | undefined;
  /** A local edit waits to be written. */
  private edited = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(private readonly deps: DocumentSyncDeps<T>) {}

  /** Read (and merge) now: at login. */
  start(): Promise<void> {
    return this.sync();
  }

  /** A local edit: write it (after the pass under way, if any). */
  localChanged(): void {
    this.edited = true;
    void this.sync();
  }

  /** Settles when no pass is running or queued. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
  }

  private sync(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.pass();
        } while (this.again && !this.stopped);
      } catch (error) {
        // Callers fire and forget (login, every edit): a fault here is logged, never an unhandled rejection.
        this.deps.logger.error('XCAP document sync failed unexpectedly', { auid: this.deps.kind.auid, error });
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    const { title } = this.deps.kind;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const edited = this.edited;
    this.edited = false;
    try {
      if (edited && (await this.writeEdit())) {
        this.succeeded();
        return;
      }
      for (let attempt = 0; attempt < MAX_CONFLICTS && !this.stopped; attempt++) {
        if (await this.attempt()) {
          this.succeeded();
          return;
        }
      }
      if (!this.stopped) this.trouble('conflict', `${title} on the server keeps changing; it will be merged again at the next edit.`);
    } catch (error) {
      if (error instanceof XmlError) {
        this.trouble(
          `xml:${error.code}`,
          `${title} on the server cannot be read (${error.message}); the one on this device is kept and the server's is left as it is.`,
        );
      } else if (error instanceof XcapError) {
        this.trouble(`xcap:${error.code}`, `${title} could not be synchronised with the server: ${error.message}.`);
        this.retryLater(edited);
      } else {
        throw error;
      }
    }
  }

  /**
   * A local edit on top of the version last agreed: written straight over it (If-Match its ETag).
   * False when there is no such version, or the server has another one (412: another device wrote;
   * the caller then reads, merges and writes).
   */
  private async writeEdit(): Promise<boolean> {
    const { kind } = this.deps;
    const saved = this.deps.loadState();
    if (!saved?.etag) return false;
    const local = this.deps.local();
    if (kind.same(local, saved.base)) return true;
    const written = await this.deps.client.put(kind.auid, kind.encode(local), kind.contentType, saved.etag, kind.file);
    // Stopped meanwhile (logout, quit): the device's storage may be closed; the next login reconciles.
    if (this.stopped) return true;
    if (!written.ok) return false;
    this.deps.saveState({ etag: written.etag, base: local });
    this.deps.onSynced?.(local);
    return true;
  }

  /** One read-merge-write; false when the write met another version (412). */
  private async attempt(): Promise<boolean> {
    const { client, kind } = this.deps;
    const saved = this.deps.loadState();
    const read = await client.get(kind.auid, kind.file);
    if (this.stopped) return true;
    const remote = read.found ? kind.decode(read.body) : undefined;
    // No document: nothing to merge with (a missing document is not "everything removed").
    const base = saved?.base ?? kind.empty;
    const local = this.deps.local();
    const merged = remote ? kind.merge(base, local, remote) : local;
    if (!kind.same(merged, local)) this.deps.apply(merged);
    let etag = read.found ? read.etag : undefined;
    if (!remote || !kind.same(merged, remote)) {
      const written = await client.put(kind.auid, kind.encode(merged), kind.contentType, read.found ? read.etag : null, kind.file);
      if (this.stopped) return true;
      if (!written.ok) return false;
      etag = written.etag;
    }
    this.deps.saveState({ etag, base: merged });
    await this.deps.afterMerge?.();
    this.deps.onSynced?.(merged);
    return true;
  }

  private succeeded(): void {
    this.lastTrouble = undefined;
    this.failures = 0;
  }

  /** The server could not be reached or refused: the same pass again later, the edit kept. */
  private retryLater(edited: boolean): void {
    if (this.stopped) return;
    if (edited) this.edited = true;
    this.retryTimer = setTimeout(() => void this.sync(), backoffDelay(this.failures++, SYNC_RETRY));
    this.retryTimer.unref();
  }

  private trouble(kind: string, text: string): void {
    this.deps.logger.warn('XCAP document sync failed', { auid: this.deps.kind.auid, kind });
    if (this.lastTrouble === kind) return;
    this.lastTrouble = kind;
    this.deps.notice(text);
  }
}
