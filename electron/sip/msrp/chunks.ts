/**
 * An outgoing message cut into SEND chunks with Byte-Range (RFC 4975 §5.1, §7.1.1), and the
 * interruptible chunk: one whose head goes out before its body is known (Byte-Range
 * `start-*\/total`), so a long file can yield the connection to a chat message (`+`, the rest
 * follows in a later chunk) or be given up (`#`).
 */
import {
  encodeRequest,
  encodeRequestHead,
  endLine,
  endLineMarker,
  newTransactionId,
  type Encoded,
  type OutgoingRequest,
} from './frame-encoder.js';
import type { Continuation } from './message.js';

/** Small enough that a chunk of a large message never holds a chat message back for long. */
export const DEFAULT_CHUNK_SIZE = 2048;

export type MessageFields = Omit<OutgoingRequest, 'method' | 'transactionId' | 'byteRange' | 'body' | 'continuation'> & {
  messageId: string;
};

export interface ChunkOptions {
  chunkSize?: number;
  /** Where the first chunk starts (1-based): a resumed transfer sends only what the peer lacks. */
  start?: number;
  /** A fresh id per chunk; tests pass a fixed sequence. */
  transactionId?: () => string;
}

/**
 * The SENDs of one message, each framed; an empty body is one SEND with Byte-Range 1-0/0. A
 * transaction id whose end-line the chunk's body happens to contain is replaced by another.
 */
export function* chunkMessage(
  fields: MessageFields,
  body: Buffer,
  options: ChunkOptions = {},
): Generator<Encoded & { transactionId: string }> {
  const size = Math.max(1, Math.floor(options.chunkSize ?? DEFAULT_CHUNK_SIZE));
  const nextId = options.transactionId ?? newTransactionId;
  const total = body.length;
  let start = Math.max(1, options.start ?? 1);
  do {
    const end = Math.min(total, start - 1 + size);
    const piece = body.subarray(start - 1, end);
    const continuation: Continuation = end >= total ? '$' : '+';
    let transactionId = nextId();
    for (let tries = 0; tries < 4 && piece.includes(endLineMarker(transactionId)); tries++) transactionId = nextId();
    const req: OutgoingRequest = { ...fields, method: 'SEND', transactionId, byteRange: { start, end, total }, body: piece, continuation };
    yield { ...encodeRequest(req), transactionId };
    start = end + 1;
  } while (start <= total);
}

/**
 * One SEND written as it goes: `head()`, any number of `write()`s, then `end('$' | '+' | '#')`.
 * Each write is checked for the end-line, also across the seam with the previous write.
 */
export class ChunkWriter {
  private readonly marker: Buffer;
  private tail: Buffer = Buffer.alloc(0);
  private count = 0;

  constructor(
    private readonly fields: MessageFields,
    readonly transactionId: string,
    private readonly start: number,
    private readonly total: number | undefined,
  ) {
    this.marker = endLineMarker(transactionId);
  }

  /** Start line, headers (Byte-Range `start-*\/total`) and the blank line before the body. */
  head(): Encoded {
    const head = encodeRequestHead({
      ...this.fields,
      method: 'SEND',
      transactionId: this.transactionId,
      byteRange: { start: this.start, ...(this.total !== undefined ? { total: this.total } : {}) },
    });
    if (!head.ok) return head;
    if (this.fields.contentType === undefined) return { ok: false, reason: 'a body needs a Content-Type' };
    return { ok: true, bytes: Buffer.concat([head.bytes, Buffer.from('\r\n')]) };
  }

  /** Body bytes written so far. */
  get written(): number {
    return this.count;
  }

  write(piece: Buffer): Encoded {
    const seam = Buffer.concat([this.tail, piece]);
    if (seam.includes(this.marker)) return { ok: false, reason: 'the body contains the end-line' };
    this.tail = Buffer.from(seam.subarray(Math.max(0, seam.length - this.marker.length + 1)));
    this.count += piece.length;
    return { ok: true, bytes: piece };
  }

  /** The CRLF that closes the body and the end-line; the next chunk starts at `start + written`. */
  end(flag: Continuation): Buffer {
    return Buffer.concat([Buffer.from('\r\n'), endLine(this.transactionId, flag)]);
  }
}
