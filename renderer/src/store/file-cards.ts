/**
 * Where a conversation's file cards go. A transfer is a message of kind file (ChatMessage.file),
 * so its card stands in the message list in time order; the strip below the list holds only what
 * has no message there: files still being handed to the core ("Preparing…") and a transfer whose
 * message the core could not store. Pure.
 */
import { normalizeAddress, type ChatMessage, type FileTransfer } from '../../../shared/ipc.js';
import type { Attaching } from './files-slice.js';

export interface StripCards {
  transfers: FileTransfer[];
  attaching: Attaching[];
}

export function stripCards(
  state: { fileTransfers: Record<string, FileTransfer>; attaching: Record<string, Attaching> },
  peer: string,
  messages: readonly ChatMessage[],
): StripCards {
  const who = normalizeAddress(peer);
  const held = new Set(messages.filter((m) => m.file).map((m) => m.id));
  return {
    transfers: Object.values(state.fileTransfers)
      .filter((t) => t.peer === who && !held.has(t.id))
      .sort((a, b) => a.startedAt - b.startedAt),
    attaching: Object.values(state.attaching).filter((a) => a.peer === peer),
  };
}

/** The card a file message shows: the transfer as this run's events left it, else as stored. */
export function shownTransfer(message: ChatMessage & { file: FileTransfer }, live: FileTransfer | undefined): FileTransfer {
  // A stored transfer marked missing is what the disk said when it was read; the live one knows no more.
  return live ? { ...live, ...(message.file.missing && live.state === 'done' ? { missing: true as const } : {}) } : message.file;
}
