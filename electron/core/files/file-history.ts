/**
 * File transfers kept in the conversation's history (docs/DESIGN.md#file-transfer): each transfer
 * is a message of kind file (its id the transfer's, its body the file's name), stored when the
 * transfer appears and updated when its state changes (never on progress), so after a restart the
 * conversation shows its file cards among the text, in time order, with how each ended.
 *
 * What Parley was closed (or crashed) during is settled at the next start: the message says so
 * (failed, with a reason the user understands) and the part file an incoming one wrote into is
 * deleted. A stored transfer is found again by its id for a preview or "Show in folder", with its
 * savedAs only while that still lies in the downloads folder; whether the file is still on disk is
 * told each time messages are shown (`missing`), never stored.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FINAL_FILE_STATES, type FileTransfer } from '../../../shared/domain/file-transfer.js';
import type { ChatMessage, Conversation, ParleyEvent } from '../../../shared/ipc.js';
import type { FileHistoryRepo } from '../../storage/file-history-repo.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { Logger } from '../../support/logger.js';
import { isInside } from './download-name.js';

/** Why a transfer under way when Parley stopped did not end. */
export const CLOSED_DURING = 'Parley was closed during the transfer';
/** Why an offer left unanswered when Parley stopped went nowhere. */
export const CLOSED_BEFORE_ANSWER = 'Parley was closed before the offer was answered';

export interface FileHistoryDeps {
  repo: FileHistoryRepo;
  messages: Pick<MessagesRepo, 'transaction' | 'insert' | 'touch' | 'conversation' | 'nextOrder'>;
  /** The conversation with a peer: the latest one, or a new one (Messaging.openConversation). */
  conversationWith(peer: string): Conversation;
  /** Our own address, the sender of what we send ('' without an account). */
  ourAddress(): string;
  downloadsDir(): string;
  emit(event: ParleyEvent): void;
  logger: Logger;
}

/** What was last stored of a transfer of this run. */
interface Stored {
  state: FileTransfer['state'];
  savedAs?: string | undefined;
  part?: string | undefined;
}

export class FileHistory {
  private readonly stored = new Map<string, Stored>();
  private quiet = false;

  constructor(private readonly deps: FileHistoryDeps) {}

  /**
   * A transfer's state, as FileTransfers announces it (file-transfers.ts `record`), with the part
   * file of an incoming one once there is one. A failure to store is logged: the transfer goes on.
   */
  record(transfer: FileTransfer, part: string | undefined): void {
    if (this.quiet) return;
    try {
      this.write(transfer, part);
    } catch (error) {
      this.deps.logger.warn('could not keep a file transfer in the history', { id: transfer.id, error });
    }
  }

  /**
   * Parley is stopping: what is still under way stays as it is stored, with its ledger row, and is
   * settled at the next start with the reason that it was closed (the teardown's "went offline"
   * would say less).
   */
  stopping(): void {
    this.quiet = true;
  }

  /** At start, before anything is shown: settle what the last run left under way, and delete its part files. */
  async settleLeftovers(): Promise<void> {
    const { repo, logger } = this.deps;
    for (const open of repo.unsettled()) {
      const stored = repo.transfer(open.id);
      if (stored && !FINAL_FILE_STATES.has(stored.state)) {
        const reason = stored.state === 'offered' ? CLOSED_BEFORE_ANSWER : CLOSED_DURING;
        repo.update({ ...stored, state: 'failed', reason });
      }
      // Only a part file of ours: the ledger names nothing else, and nothing else ends in .part.
      if (open.part && isPartFile(open.part))
        await fs.promises.rm(open.part, { force: true }).catch((error: unknown) => logger.warn('could not delete a part file', { error }));
      repo.settled(open.id);
    }
  }

  /**
   * A transfer in the history, by its id, for a preview or "Show in folder" after a restart: its
   * savedAs kept only while that lies directly in the downloads folder (the check the live
   * transfer passed before its file was put there).
   */
  find(id: string): FileTransfer | undefined {
    const transfer = this.deps.repo.transfer(id);
    if (!transfer?.savedAs || isInside(this.deps.downloadsDir(), transfer.savedAs)) return transfer;
    const { savedAs: _savedAs, ...outside } = transfer;
    return outside;
  }

  /** Messages as they are shown: a received file no longer on disk is marked `missing`. */
  async onDisk(messages: ChatMessage[]): Promise<ChatMessage[]> {
    if (!messages.some(hasSavedFile)) return messages;
    return Promise.all(
      messages.map(async (message) => {
        if (!hasSavedFile(message)) return message;
        const there = await fs.promises.stat(message.file.savedAs).then(
          (stat) => stat.isFile(),
          () => false,
        );
        return there ? message : { ...message, file: { ...message.file, missing: true as const } };
      }),
    );
  }

  private write(transfer: FileTransfer, part: string | undefined): void {
    const last = this.stored.get(transfer.id);
    if (!last) this.insert(transfer, part);
    else {
      if (last.state === transfer.state && last.savedAs === transfer.savedAs && (part === undefined || part === last.part)) return;
      this.deps.messages.transaction(() => {
        this.deps.repo.update(transfer);
        if (part !== undefined && part !== last.part) this.deps.repo.open(transfer.id, part);
      });
    }
    const known = part ?? last?.part;
    if (!FINAL_FILE_STATES.has(transfer.state)) {
      this.stored.set(transfer.id, { state: transfer.state, savedAs: transfer.savedAs, part: known });
      return;
    }
    this.stored.delete(transfer.id);
    // A part that was renamed (done) or never made leaves nothing behind; any other is deleted by
    // the transfer now, and its ledger row makes sure of it at the next start should Parley stop first.
    if (transfer.state === 'done' || known === undefined) this.deps.repo.settled(transfer.id);
  }

  /** The transfer's message, at the end of its conversation (made if there is none), announced as any message is. */
  private insert(transfer: FileTransfer, part: string | undefined): void {
    const { messages, repo } = this.deps;
    const conversation = this.deps.conversationWith(transfer.peer);
    const us = this.deps.ourAddress();
    const incoming = transfer.direction === 'in';
    const message: ChatMessage = messages.transaction(() => {
      const stored: ChatMessage = {
        id: transfer.id,
        conversationId: conversation.id,
        direction: transfer.direction,
        from: incoming ? transfer.peer : us,
        to: incoming ? us : transfer.peer,
        // It went in an INVITE of its own, not in the conversation's run of MESSAGEs.
        callId: '',
        cseq: 0,
        contentType: transfer.type,
        body: transfer.name,
        at: transfer.startedAt,
        order: messages.nextOrder(conversation.id),
        state: incoming ? 'received' : 'delivered',
        file: transfer,
      };
      messages.insert(stored);
      repo.open(transfer.id, part);
      // An offer is news, as a message is: unread until the conversation is read.
      messages.touch(conversation.id, transfer.startedAt, incoming ? 1 : 0);
      return stored;
    });
    const changed = messages.conversation(conversation.id);
    if (changed) this.deps.emit({ type: 'conversation', conversation: changed });
    this.deps.emit({ type: 'message', ...message });
  }
}

function hasSavedFile(message: ChatMessage): message is ChatMessage & { file: FileTransfer & { savedAs: string } } {
  return message.file?.direction === 'in' && message.file.state === 'done' && message.file.savedAs !== undefined;
}

/** The part file an incoming transfer writes into, as file-transfers.ts names it: `<final name>.part`. */
function isPartFile(file: string): boolean {
  return path.extname(file) === '.part';
}
