/**
 * Sending one file over an MSRP connection (RFC 5547 §8 on RFC 4975): the file is read from disk
 * a block at a time and each piece goes as one SEND of the same Message-ID with its Byte-Range
 * (`start-end/size`), so a file of any size never sits in memory. At most WINDOW_BYTES wait for
 * their transaction 200 at once: the receiver answers a chunk once it is on its disk, so a slow
 * disk or a slow peer slows the reading here instead of filling the socket's buffer (which
 * connection.ts would cut at MAX_UNSENT_BYTES). Through a relay, which answers chunks itself, the
 * receiver's progress REPORTs bound what is in flight instead (RELAY_UNCONFIRMED_BYTES). The transfer is done when the success REPORT for
 * the whole file comes (the receiver sends it after checking size and hash), failed on any error
 * response, a failure REPORT, a connection we close, or `cancel()` (which tells the receiver with
 * a `#` chunk, RFC 4975 §7.1.3, so it knows the file is given up, not cut off).
 *
 * A connection cut under us, or `interrupt()` (the peer's BYE mid-transfer), is not a failure: the
 * outcome says `interrupted` with the bytes the receiver confirmed end to end (its success REPORTs
 * for the bytes on its disk so far, file-receiver.ts; a relay answers the chunks itself, so the
 * 200s do not say it), and a later sender started with `start` sends the rest
 * (RFC 5547 §8, docs/DESIGN.md#resuming-a-file).
 */
import fs from 'node:fs';
import type { Clock } from '../../support/clock.js';
import type { MsrpConnection, MsrpFrame } from './connection.js';
import { chunkFramer, encodeResponse, newTransactionId, type ChunkFramer } from './frame-encoder.js';
import { transactionResponse } from './report.js';
import type { MsrpUri } from './uri.js';

/**
 * Bytes per SEND over a direct connection, and per read from disk. What a chunk costs beyond its
 * bytes (a frame encoded and parsed, its transaction 200, a write at its offset) is the same at any
 * size, and at 64 KiB it was half of the sender's CPU (bench files); 256 KiB stays well under what a
 * receiver takes in one chunk (frame-parser.ts: 1 MiB) and a read of it takes a fraction of a
 * millisecond.
 */
export const FILE_CHUNK_BYTES = 256 * 1024;
/** Bytes sent and not yet answered by the next hop: 4 MiB keeps a loopback or LAN link busy. */
const WINDOW_BYTES = 16 * FILE_CHUNK_BYTES;
/**
 * Through a relay, bytes sent beyond what the receiver confirmed end to end (its success REPORTs,
 * file-receiver.ts PROGRESS_REPORT_BYTES). A relay would answer each chunk itself as it takes it
 * (RFC 4976), so chunks ask for no 200 there and only these REPORTs pace the sender; without this
 * bound the relay's queue towards a slower receiver fills and the relay drops chunks (the bundled
 * server queues 2 MiB per connection).
 */
export const RELAY_UNCONFIRMED_BYTES = 1024 * 1024;
/** How long the success REPORT may take after the last chunk: the receiver hashes the whole file first. */
export const FINAL_REPORT_TIMEOUT_MS = 120_000;

export type FileSendOutcome = { ok: true } | { ok: false; reason: string; interrupted?: { confirmed: number } };

export interface FileSendOptions {
  connection: MsrpConnection;
  local: MsrpUri;
  remotePath: readonly MsrpUri[];
  clock: Clock;
  path: string;
  size: number;
  contentType: string;
  messageId: string;
  /** First byte to send (1-based): a resumed transfer starts where the receiver's a=file-range says. */
  start?: number;
  /**
   * A relay is on the way: no frame is longer than this many bytes whole (the body of each chunk is
   * what its head leaves), and at most RELAY_UNCONFIRMED_BYTES go beyond the receiver's REPORTs.
   */
  relayFrameBytes?: number;
  /** Bytes the receiver has taken so far: its transaction 200s, through a relay its progress REPORTs. */
  progress(sent: number): void;
}

export class FileSender {
  /** Chunks sent and not answered yet: transaction id → bytes in it. */
  private readonly unanswered = new Map<string, number>();
  private unansweredBytes = 0;
  /** Bytes 1..n read and sent so far. */
  private sent: number;
  /** Body bytes per SEND. */
  private readonly chunkBytes: number;
  private readonly framer: ChunkFramer;
  /** A relay is on the way (`relayFrameBytes`). */
  private readonly relayed: boolean;
  private stream: fs.ReadStream | undefined;
  private finished = false;
  private timer: unknown;
  private resolve!: (outcome: FileSendOutcome) => void;
  readonly done: Promise<FileSendOutcome>;
  private answered: number;
  /** Bytes 1..n the receiver reported on its disk (success REPORTs): where a resume may start. */
  private confirmed: number;

  constructor(private readonly options: FileSendOptions) {
    this.answered = (options.start ?? 1) - 1;
    this.confirmed = this.answered;
    this.sent = this.answered;
    this.relayed = options.relayFrameBytes !== undefined;
    this.framer = framerFor(options, this.relayed);
    this.chunkBytes =
      options.relayFrameBytes === undefined ? FILE_CHUNK_BYTES : bodyWithin(options.relayFrameBytes, this.framer, options.size);
    this.done = new Promise((resolve) => (this.resolve = resolve));
  }

  /** Takes the connection's frames and starts reading. `held` came on it before we listened. */
  start(held: readonly MsrpFrame[] = []): void {
    const { connection } = this.options;
    for (const item of held) this.frame(item);
    connection.listen({
      frame: (item) => this.frame(item),
      closed: (reason, cut) => (cut ? this.interrupt(`the connection broke: ${reason}`) : this.fail(`the connection closed: ${reason}`)),
    });
    if (this.finished) return;
    if (this.options.size === 0) {
      this.sendChunk(Buffer.alloc(0), 1, '$');
      this.awaitReport();
      return;
    }
    if (this.chunkBytes < 1) return this.fail('the relay path leaves no room for a chunk in a frame');
    const stream = fs.createReadStream(this.options.path, {
      start: this.sent,
      end: this.options.size - 1,
      highWaterMark: Math.max(this.chunkBytes, FILE_CHUNK_BYTES),
    });
    this.stream = stream;
    stream.on('data', (data) => {
      // A block from disk goes as chunks of chunkBytes (one read for many small relay chunks).
      const block = data as Buffer;
      for (let offset = 0; offset < block.length && !this.finished; offset += this.chunkBytes) {
        const piece = block.subarray(offset, offset + this.chunkBytes);
        const last = this.sent + piece.length >= this.options.size;
        this.sendChunk(piece, this.sent + 1, last ? '$' : '+');
        this.sent += piece.length;
      }
      if (this.blocked()) stream.pause();
    });
    stream.on('error', (error) => this.fail(`the file could not be read: ${error.message}`));
    stream.on('end', () => {
      if (this.sent !== this.options.size) return this.fail('the file changed size while it was sent');
      this.awaitReport();
    });
  }

  /** Stops sending and tells the receiver the file is given up (an empty `#` chunk), before the BYE. */
  cancel(reason: string): void {
    if (this.finished) return;
    const position = Math.min(this.answered + 1, Math.max(this.options.size, 1));
    this.sendChunk(Buffer.alloc(0), position, '#');
    this.fail(reason);
  }

  /** The link is gone (not a refusal): what the receiver confirmed stays confirmed, for a resume. */
  interrupt(reason: string): void {
    this.finish({ ok: false, reason, interrupted: { confirmed: this.confirmed } });
  }

  private sendChunk(piece: Buffer, start: number, flag: '$' | '+' | '#'): void {
    if (this.finished) return;
    const range = { start, end: start + piece.length - 1, total: this.options.size };
    let transactionId = newTransactionId();
    let encoded = this.framer(transactionId, range, piece, flag);
    // A piece of file that happens to hold the end-line of its transaction id: another id (chunks.ts does the same).
    for (let tries = 0; !encoded.ok && tries < 4; tries++) {
      transactionId = newTransactionId();
      encoded = this.framer(transactionId, range, piece, flag);
    }
    if (!encoded.ok) return this.fail(`a chunk could not be framed: ${encoded.reason}`);
    if (this.relayed) {
      // No 200 comes through a relay (Failure-Report: partial): the relay has it once it is written.
      this.answered += piece.length;
    } else {
      this.unanswered.set(transactionId, piece.length);
      this.unansweredBytes += piece.length;
    }
    if (!this.options.connection.send(encoded.parts) && flag !== '#') this.interrupt('the connection closed');
  }

  /** A frame of this transfer that came on another connection than its own (file-transfers.ts alsoOn). */
  hear(item: MsrpFrame): void {
    this.frame(item);
  }

  private frame(item: MsrpFrame): void {
    if (this.finished) return;
    if (item.kind === 'response') {
      const { transactionId, code, comment } = item.response;
      if (this.relayed) {
        // Only failures are answered through a relay; this connection carries nothing but this file.
        if (code !== 200) this.fail(`a chunk was refused on the way: ${code} ${comment ?? ''}`.trim());
        return;
      }
      const bytes = this.unanswered.get(transactionId);
      if (bytes === undefined) return;
      this.unanswered.delete(transactionId);
      this.unansweredBytes -= bytes;
      if (code !== 200) return this.fail(`the receiver refused a chunk: ${code} ${comment ?? ''}`.trim());
      this.answered = Math.min(this.options.size, this.answered + bytes);
      this.options.progress(this.answered);
      this.resumeReading();
      return;
    }
    if (item.kind === 'invalid') return;
    const request = item.request;
    if (request.method === 'REPORT') {
      if (request.messageId !== this.options.messageId) return;
      const code = request.status?.code ?? 0;
      if (code === 200 && (request.byteRange?.end ?? 0) >= this.options.size) return this.succeed();
      if (code !== 200) return this.fail(`the receiver did not take the file: ${request.status?.comment ?? code}`);
      // Part of the file on the receiver's disk (from byte 1): never more than was sent.
      this.confirmed = Math.max(this.confirmed, Math.min(request.byteRange?.end ?? 0, this.answered));
      if (this.relayed) this.options.progress(this.confirmed);
      this.resumeReading();
      return;
    }
    // A bodiless SEND greets us when the receiver connected (it is the active end): answer it, nothing more.
    const answer = transactionResponse(request, request.method === 'SEND' ? 200 : 501, this.options.local);
    const bytes = answer && encodeResponse(answer);
    if (bytes?.ok) this.options.connection.send(bytes.bytes);
  }

  /** Reading waits while too much is unanswered by the next hop, or (through a relay) unconfirmed by the receiver. */
  private blocked(halfWindow = false): boolean {
    if (this.unansweredBytes >= (halfWindow ? WINDOW_BYTES / 2 : WINDOW_BYTES)) return true;
    return this.relayed && this.sent - this.confirmed >= RELAY_UNCONFIRMED_BYTES;
  }

  /** Reading goes on once half the window is answered (fewer pauses) and the receiver caught up. */
  private resumeReading(): void {
    if (this.stream?.isPaused() && !this.blocked(true)) this.stream.resume();
  }

  private awaitReport(): void {
    if (this.finished) return;
    this.timer = this.options.clock.setTimeout(() => this.fail('the receiver never confirmed the file'), FINAL_REPORT_TIMEOUT_MS);
  }

  private succeed(): void {
    if (this.finished) return;
    this.options.progress(this.options.size);
    this.finish({ ok: true });
  }

  private fail(reason: string): void {
    this.finish({ ok: false, reason });
  }

  private finish(outcome: FileSendOutcome): void {
    if (this.finished) return;
    this.finished = true;
    this.options.clock.clearTimeout(this.timer);
    this.stream?.destroy();
    this.resolve(outcome);
  }
}

/** The body that fits a frame of `frameBytes` with this transfer's longest head (its largest Byte-Range). */
export function bodyWithin(frameBytes: number, framer: ChunkFramer, size: number): number {
  const probe = framer(newTransactionId(), { start: size, end: size, total: size }, Buffer.alloc(0), '+');
  if (!probe.ok) return 0;
  return frameBytes - probe.parts.reduce((bytes, part) => bytes + part.length, 0);
}

/** What frames this transfer's chunks, or one that fails each (the shared fields did not encode). */
function framerFor(options: FileSendOptions, relayed: boolean): ChunkFramer {
  const framer = chunkFramer({
    method: 'SEND',
    toPath: options.remotePath,
    fromPath: [options.local],
    messageId: options.messageId,
    successReport: 'yes',
    // Through a relay a 200 says only that the relay has the chunk (the REPORTs pace us), so only
    // failures are asked for: half the frames the relay and both ends handle (RFC 4975 §7.1.2).
    failureReport: relayed ? 'partial' : 'yes',
    contentType: options.contentType,
  });
  return framer ?? (() => ({ ok: false, reason: 'its paths, Message-ID or type do not encode' }));
}
