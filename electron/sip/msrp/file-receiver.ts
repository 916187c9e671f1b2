/**
 * Receiving one offered file over an MSRP connection (RFC 5547 §8 on RFC 4975): each SEND chunk
 * is written straight to its place in the `.part` file (its Byte-Range start), answered 200 once
 * it is on disk (that answer is the sender's flow control, file-sender.ts), and counted; nothing
 * is kept in memory beyond the chunks waiting for the disk. The file's SHA-1 is computed as the
 * chunks are written (received-file-hash.ts); when every byte of the size the offer declared is
 * there, it is compared with the offer's; the success REPORT goes only then. What the offer said binds the sender: a chunk past the declared size or a
 * Byte-Range total other than it ends the transfer (413/400), as do a sender that stops sending
 * for `stallMs`, one that queues more than MAX_QUEUED_BYTES unanswered, an abandoned message (`#`)
 * or a last chunk that leaves bytes missing. The caller owns the file's name and place.
 *
 * A broken link is not a failure (RFC 5547 §8, docs/DESIGN.md#resuming-a-file): when the
 * connection is cut under us, or the caller calls `interrupt()` (the peer's BYE mid-transfer), the
 * outcome says `interrupted` with the bytes kept: the part is cut back to the run of bytes from the
 * first that is on disk (chunks are written at their offsets, so only that run counts) and a later
 * receiver started with `resumeFrom` takes the rest into the same part.
 */
import fs from 'node:fs';
import type { Clock } from '../../support/clock.js';
import { ByteRanges } from './byte-ranges.js';
import type { MsrpConnection, MsrpFrame } from './connection.js';
import { encodeRequest, encodeResponse } from './frame-encoder.js';
import type { MsrpRequest } from './message.js';
import { ReceivedFileHash } from './received-file-hash.js';
import { failureReport, successReport, transactionResponse } from './report.js';
import { sameMsrpUri, type MsrpUri } from './uri.js';

/** No chunk for this long while bytes are missing: the sender has stalled. */
export const STALL_TIMEOUT_MS = 60_000;
/**
 * A success REPORT for the bytes 1..n on disk goes each time n grows by this much: the end-to-end
 * confirmation a resume starts from, and through a relay what paces the sender (a relay answers each
 * chunk itself, RFC 4976, so the sender's transaction 200s say only that the relay has it).
 */
export const PROGRESS_REPORT_BYTES = 256 * 1024;
/** Bytes received and not yet on disk: an honest sender has at most 4 MiB in flight (file-sender.ts). */
const MAX_QUEUED_BYTES = 16 * 1024 * 1024;

/** A chunk received and not yet written. */
interface PendingChunk {
  request: MsrpRequest;
  start: number;
  end: number;
}

export type FileReceiveOutcome = { ok: true } | { ok: false; reason: string; interrupted?: { kept: number } };

export interface FileReceiveOptions {
  local: MsrpUri;
  clock: Clock;
  /** The `.part` file: created here (it must not exist yet), or continued when `resumeFrom` is given. */
  partPath: string;
  /** A resumed transfer (1-based): the part holds every byte before this one, the sender starts here or before. */
  resumeFrom?: number;
  /** The size the offer declared: exactly this many bytes are taken. */
  size: number;
  /** The offer's SHA-1 (lower-case hex), checked on completion; undefined when the offer gave none. */
  sha1?: string;
  stallMs?: number;
  progress(received: number): void;
}

export class FileReceiver {
  private readonly ranges = new ByteRanges();
  private readonly hash = new ReceivedFileHash();
  private connection: MsrpConnection | undefined;
  private file: fs.promises.FileHandle | undefined;
  /** The part file's creation; what ends the transfer waits for it, so nothing is created after. */
  private opening: Promise<void> = Promise.resolve();
  private writes: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Chunks received and not yet written: the next write takes them all. */
  private readonly pending: PendingChunk[] = [];
  private messageId: string | undefined;
  /** The first chunk of the file: who the REPORTs go to and what they answer. */
  private first: MsrpRequest | undefined;
  private finished = false;
  private reported = false;
  /** The last byte a progress REPORT confirmed. */
  private confirmed = 0;
  /** Set by a cut or `interrupt()`: the part is kept for a resume, not a failure. */
  private cut = false;
  private timer: unknown;
  /** When the last chunk came (clock.now()), for the stall timer. */
  private lastChunkAt = 0;
  private resolve!: (outcome: FileReceiveOutcome) => void;
  readonly done: Promise<FileReceiveOutcome>;

  constructor(private readonly options: FileReceiveOptions) {
    this.done = new Promise((resolve) => (this.resolve = resolve));
    const from = options.resumeFrom ?? 1;
    if (from > 1) this.ranges.add(1, from - 1);
  }

  /** Whether the transfer ended by a cut (or `interrupt()`): resumable. */
  get interrupted(): boolean {
    return this.cut;
  }

  /**
   * Creates the `.part` file (it must not exist yet); chunks that come meanwhile wait behind it.
   * A file that cannot be made (exists, no room, no rights) fails the transfer.
   */
  open(): void {
    const resumed = (this.options.resumeFrom ?? 1) > 1;
    // A resume continues the part it kept (r+: it must exist); a new transfer never writes over a file.
    this.opening = fs.promises.open(this.options.partPath, resumed ? 'r+' : 'wx').then((file) => {
      if (this.finished) return void file.close().catch(() => {});
      this.file = file;
    });
    this.writes = this.opening.catch((error: unknown) => this.fail(`the file could not be created: ${String(error)}`));
    this.armStall();
  }

  /** The session's connection (accepted with its first frame, or made by us). */
  attach(connection: MsrpConnection, first?: MsrpFrame): void {
    if (this.finished) return connection.close('the transfer is over');
    this.connection = connection;
    connection.listen({
      frame: (item) => this.frame(item),
      closed: (reason, cut) => (cut ? this.interrupt(`the connection broke: ${reason}`) : this.fail(`the connection closed: ${reason}`)),
    });
    if (first) this.frame(first);
  }

  cancel(reason: string): void {
    this.fail(reason);
  }

  /** The link is gone (not a refusal): the bytes on disk are kept for a resume. */
  interrupt(reason: string): void {
    if (this.finished) return;
    this.cut = true;
    this.finish({ ok: false, reason });
  }

  /** A frame of this transfer that came on another connection than its own (file-transfers.ts alsoOn). */
  hear(item: MsrpFrame): void {
    this.frame(item);
  }

  private frame(item: MsrpFrame): void {
    if (this.finished) return;
    if (item.kind !== 'request') return; // our REPORTs are not answered; an invalid response is nothing to us
    const request = item.request;
    if (!request.toPath[0] || !sameMsrpUri(request.toPath[0], this.options.local)) return this.answer(request, 481);
    if (request.method === 'REPORT') return;
    if (request.method !== 'SEND') return this.answer(request, 501);
    if (request.contentType === undefined && request.body.length === 0 && this.first === undefined) return this.answer(request, 200);
    this.chunk(request);
  }

  private chunk(request: MsrpRequest): void {
    const size = this.options.size;
    this.messageId ??= request.messageId;
    if (request.messageId === undefined || request.messageId !== this.messageId) return this.answer(request, 400, 'one file per session');
    this.first ??= request;
    if (request.continuation === '#') {
      this.answer(request, 200);
      return this.fail('the sender gave the file up');
    }
    const start = request.byteRange?.start ?? 1;
    const end = start + request.body.length - 1;
    if (request.byteRange?.total !== undefined && request.byteRange.total !== size) {
      this.answer(request, 400, 'the size differs from the offer');
      return this.fail(`the sender's size (${request.byteRange.total} bytes) differs from its offer (${size} bytes)`);
    }
    if (end > size) {
      this.answer(request, 413, 'more bytes than offered');
      return this.fail(`the sender sent more bytes than the ${size} it offered`);
    }
    this.queued += request.body.length;
    if (this.queued > MAX_QUEUED_BYTES) return this.fail('the sender floods: it does not wait for its chunks to be taken');
    this.armStall();
    this.pending.push({ request, start, end });
    // One write for the chunks that came while the last was under way (small chunks through a
    // relay come faster than one write each could keep up with), each answered once it is on disk.
    if (this.pending.length > 1) return;
    this.writes = this.writes.then(() => this.writePending());
    this.writes = this.writes.catch((error: unknown) => this.fail(`the file could not be written: ${String(error)}`));
  }

  private async writePending(): Promise<void> {
    const batch = this.pending.splice(0);
    if (this.finished || !this.file) return;
    for (const run of contiguousRuns(batch)) {
      const bodies = run.map((chunk) => chunk.request.body).filter((body) => body.length > 0);
      const bytes = bodies.reduce((sum, body) => sum + body.length, 0);
      if (bytes > 0) {
        // The hash is taken from these bytes, not read back: a short write must not pass unseen.
        const { bytesWritten } = await this.file.writev(bodies, run[0]!.start - 1);
        if (bytesWritten !== bytes) throw new Error(`${bytesWritten} of ${bytes} bytes written`);
        for (const chunk of run) if (chunk.request.body.length > 0) this.hash.written(chunk.start - 1, chunk.request.body);
      }
      for (const { request, start, end } of run) {
        // Ended while it was written (a cut): left uncounted, so what a resume keeps is never more than is known.
        if (this.finished) return;
        this.queued -= request.body.length;
        this.ranges.add(start, end);
        this.answer(request, 200);
        this.confirmProgress();
        this.options.progress(this.ranges.size);
        if (this.ranges.covers(this.options.size)) return this.complete();
        if (request.continuation === '$')
          return this.fail(`the sender ended with bytes missing (${this.ranges.size} of ${this.options.size} bytes)`);
      }
    }
  }

  private async complete(): Promise<void> {
    const file = this.file!;
    this.file = undefined;
    await file.close();
    if (this.options.sha1 !== undefined) {
      if ((await this.hash.digest(this.options.partPath)) !== this.options.sha1) {
        this.report(400, 'hash mismatch');
        return this.fail('the file does not match the hash its sender offered');
      }
    }
    this.report(200);
    this.finish({ ok: true });
  }

  /** The one REPORT of the transfer: success after the hash, or the failure that ended it. */
  private report(code: number, comment?: string): void {
    const first = this.first;
    if (!first?.messageId || this.reported) return;
    this.reported = true;
    const fields = {
      messageId: first.messageId,
      fromPath: first.fromPath,
      successReport: first.successReport ?? 'no',
      failureReport: first.failureReport ?? 'yes',
    } as const;
    const size = this.options.size;
    const report =
      code === 200
        ? successReport(fields, size, this.options.local)
        : failureReport(fields, { start: 1, end: size, total: size }, code, this.options.local, comment);
    const encoded = report && encodeRequest(report);
    if (encoded?.ok) this.connection?.send(encoded.bytes);
  }

  /** A success REPORT for the gapless bytes on disk, every PROGRESS_REPORT_BYTES of them (none for the last: the final REPORT says it). */
  private confirmProgress(): void {
    const first = this.first;
    const prefix = this.ranges.prefix;
    if (!first?.messageId || prefix >= this.options.size || prefix - this.confirmed < PROGRESS_REPORT_BYTES) return;
    this.confirmed = prefix;
    const fields = { messageId: first.messageId, fromPath: first.fromPath, successReport: first.successReport ?? 'no' } as const;
    const report = successReport(fields, this.options.size, this.options.local, prefix);
    const encoded = report && encodeRequest(report);
    if (encoded?.ok) this.connection?.send(encoded.bytes);
  }

  private answer(request: MsrpRequest, code: number, comment?: string): void {
    const response = transactionResponse(request, code, this.options.local, comment);
    const encoded = response && encodeResponse(response);
    if (encoded?.ok) this.connection?.send(encoded.bytes);
  }

  /**
   * Notes that a chunk came. One timer runs at a time and, when it fires, waits again for what is
   * left since the last chunk: a timer set and cleared per chunk cost more than the chunk's write.
   */
  private armStall(): void {
    this.lastChunkAt = this.options.clock.now();
    if (this.timer === undefined) this.waitForChunk(this.options.stallMs ?? STALL_TIMEOUT_MS);
  }

  private waitForChunk(ms: number): void {
    this.timer = this.options.clock.setTimeout(() => {
      const left = this.lastChunkAt + (this.options.stallMs ?? STALL_TIMEOUT_MS) - this.options.clock.now();
      if (left > 0) return this.waitForChunk(left);
      this.timer = undefined;
      this.fail('the sender stalled', 408);
    }, ms);
  }

  private fail(reason: string, code = 400): void {
    if (this.finished) return;
    this.report(code, reason);
    this.finish({ ok: false, reason });
  }

  private finish(outcome: FileReceiveOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.options.clock.clearTimeout(this.timer);
    // The handle is closed before the outcome is known, so the caller may delete or rename the file
    // at once; after the write under way, so what an interruption keeps is what is on disk.
    const writes = this.writes;
    void this.opening
      .catch(() => {})
      .then(() => writes)
      .then(async () => {
        const file = this.file;
        this.file = undefined;
        if (!this.cut) return file?.close().catch(() => {});
        const kept = this.ranges.prefix;
        // Cut back to the gapless run from the first byte: nothing past it is trusted by a resume.
        await file?.truncate(kept).catch(() => {});
        await file?.close().catch(() => {});
        if (!outcome.ok) outcome = { ...outcome, interrupted: { kept } };
      })
      .then(() => this.resolve(outcome));
  }
}

/** Chunks in arrival order, split where one does not start right after the one before. */
function contiguousRuns(chunks: readonly PendingChunk[]): PendingChunk[][] {
  const runs: PendingChunk[][] = [];
  for (const chunk of chunks) {
    const run = runs.at(-1);
    if (run && run.at(-1)!.end + 1 === chunk.start) run.push(chunk);
    else runs.push([chunk]);
  }
  return runs;
}
