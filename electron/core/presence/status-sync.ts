/**
 * One status across the account's devices (docs/DESIGN.md#one-status-across-devices). A manual
 * status the user sets or clears on one device is told to the others with a MESSAGE to the
 * account's own address of record, which the server forks to every device of the account (and
 * stores for those offline, as it does read marks): `application/vnd.parley.status+json`, the
 * manual status (or null) and when the user changed it. A device takes it when it is newer than the
 * last change it knows (the latest change wins, by the devices' clocks); its own note, forked back
 * to it, is not newer. The profiles and the schedule are the same on every device already (kept on
 * the server, xcap-sync/), so with the same manual status every device shows every watcher the
 * same view: in direct mode no two devices answer a watcher with contradictory documents, and in
 * server mode they publish the same state. A note is believed only From our own address and from
 * the account's own server; nothing goes to anyone else.
 */
import { z } from 'zod';
import { ManualStatus } from '../../../shared/domain/presence.js';
import type { IncomingChat } from '../conversations/incoming-chat.js';
import { takeOwnNote } from '../conversations/own-notes.js';
import type { Logger } from '../../support/logger.js';

export const STATUS_NOTE_TYPE = 'application/vnd.parley.status+json';

/** Larger than any note we write (a note is at most 1,024 characters): one is refused unread. */
const MAX_NOTE_BYTES = 8192;

const StatusNote = z.object({
  v: z.literal(1),
  manual: ManualStatus.nullable(),
  changedAt: z.number().int().nonnegative(),
});
type StatusNote = z.infer<typeof StatusNote>;

export interface StatusSyncDeps {
  /** Our address of record while we have an account with a server, else undefined (no siblings to tell). */
  accountAddress(): string | undefined;
  /** Whether this request is our own: From our address, from the account's own server. */
  fromOurselves(request: IncomingChat['request']): boolean;
  /** One MESSAGE to `to` (not stored, not retried). */
  send(to: string, contentType: string, body: string): void;
  /** Take a sibling's change when it is newer (presence-status.ts `adopt`). */
  adopt(manual: ManualStatus | null, changedAt: number): boolean;
  logger: Logger;
}

export class StatusSync {
  constructor(private readonly deps: StatusSyncDeps) {}

  /** The user changed the manual status here: the other devices hear it. */
  changed(manual: ManualStatus | null, changedAt: number): void {
    const ours = this.deps.accountAddress();
    if (!ours) return;
    const note: StatusNote = { v: 1, manual, changedAt };
    this.deps.send(ours, STATUS_NOTE_TYPE, JSON.stringify(note));
  }

  /** A status note: from a device of ours, taken when newer; from anyone else, refused. */
  take(incoming: IncomingChat): void {
    const { fromOurselves, logger } = this.deps;
    const note = takeOwnNote(incoming, { schema: StatusNote, maxBytes: MAX_NOTE_BYTES, fromOurselves, logger, what: 'a status note' });
    if (note && this.deps.adopt(note.manual, note.changedAt))
      logger.info('status taken from another device', { changedAt: note.changedAt });
  }
}
