/**
 * The file-transfer part of the contract (issue 14 point 4, RFC 5547 over MSRP): sending a file to
 * a contact, answering an offer, cancelling, the settings (downloads folder, size limit), and one
 * event that carries a transfer's whole state each time it changes (progress at most a few times
 * a second). Plain data validated with zod at every host boundary; no DOM, no Node, no Electron.
 */
import { z } from 'zod';
import { FileTransfer } from '../domain/file-transfer.js';

const Address = z.string().trim().min(1).max(512);
const TransferId = FileTransfer.shape.id;

/** Largest size limit that may be set: 1 TiB (offers above the limit are declined with a reason). */
export const MAX_FILE_LIMIT_BYTES = 2 ** 40;

/**
 * Largest piece of a file the window hands over in one `writeFileUpload` (base64 in JSON: well
 * inside the browser host's 1 MiB frame).
 */
export const MAX_UPLOAD_CHUNK_BYTES = 256 * 1024;
const UploadId = z.string().min(1).max(64);

// The transfer itself is domain data: the history keeps it too (ChatMessage.file).
export { FileTransfer, FileTransferState } from '../domain/file-transfer.js';

export const FileSettings = z.object({
  /** Absolute folder received files are saved in (created when missing). */
  downloadsDir: z.string().min(1).max(4096),
  /** Offers of larger files are declined with a reason. */
  maxBytes: z.number().int().positive().max(MAX_FILE_LIMIT_BYTES),
});
export type FileSettings = z.infer<typeof FileSettings>;

export const fileCommands = {
  /**
   * Sending from the window (docs/DESIGN.md#sending-from-the-window): the page hands over the bytes
   * of a file the user picked or dropped, never a path. Start an upload with the file's name and size...
   */
  startFileUpload: {
    request: z.object({ name: z.string().min(1).max(1024), size: z.number().int().nonnegative().max(MAX_FILE_LIMIT_BYTES) }).strict(),
    result: z.object({ upload: UploadId }),
  },
  /** ...write its bytes in order (`offset` is the bytes written so far)... */
  writeFileUpload: {
    request: z
      .object({
        upload: UploadId,
        offset: z.number().int().nonnegative(),
        data: z.base64().max(Math.ceil(MAX_UPLOAD_CHUNK_BYTES / 3) * 4),
      })
      .strict(),
    result: z.object({ received: z.number().int().nonnegative() }),
  },
  /** ...or give it up (its copy deleted). */
  cancelFileUpload: { request: z.object({ upload: UploadId }).strict(), result: z.object({}) },
  /** Offer a complete upload to a contact; its copy is deleted when the transfer ends. */
  sendFile: { request: z.object({ to: Address, upload: UploadId }).strict(), result: FileTransfer },
  /** Accept or decline an incoming offer. */
  answerFileOffer: { request: z.object({ id: TransferId, accept: z.boolean() }).strict(), result: FileTransfer },
  /** Stop a transfer in either direction (BYE to the peer); a partial download is deleted. */
  cancelFile: { request: z.object({ id: TransferId }).strict(), result: FileTransfer },
  /** Offer the rest of an interrupted outgoing transfer again (the receiver's card waits for its sender). */
  resumeFile: { request: z.object({ id: TransferId }).strict(), result: FileTransfer },
  /**
   * A received image's bytes for a preview, a chunk at a time from `offset` (core/files/file-preview.ts):
   * only PNG, JPEG, GIF and WebP by their first bytes (`type` is what the bytes say), at most 16 MiB.
   */
  readFilePreview: {
    request: z.object({ id: TransferId, offset: z.number().int().nonnegative() }).strict(),
    result: z.object({ type: z.string(), size: z.number().int().nonnegative(), data: z.string() }),
  },
  /** Transfers of this run, newest last. */
  listFileTransfers: { request: z.object({}).strict(), result: z.array(FileTransfer) },
  getFileSettings: { request: z.object({}).strict(), result: FileSettings },
  setFileSettings: { request: FileSettings.partial().strict(), result: FileSettings },
} as const;

/** A transfer appeared or changed. */
export const FileTransferEvent = z.object({ type: z.literal('file-transfer'), transfer: FileTransfer });
