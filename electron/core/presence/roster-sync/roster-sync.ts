/**
 * The contact list kept on the server as an XCAP resource-lists document
 * (docs/DESIGN.md#the-contact-list-on-the-server): read at login, so a new device or a reinstall
 * starts with the buddy list, and written after every local edit, with the rls-services document
 * that lets the server's resource list server serve it.
 *
 * Never a lost update: an edit is written over the version last agreed, named by its ETag
 * (If-Match); when the server has another one (412, another device wrote meanwhile) it is read again, merged three ways with what
 * this device had last agreed with the server (roster-merge.ts) and written again. A document that
 * is broken, hostile or not readable changes nothing here: the local list stays as it is and the
 * user is told once (a notice), and it is not overwritten (another client may own it).
 *
 * One pass at a time; edits made during a pass are picked up by the next one.
 */
import { XmlError } from '../../../sip/presence/index.js';
import {
  decodeResourceLists,
  encodeResourceLists,
  RESOURCE_LISTS_CONTENT_TYPE,
  type ContactList,
} from '../../../sip/xcap/resource-lists.js';
import { contactListUri, encodeRlsServices, RLS_SERVICES_CONTENT_TYPE } from '../../../sip/xcap/rls-services.js';
import { XcapError, type XcapClient } from '../../../sip/xcap/xcap-client.js';
import type { Logger } from '../../../support/logger.js';
import { EMPTY_LIST, mergeContactLists, sameContactLists } from './roster-merge.js';

/** Writes that met another device's version in a row before a pass gives up (until the next edit). */
export const MAX_CONFLICTS = 8;

/** What this device and the server last agreed on (kept in the database across restarts). */
export interface RosterSyncState {
  etag: string | undefined;
  base: ContactList;
}

export interface RosterSyncDeps {
  client: XcapClient;
  aor: string;
  logger: Logger;
  /** The list on this device now. */
  local(): ContactList;
  /** Make the device's list this one (a merge brought changes from the server). */
  apply(list: ContactList): void;
  loadState(): RosterSyncState | undefined;
  saveState(state: RosterSyncState): void;
  /** Tell the user something went wrong (once per kind of trouble until a pass succeeds). */
  notice(text: string): void;
  /** After each pass that reached the server (tests, and the subscriber: the list is there now). */
  onSynced?(list: ContactList): void;
}

export class RosterSync {
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private rlsWritten = false;
  private lastTrouble: string | undefined;
  /** A local edit waits to be written. */
  private edited = false;

  constructor(private readonly deps: RosterSyncDeps) {}

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
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async pass(): Promise<void> {
    try {
      const edited = this.edited;
      this.edited = false;
      if (edited && (await this.writeEdit())) {
        this.lastTrouble = undefined;
        return;
      }
      for (let attempt = 0; attempt < MAX_CONFLICTS && !this.stopped; attempt++) {
        if (await this.attempt()) {
          this.lastTrouble = undefined;
          return;
        }
      }
      if (!this.stopped)
        this.trouble('conflict', 'The contact list on the server keeps changing; it will be merged again at the next edit.');
    } catch (error) {
      if (error instanceof XmlError) {
        this.trouble(
          `xml:${error.code}`,
          `The contact list on the server cannot be read (${error.message}); the list on this device is kept and the server's is left as it is.`,
        );
      } else if (error instanceof XcapError) {
        this.trouble(`xcap:${error.code}`, `The contact list could not be synchronised with the server: ${error.message}.`);
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
    const saved = this.deps.loadState();
    if (!saved?.etag) return false;
    const local = this.deps.local();
    if (sameContactLists(local, saved.base)) return true;
    const written = await this.deps.client.put('resource-lists', encodeResourceLists(local), RESOURCE_LISTS_CONTENT_TYPE, saved.etag);
    if (!written.ok) return false;
    this.deps.saveState({ etag: written.etag, base: local });
    this.deps.onSynced?.(local);
    return true;
  }

  /** One read-merge-write; false when the write met another version (412). */
  private async attempt(): Promise<boolean> {
    const { client } = this.deps;
    const saved = this.deps.loadState();
    const read = await client.get('resource-lists');
    const remote = read.found ? decodeResourceLists(read.body) : undefined;
    // No document: nothing to merge with (a missing document is not "everything removed").
    const base = saved?.base ?? EMPTY_LIST;
    const local = this.deps.local();
    const merged = remote ? mergeContactLists(base, local, remote) : local;
    if (!sameContactLists(merged, local)) this.deps.apply(merged);
    let etag = read.found ? read.etag : undefined;
    if (!remote || !sameContactLists(merged, remote)) {
      const written = await client.put(
        'resource-lists',
        encodeResourceLists(merged),
        RESOURCE_LISTS_CONTENT_TYPE,
        read.found ? read.etag : null,
      );
      if (!written.ok) return false;
      etag = written.etag;
    }
    this.deps.saveState({ etag, base: merged });
    await this.ensureRlsServices();
    this.deps.onSynced?.(merged);
    return true;
  }

  /** The rls-services document naming the list, once per login (it never changes for an account). */
  private async ensureRlsServices(): Promise<void> {
    if (this.rlsWritten) return;
    const service = contactListUri(this.deps.aor);
    if (!service) return;
    const { client } = this.deps;
    const body = encodeRlsServices(service, client.documentUrl('resource-lists'));
    const read = await client.get('rls-services');
    if (!read.found || read.body !== body) {
      // Ours alone: Parley keeps one service per account, so an unconditional write is safe.
      await client.put('rls-services', body, RLS_SERVICES_CONTENT_TYPE, undefined);
    }
    this.rlsWritten = true;
  }

  private trouble(kind: string, text: string): void {
    this.deps.logger.warn('contact list sync failed', { kind });
    if (this.lastTrouble === kind) return;
    this.lastTrouble = kind;
    this.deps.notice(text);
  }
}
