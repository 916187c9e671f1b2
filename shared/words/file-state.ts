/**
 * What a file transfer's state is called, by direction (as Signal says "Sent", not "to send ·
 * Done"): on the transfer's card (renderer FileCard.tsx) and in a conversation's export.
 */
import type { FileTransfer } from '../domain/file-transfer.js';

export const FILE_STATE_WORDS: Record<FileTransfer['direction'], Record<FileTransfer['state'], string>> = {
  in: {
    offered: 'Wants to send you this file',
    connecting: 'Connecting…',
    transferring: 'Receiving',
    interrupted: 'Interrupted: waiting for the sender to resume',
    done: 'Received',
    declined: 'Declined',
    cancelled: 'Cancelled',
    failed: 'Not received',
  },
  out: {
    offered: 'Offered',
    connecting: 'Waiting for an answer…',
    transferring: 'Sending',
    interrupted: 'Interrupted',
    done: 'Sent',
    declined: 'Declined',
    cancelled: 'Cancelled',
    failed: 'Not sent',
  },
};
