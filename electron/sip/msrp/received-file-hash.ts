/**
 * The SHA-1 of a file being received (file-receiver.ts), computed as its chunks are written
 * instead of by reading the whole file back once it is complete: the sender waits for the success
 * REPORT, so a read-back of a large file lay on every transfer's time (100 MB: some 0.1–0.3 s).
 *
 * Chunks in order, what one sender on one connection sends, are hashed from memory right after
 * they are on disk. From the first chunk beyond the bytes hashed so far on (out of order, or after
 * a gap), in-order hashing stops and the rest is read back from disk at the end, from where it
 * stopped. A chunk that rewrites bytes already hashed (a repeated or overlapping range, whose
 * bytes the file now holds instead) makes the whole file read back. Either way the digest is of
 * the bytes in the file.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';

export class ReceivedFileHash {
  private hash = createHash('sha1');
  /** Bytes from the start of the file hashed in order. */
  private hashed = 0;
  /** A chunk came beyond `hashed`: the rest is read from disk at the end. */
  private gap = false;
  /** A chunk rewrote hashed bytes: the whole file is read at the end. */
  private rewritten = false;

  /** `body` is now on disk at `offset` (0-based). */
  written(offset: number, body: Buffer): void {
    if (this.rewritten || body.length === 0) return;
    if (offset < this.hashed) {
      this.rewritten = true;
      return;
    }
    if (this.gap || offset > this.hashed) {
      this.gap = true;
      return;
    }
    this.hash.update(body);
    this.hashed += body.length;
  }

  /** The hex digest of the file at `path`, once every byte is written (closed or not). */
  async digest(path: string): Promise<string> {
    if (this.rewritten) {
      this.hash = createHash('sha1');
      this.hashed = 0;
      this.gap = true;
    }
    if (this.gap) for await (const piece of fs.createReadStream(path, { start: this.hashed })) this.hash.update(piece as Buffer);
    return this.hash.digest('hex');
  }
}
