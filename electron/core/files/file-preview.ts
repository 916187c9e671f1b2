/**
 * A received image shown in the conversation (docs/DESIGN.md#file-transfer): the window asks for
 * a done incoming transfer's bytes by its id, a chunk at a time, and makes a data: URL of them
 * (the CSP's img-src allows data:, shared/csp.ts). Only files whose first bytes are PNG, JPEG, GIF
 * or WebP are served, typed by those bytes and not by what the peer offered (an "image/png" that is
 * HTML or SVG is no preview), and only up to MAX_PREVIEW_BYTES.
 */
import fs from 'node:fs';
import { MAX_UPLOAD_CHUNK_BYTES, type FileTransfer } from '../../../shared/ipc.js';
import { UserError } from '../core.js';

/** Images larger than this get no preview (16 MiB: a phone's photo fits, a flood of reads does not). */
export const MAX_PREVIEW_BYTES = 16 * 1024 * 1024;

/** Each type's signature: bytes that must stand at given offsets of the file. */
const SIGNATURES: { type: string; parts: { at: number; bytes: number[] }[] }[] = [
  { type: 'image/png', parts: [{ at: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] }] },
  { type: 'image/jpeg', parts: [{ at: 0, bytes: [0xff, 0xd8, 0xff] }] },
  { type: 'image/gif', parts: [{ at: 0, bytes: [0x47, 0x49, 0x46, 0x38] }] },
  // "RIFF" <size> "WEBP"
  {
    type: 'image/webp',
    parts: [
      { at: 0, bytes: [0x52, 0x49, 0x46, 0x46] },
      { at: 8, bytes: [0x57, 0x45, 0x42, 0x50] },
    ],
  },
];

/** The image type the first 12 bytes say, or undefined. */
export function imageTypeOf(head: Uint8Array): string | undefined {
  return SIGNATURES.find((s) => s.parts.every(({ at, bytes }) => bytes.every((byte, i) => head[at + i] === byte)))?.type;
}

/** The chunk of a received image's bytes at `offset`, with its sniffed type and whole size. */
export async function readPreview(
  transfer: FileTransfer | undefined,
  offset: number,
): Promise<{ type: string; size: number; data: string }> {
  if (!transfer || transfer.direction !== 'in' || transfer.state !== 'done' || !transfer.savedAs)
    throw new UserError('that file was not received here', 'invalid-request');
  const handle = await fs.promises.open(transfer.savedAs, 'r').catch(() => {
    throw new UserError('the file is no longer there', 'failed');
  });
  try {
    const { size } = await handle.stat();
    if (size > MAX_PREVIEW_BYTES) throw new UserError('too large for a preview', 'invalid-request');
    const head = Buffer.alloc(12);
    await handle.read(head, 0, head.length, 0);
    const type = imageTypeOf(head);
    if (!type) throw new UserError('not an image Parley previews', 'invalid-request');
    const chunk = Buffer.alloc(Math.max(0, Math.min(MAX_UPLOAD_CHUNK_BYTES, size - offset)));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, offset);
    return { type, size, data: chunk.subarray(0, bytesRead).toString('base64') };
  } finally {
    await handle.close();
  }
}
