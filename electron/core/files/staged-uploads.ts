/**
 * Files the window hands over to send (docs/DESIGN.md#sending-from-the-window): the page never
 * names a path on this machine. It sends the bytes of a file the user picked or dropped, in order,
 * in chunks, and they are written to a copy in a folder of our own ("outgoing" in the data folder);
 * `sendFile` then takes the upload's id, and only a complete upload can be offered. So whoever can
 * issue commands (a page, a WebSocket client of the browser host) can send only bytes it already
 * has, never a file it names.
 *
 * Bounded: at most MAX_OPEN uploads at once, each no larger than declared (and the declared size
 * no larger than the size limit), chunks strictly in order. The copy is deleted when its transfer
 * ends, when the upload is given up, and (leftovers of a run that crashed) when the core starts.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../core.js';
import { safeFileName } from './download-name.js';

/** Uploads open at once (a page that starts many and finishes none fills no disk). */
export const MAX_OPEN_UPLOADS = 8;

interface Upload {
  folder: string;
  file: string;
  size: number;
  received: number;
  handle: fs.promises.FileHandle;
  /** A write is under way: the next one must wait for its answer (they are in order). */
  busy: boolean;
}

export class StagedUploads {
  private readonly open = new Map<string, Upload>();

  constructor(private readonly dir: string) {}

  /** Removes what a previous run left (a crash mid-upload or mid-transfer). */
  async clearLeftovers(): Promise<void> {
    await fs.promises.rm(this.dir, { recursive: true, force: true }).catch(() => {});
  }

  /** A new upload of `size` bytes to be called `name` (made one plain file name). */
  async start(name: string, size: number, maxBytes: number): Promise<string> {
    if (size > maxBytes) throw new UserError(`the file is larger than the limit of ${maxBytes} bytes`, 'invalid-request');
    if (this.open.size >= MAX_OPEN_UPLOADS) throw new UserError('too many files being attached at once', 'failed');
    const id = randomBytes(12).toString('hex');
    // A folder per upload keeps the file's own name (the offer carries it) without clashes.
    const folder = path.join(this.dir, id);
    await fs.promises.mkdir(folder, { recursive: true, mode: 0o700 });
    const file = path.join(folder, safeFileName(name));
    const handle = await fs.promises.open(file, 'wx', 0o600);
    this.open.set(id, { folder, file, size, received: 0, handle, busy: false });
    return id;
  }

  /** Appends the chunk that starts at `offset` (which must be the bytes received so far). */
  async write(id: string, offset: number, data: Buffer): Promise<number> {
    const upload = this.find(id);
    if (upload.busy) throw new UserError('the previous chunk is still being written', 'invalid-request');
    if (offset !== upload.received) throw new UserError(`expected the chunk at ${upload.received}, not ${offset}`, 'invalid-request');
    if (upload.received + data.length > upload.size) {
      await this.discard(id);
      throw new UserError('more bytes than the declared size', 'invalid-request');
    }
    upload.busy = true;
    try {
      await upload.handle.write(data, 0, data.length, offset);
      upload.received += data.length;
    } finally {
      upload.busy = false;
    }
    return upload.received;
  }

  /**
   * The complete file, no longer open for writing; `release` deletes the copy (once its transfer
   * is over).
   */
  async take(id: string): Promise<{ file: string; release: () => void }> {
    const upload = this.find(id);
    if (upload.busy || upload.received !== upload.size)
      throw new UserError(`the file is not complete (${upload.received} of ${upload.size} bytes)`, 'invalid-request');
    this.open.delete(id);
    await upload.handle.close();
    return { file: upload.file, release: () => void fs.promises.rm(upload.folder, { recursive: true, force: true }).catch(() => {}) };
  }

  /** Gives an upload up: its copy deleted. Unknown ids are ignored (it may have been taken or given up already). */
  async discard(id: string): Promise<void> {
    const upload = this.open.get(id);
    if (!upload) return;
    this.open.delete(id);
    await upload.handle.close().catch(() => {});
    await fs.promises.rm(upload.folder, { recursive: true, force: true }).catch(() => {});
  }

  /** Every open upload given up (the core stops). */
  async close(): Promise<void> {
    await Promise.all([...this.open.keys()].map((id) => this.discard(id)));
  }

  private find(id: string): Upload {
    const upload = this.open.get(id);
    if (!upload) throw new UserError('no such upload (finished, given up, or never started)', 'invalid-request');
    return upload;
  }
}
