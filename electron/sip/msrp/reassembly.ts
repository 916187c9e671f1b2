/**
 * Incoming chunks put back together by Message-ID and Byte-Range (RFC 4975 §5.1, §7.3): chunks may
 * come out of order or twice (a sender resuming after a broken connection resends what it was
 * not sure of), the total may be `*` until the last chunk, a `#` end-line abandons the message.
 * Memory is bounded: a message over `maxMessageBytes` is refused with 413 as soon as a chunk
 * or a declared total says so, and at most `maxMessages` partial messages are held at once.
 * Pure: time comes in as an argument.
 */
import { ByteRanges } from './byte-ranges.js';
import type { ExtraHeaders, FailureReport, MsrpRequest, SuccessReport } from './message.js';
import type { MsrpUri } from './uri.js';

export interface ReassemblyLimits {
  maxMessageBytes: number;
  maxMessages: number;
}

export const DEFAULT_REASSEMBLY_LIMITS: ReassemblyLimits = { maxMessageBytes: 16 * 1024 * 1024, maxMessages: 32 };

export interface IncomingMessage {
  messageId: string;
  contentType?: string;
  /** MIME headers of the first chunk (Content-Disposition and the like). */
  headers: ExtraHeaders;
  body: Buffer;
  fromPath: readonly MsrpUri[];
  successReport: SuccessReport;
  failureReport: FailureReport;
}

/** What became of one SEND chunk; `code` is the transaction response it deserves. */
export type ChunkOutcome =
  | { kind: 'partial'; code: 200; messageId: string; received: number; total?: number }
  | { kind: 'complete'; code: 200; message: IncomingMessage }
  /** A chunk of a message already delivered: answer 200, deliver nothing. */
  | { kind: 'duplicate'; code: 200; messageId: string }
  | { kind: 'aborted'; code: 200; messageId: string }
  | { kind: 'refused'; code: 400 | 413; messageId?: string; reason: string };

interface Partial {
  ranges: ByteRanges;
  pieces: Array<{ start: number; data: Buffer }>;
  total?: number;
  first?: MsrpRequest;
  touched: number;
}

export class Reassembly {
  private readonly partial = new Map<string, Partial>();
  /** Recently finished (delivered, aborted or refused) ids, oldest first: a late copy is not news. */
  private readonly finished = new Map<string, 'delivered' | 'aborted' | 'refused'>();

  constructor(private readonly limits: ReassemblyLimits = DEFAULT_REASSEMBLY_LIMITS) {}

  /** Messages waiting for more chunks. */
  get pendingMessages(): number {
    return this.partial.size;
  }

  accept(req: MsrpRequest, now: number): ChunkOutcome {
    const messageId = req.messageId;
    if (req.method !== 'SEND' || messageId === undefined) return { kind: 'refused', code: 400, reason: 'not a SEND with a Message-ID' };
    const done = this.finished.get(messageId);
    if (done === 'refused') return { kind: 'refused', code: 413, messageId, reason: 'message already refused' };
    if (done !== undefined)
      return done === 'delivered' ? { kind: 'duplicate', code: 200, messageId } : { kind: 'aborted', code: 200, messageId };

    // Without Byte-Range a chunk starts at byte 1, its end and the total unknown (1-*/*).
    const range = req.byteRange ?? { start: 1 };
    const start = range.start;
    const end = start + req.body.length - 1;
    if (range.end !== undefined && end > range.end)
      return { kind: 'refused', code: 400, messageId, reason: 'more bytes than the Byte-Range says' };
    if (range.total !== undefined && end > range.total)
      return { kind: 'refused', code: 400, messageId, reason: 'a chunk beyond the total' };
    if ((range.total ?? 0) > this.limits.maxMessageBytes || end > this.limits.maxMessageBytes)
      return this.refuse(messageId, 'message too large');

    let msg = this.partial.get(messageId);
    if (req.continuation === '#') {
      this.partial.delete(messageId);
      this.remember(messageId, 'aborted');
      return { kind: 'aborted', code: 200, messageId };
    }
    if (!msg) {
      if (this.partial.size >= this.limits.maxMessages)
        return { kind: 'refused', code: 413, messageId, reason: 'too many messages in progress' };
      msg = { ranges: new ByteRanges(), pieces: [], touched: now };
      this.partial.set(messageId, msg);
    }
    msg.touched = now;
    const total = range.total ?? (req.continuation === '$' ? end : undefined);
    if (total !== undefined) {
      if (msg.total !== undefined && msg.total !== total) return this.refuse(messageId, 'the total changed', 400);
      if (msg.ranges.intervals.some(([, e]) => e > total)) return this.refuse(messageId, 'bytes beyond the total', 400);
      msg.total = total;
    }
    if (start === 1 || !msg.first) msg.first = req;
    for (const [s, e] of msg.ranges.gaps(start, end)) msg.pieces.push({ start: s, data: req.body.subarray(s - start, e - start + 1) });
    msg.ranges.add(start, end);

    if (msg.total === undefined || !msg.ranges.covers(msg.total)) {
      return { kind: 'partial', code: 200, messageId, received: msg.ranges.size, ...(msg.total !== undefined ? { total: msg.total } : {}) };
    }
    this.partial.delete(messageId);
    this.remember(messageId, 'delivered');
    return { kind: 'complete', code: 200, message: assemble(messageId, msg, msg.total) };
  }

  /** Gives up messages with no chunk since `olderThan`; returns their ids (a 408 failure REPORT each, where asked). */
  dropIdle(olderThan: number): string[] {
    const dropped: string[] = [];
    for (const [id, msg] of this.partial) {
      if (msg.touched < olderThan) {
        this.partial.delete(id);
        this.remember(id, 'aborted');
        dropped.push(id);
      }
    }
    return dropped;
  }

  private refuse(messageId: string, reason: string, code: 400 | 413 = 413): ChunkOutcome {
    this.partial.delete(messageId);
    // Later chunks of a message refused for size get 413 too, so the sender stops (§10: 413).
    if (code === 413) this.remember(messageId, 'refused');
    return { kind: 'refused', code, messageId, reason };
  }

  private remember(messageId: string, how: 'delivered' | 'aborted' | 'refused'): void {
    this.finished.set(messageId, how);
    const keep = this.limits.maxMessages * 64;
    while (this.finished.size > keep) this.finished.delete(this.finished.keys().next().value!);
  }
}

function assemble(messageId: string, msg: Partial, total: number): IncomingMessage {
  const body = Buffer.alloc(total);
  for (const p of msg.pieces) p.data.copy(body, p.start - 1);
  const first = msg.first!;
  return {
    messageId,
    ...(first.contentType !== undefined ? { contentType: first.contentType } : {}),
    headers: first.headers,
    body,
    fromPath: first.fromPath,
    successReport: first.successReport ?? 'no',
    failureReport: first.failureReport ?? 'yes',
  };
}
