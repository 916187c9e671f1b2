/**
 * The file-transfer part of the contract (issue 14 point 4, RFC 5547 over MSRP): sending a file to
 * a contact, answering an offer, cancelling, the settings (downloads folder, size limit), and one
 * event that carries a transfer's whole state each time it changes (progress at most a few times
 * a second). Plain data validated with zod at every host boundary; no DOM, no Node, no Electron.
 */
import { z } from 'zod';

const Address = z.string().trim().min(1).max(512);
const TransferId = z.string().min(1).max(64);

/** Largest size limit that may be set: 1 TiB (offers above the limit are declined with a reason). */
export const MAX_FILE_LIMIT_BYTES = 2 ** 40;

/**
 * Largest piece of a file the window hands over in one `writeFileUpload` (base64 in JSON: well
 * inside the browser host's 1 MiB frame).
 */
export const MAX_UPLOAD_CHUNK_BYTES = 256 * 1024;
const UploadId = z.string().min(1).max(64);

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

export const FileTransfer = z.object({
  id: TransferId,
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
  startedAt: z.number(),
});
export type FileTransfer = z.infer<typeof FileTransfer>;

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
