/**
 * One file transfer (RFC 5547) as every side sees it: the `file-transfer` event carries it whole
 * (shared/contract/files.ts), and a conversation's history keeps its last state as a message of
 * kind file (`ChatMessage.file`, docs/DESIGN.md#file-transfer).
 */
import { z } from 'zod';

export const FileTransferState = z.enum([
  /** Incoming: waiting for the user to accept or decline. */
  'offered',
  /** Outgoing: the offer is out, waiting for the peer's answer; incoming: accepted, waiting for the connection. */
  'connecting',
  'transferring',
  /**
   * The link broke mid-transfer (docs/DESIGN.md#resuming-a-file): the receiver keeps the bytes it
   * has, the sender offers the rest (once by itself, and with `resumeFile`).
   */
  'interrupted',
  'done',
  'declined',
  'cancelled',
  'failed',
]);
export type FileTransferState = z.infer<typeof FileTransferState>;

/** The states a transfer ends in: nothing changes after them. */
export const FINAL_FILE_STATES: ReadonlySet<FileTransferState> = new Set(['done', 'declined', 'cancelled', 'failed']);

export const FileTransfer = z.object({
  id: z.string().min(1).max(64),
  /** The normalised peer address. */
  peer: z.string(),
  direction: z.enum(['in', 'out']),
  /** Outgoing: the file's base name; incoming: the name as the peer offered it, made safe to show and save. */
  name: z.string(),
  size: z.number().int().nonnegative(),
  /** MIME type as offered ('application/octet-stream' when none was). */
  type: z.string(),
  state: FileTransferState,
  /** Bytes the receiver has so far. */
  transferred: z.number().int().nonnegative(),
  /** Resumed: the bytes the receiver kept from before, which the last resume did not send again. */
  resumedAt: z.number().int().nonnegative().optional(),
  /** Why it was declined, cancelled or failed, in words for the user. */
  reason: z.string().optional(),
  /** Incoming and done: where the verified file is (inside the downloads folder). */
  savedAs: z.string().optional(),
  /** Incoming and done, read from the history: `savedAs` is no longer there (moved or deleted since). */
  missing: z.literal(true).optional(),
  startedAt: z.number(),
});
export type FileTransfer = z.infer<typeof FileTransfer>;
