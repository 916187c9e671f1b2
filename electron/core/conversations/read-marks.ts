/**
 * Read marks across the account's devices (docs/DESIGN.md#read-marks-across-devices). When the user
 * reads a conversation on one device (its read mark, Messaging.markRead), that device tells its
 * siblings with a MESSAGE to its own address of record, which the server forks to every device of
 * the account: `application/vnd.parley.read-mark+json`, naming the latest incoming message read by
 * the Call-ID, CSeq and From tag it came with (the same on every device: the server forked one
 * request to all of them). A device that holds that message marks its conversation read up to it:
 * unread becomes the number of messages that came after it, and the senders' "displayed" receipts
 * owed up to it are dropped (the reading device sent them, or was told not to). Nothing goes to
 * the peer, whatever the read receipts setting says. A mark is believed only from the account's own
 * server and From our own address, like a copy of a sent message (sent-copies.ts).
 */
import { z } from 'zod';
import type { Conversation, ParleyEvent } from '../../../shared/ipc.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { Logger } from '../../support/logger.js';
import type { IncomingChat } from './incoming-chat.js';
import { takeOwnNote } from './own-notes.js';

export const READ_MARK_TYPE = 'application/vnd.parley.read-mark+json';

/** Larger than any mark we write: one is refused unread. */
const MAX_MARK_BYTES = 4096;

/** The latest incoming message read, by what identifies it on every device of the account. */
const ReadMark = z.object({
  v: z.literal(1),
  callId: z.string().min(1).max(256),
  cseq: z.number().int().nonnegative(),
  fromTag: z.string().max(256),
});
export type ReadMark = z.infer<typeof ReadMark>;

export interface ReadMarksDeps {
  repo: Pick<MessagesRepo, 'latestIncoming' | 'markReadUpTo'>;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** Our address of record while we have an account with a server, else undefined (nobody to tell). */
  accountAddress(): string | undefined;
  /** Whether this request is our own: From our address, from the account's own server. */
  fromOurselves(request: IncomingChat['request']): boolean;
  /** One MESSAGE to `to` (not stored, not retried). */
  send(to: string, contentType: string, body: string): void;
}

export class ReadMarks {
  constructor(private readonly deps: ReadMarksDeps) {}

  /** The user read this conversation here: the other devices hear up to which message. */
  read(conversationId: string): void {
    const ours = this.deps.accountAddress();
    const latest = this.deps.repo.latestIncoming(conversationId);
    if (!ours || !latest) return;
    const mark: ReadMark = { v: 1, ...latest };
    this.deps.send(ours, READ_MARK_TYPE, JSON.stringify(mark));
  }

  /** A read mark from a device of ours: this device marks the same messages read. */
  take(incoming: IncomingChat): void {
    const { fromOurselves, logger } = this.deps;
    const mark = takeOwnNote(incoming, { schema: ReadMark, maxBytes: MAX_MARK_BYTES, fromOurselves, logger, what: 'a read mark' });
    if (!mark) return;
    const conversation: Conversation | undefined = this.deps.repo.markReadUpTo(mark.callId, mark.cseq, mark.fromTag);
    if (conversation) this.deps.emit({ type: 'conversation', conversation });
  }
}
