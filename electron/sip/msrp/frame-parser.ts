/**
 * Incremental MSRP framing over a TCP or TLS byte stream (RFC 4975 §5.1, §7.1). A frame has no
 * length: its body runs until the end-line `-------<transaction-id>` + `$`/`+`/`#`, which the
 * sender guarantees does not occur inside the body. Bytes may arrive split anywhere, several
 * frames to a read.
 *
 * Every dimension a peer controls is bounded (line length, header section, header count, body
 * per chunk), so the bytes held never exceed `maxBufferedBytes(limits)`; a peer that floods or
 * never sends the end-line gets a fatal `error` and the connection should be closed. A frame whose
 * boundaries were found but whose content breaks the grammar is `invalid` and framing goes on
 * (answer 400 where the caller may). Nothing here throws on input.
 */
import { decodeFrame, type DecodedFrame } from './frame-decode.js';
import type { Continuation } from './message.js';

export interface MsrpLimits {
  /** One start or header line, CRLF excluded. */
  maxLineBytes: number;
  /** The start line and all header lines. */
  maxHeaderBytes: number;
  maxHeaders: number;
  /** The body of one chunk. */
  maxBodyBytes: number;
}

export const DEFAULT_MSRP_LIMITS: MsrpLimits = {
  maxLineBytes: 4096,
  maxHeaderBytes: 16 * 1024,
  maxHeaders: 64,
  maxBodyBytes: 1024 * 1024,
};

export type FrameItem = DecodedFrame | { kind: 'error'; reason: string; transactionId?: string };

/** The most bytes a parser with these limits ever holds. */
export function maxBufferedBytes(limits: MsrpLimits): number {
  // Headers, the blank line, the body, CRLF and an end-line (7 dashes, a 32-byte id, flag, CRLF).
  return limits.maxHeaderBytes + 2 + limits.maxBodyBytes + 2 + 7 + 32 + 3 + limits.maxLineBytes;
}

const CRLF = Buffer.from('\r\n');
const EMPTY = Buffer.alloc(0);
const START = /^MSRP ([A-Za-z0-9][A-Za-z0-9.\-+%=]{3,31}) ([^\r\n]*)$/;
const METHOD = /^[A-Z]+$/;
const STATUS = /^(\d{3})(?: (.*))?$/;
const PREFIX = Buffer.from('MSRP ');

interface Frame {
  transactionId: string;
  method?: string;
  code?: number;
  comment?: string;
  /** Neither a method nor a status (the text after the id): framed, then returned invalid. */
  badStart?: string;
  /** Where the next header line starts, or -1 once the headers are read. */
  headerAt: number;
  headerBytes: number;
  headerLines: string[];
  /** Where the body starts (-1: no body, the end-line followed the headers). */
  bodyAt: number;
  /** How far the end-line search has looked. */
  scannedTo: number;
  marker: Buffer;
}

export class MsrpFrameParser {
  /**
   * The memory held; `buf` is a view into it starting at the first unframed byte. A read that
   * comes while nothing is held is framed where it lies (it becomes the store), and a body is a
   * view into the store, not a copy: so a store is never written again once it was lent out
   * (`lent`), and bytes are copied only for a frame split across reads.
   */
  private store: Buffer = Buffer.alloc(0);
  private buf: Buffer = this.store;
  private len = 0;
  private lent = false;
  private frame: Frame | undefined;
  private failed = false;

  constructor(private readonly limits: MsrpLimits = DEFAULT_MSRP_LIMITS) {}

  /** Bytes held waiting for the rest of a frame. */
  get pending(): number {
    return this.len;
  }

  /**
   * Feed bytes; returns every complete item, in order. After a fatal error nothing more is framed.
   * The parser may keep `chunk` and hand out views of it (the bodies): the caller must not write to
   * it afterwards (a socket's reads are each a buffer of their own).
   */
  push(chunk: Buffer): FrameItem[] {
    const items: FrameItem[] = [];
    const cap = maxBufferedBytes(this.limits);
    // A large read is taken in slices, so even it never lifts the buffer past its bound.
    for (let offset = 0; offset < chunk.length && !this.failed;) {
      const room = cap - this.len;
      if (room <= 0) {
        this.fail(items, { kind: 'error', reason: 'buffered bytes over the limit' });
        break;
      }
      let slice = chunk.subarray(offset, offset + room);
      offset += slice.length;
      if (this.len > 0) {
        const taken = this.endSplitFrame(slice, items);
        if (taken === undefined) this.append(slice);
        slice = slice.subarray(taken ?? slice.length);
      }
      if (slice.length > 0) this.adopt(slice);
      this.drain(items);
    }
    return items;
  }

  /**
   * A frame whose body began in the bytes held and whose end-line lies whole in `chunk` is put
   * together from the two (one copy of that frame alone) and the rest of `chunk` is framed where
   * it lies; returns how much of `chunk` it took, or undefined to leave it all to `append` (the
   * frame is still in its head, or its end-line is not whole in `chunk`).
   */
  private endSplitFrame(chunk: Buffer, items: FrameItem[]): number | undefined {
    const f = this.frame;
    if (!f || f.headerAt >= 0) return undefined;
    const marker = f.marker;
    const from = Math.max(f.bodyAt - 2, f.scannedTo);
    // An end-line starting in the held bytes (not yet searched past `from`) reaching into chunk.
    const bridge = Buffer.concat([this.buf.subarray(from, this.len), chunk.subarray(0, marker.length + 3)]);
    if (bridge.indexOf(marker) >= 0) return undefined;
    for (let at = chunk.indexOf(marker); at >= 0; at = chunk.indexOf(marker, at + 1)) {
      if (at + marker.length + 3 > chunk.length) return undefined;
      const flag = String.fromCharCode(chunk[at + marker.length]!);
      if (
        (flag !== '$' && flag !== '+' && flag !== '#') ||
        chunk[at + marker.length + 1] !== 0x0d ||
        chunk[at + marker.length + 2] !== 0x0a
      )
        continue;
      const held = this.buf.subarray(Math.min(f.bodyAt, this.len), this.len);
      const item = this.framed(f, Buffer.concat([held, chunk.subarray(0, at)]), flag);
      this.store = this.buf = EMPTY;
      this.len = 0;
      if (item.kind === 'error') this.fail(items, item);
      else items.push(item);
      return at + marker.length + 3;
    }
    return undefined;
  }

  private drain(items: FrameItem[]): void {
    for (;;) {
      const step = this.frame ? this.continueFrame() : this.startFrame();
      if (step === 'wait') return;
      if (step === 'next') continue;
      if (step.kind === 'error') return this.fail(items, step);
      items.push(step);
    }
  }

  private fail(items: FrameItem[], error: FrameItem): void {
    items.push(error);
    this.failed = true;
    this.frame = undefined;
    this.store = this.buf = EMPTY;
    this.len = 0;
  }

  /** Nothing is held: the read itself is the store (the socket hands each read over in a buffer of its own). */
  private adopt(chunk: Buffer): void {
    this.store = this.buf = chunk;
    this.len = chunk.length;
    this.lent = true;
  }

  private append(chunk: Buffer): void {
    const need = this.len + chunk.length;
    if (this.lent || need > this.buf.length) {
      // Out of room behind the live bytes: move them to the front of the store, or to a store
      // twice as large, never past what the limits allow (push() slices reads to fit). A store
      // lent out is left as it is: the live bytes and the read go to a new one (a frame split
      // across more than two reads, or in its head: endSplitFrame takes the usual case).
      const cap = maxBufferedBytes(this.limits);
      const size = this.lent ? Math.max(need, Math.min(cap, 64 * 1024)) : Math.max(need, Math.min(this.store.length * 2, cap));
      const store = size <= this.store.length && !this.lent ? this.store : Buffer.allocUnsafe(size);
      this.buf.copy(store, 0, 0, this.len);
      this.store = store;
      this.buf = store;
      this.lent = false;
    }
    chunk.copy(this.buf, this.len);
    this.len = need;
  }

  /** Drops a framed message: the view moves on, no bytes move (a read of many frames stays linear). */
  private consume(n: number): void {
    this.buf = this.buf.subarray(n);
    this.len -= n;
    // Nothing held: the store goes (the next read is adopted as it is).
    if (this.len === 0) this.store = this.buf = EMPTY;
  }

  private startFrame(): FrameItem | 'wait' | 'next' {
    if (this.len === 0) return 'wait';
    const head = this.buf.subarray(0, Math.min(this.len, PREFIX.length));
    if (!PREFIX.subarray(0, head.length).equals(head)) return { kind: 'error', reason: 'not an MSRP frame' };
    const eol = this.buf.subarray(0, this.len).indexOf(CRLF);
    if (eol < 0) return this.len > this.limits.maxLineBytes ? { kind: 'error', reason: 'start line too long' } : 'wait';
    if (eol > this.limits.maxLineBytes) return { kind: 'error', reason: 'start line too long' };
    const m = START.exec(this.buf.toString('latin1', 0, eol));
    if (!m) return { kind: 'error', reason: 'bad start line' };
    const transactionId = m[1]!;
    const rest = m[2]!;
    const status = STATUS.exec(rest);
    // With its transaction id read, a frame whose method or status is off the grammar is still
    // framed by its end-line and comes back invalid, so the connection can answer 400 and go on.
    const kind = METHOD.test(rest)
      ? { method: rest }
      : status
        ? { code: Number(status[1]), ...(status[2] ? { comment: Buffer.from(status[2], 'latin1').toString('utf8') } : {}) }
        : { badStart: rest };
    this.frame = {
      transactionId,
      ...kind,
      headerAt: eol + 2,
      headerBytes: eol,
      headerLines: [],
      bodyAt: -1,
      scannedTo: 0,
      marker: Buffer.from(`\r\n-------${transactionId}`, 'latin1'),
    };
    return 'next';
  }

  private continueFrame(): FrameItem | 'wait' | 'next' {
    const f = this.frame!;
    if (f.headerAt >= 0) {
      const step = this.readHeaderLine(f);
      if (step !== 'body') return step;
    }
    return this.findEndLine(f);
  }

  /** One header line, the blank line before a body, or the end-line of a frame without one. */
  private readHeaderLine(f: Frame): FrameItem | 'wait' | 'next' | 'body' {
    const at = f.headerAt;
    const eol = this.buf.subarray(0, this.len).indexOf(CRLF, at);
    if (eol < 0) return this.len - at > this.limits.maxLineBytes ? this.fatal(f, 'header line too long') : 'wait';
    const lineLength = eol - at;
    if (lineLength > this.limits.maxLineBytes) return this.fatal(f, 'header line too long');
    if (lineLength === 0) {
      f.headerAt = -1;
      f.bodyAt = eol + 2;
      f.scannedTo = eol; // the body may be empty: "\r\n" of the blank line starts the end-line search
      return 'body';
    }
    const endLine = this.endLineAt(f, at - 2);
    if (endLine === 'wait') return 'wait';
    if (endLine !== undefined) return this.finish(f, at - 2, endLine);
    f.headerBytes += lineLength + 2;
    if (f.headerBytes > this.limits.maxHeaderBytes) return this.fatal(f, 'header section too large');
    if (f.headerLines.length >= this.limits.maxHeaders) return this.fatal(f, 'too many header lines');
    f.headerLines.push(this.buf.toString('utf8', at, eol));
    f.headerAt = eol + 2;
    return 'next';
  }

  /** Searches the body for the end-line, remembering how far it looked so no byte is scanned twice. */
  private findEndLine(f: Frame): FrameItem | 'wait' | 'next' {
    const view = this.buf.subarray(0, this.len);
    let from = Math.max(f.bodyAt - 2, f.scannedTo);
    for (;;) {
      const i = view.indexOf(f.marker, from);
      if (i < 0) break;
      const flag = this.endLineAt(f, i);
      if (flag === 'wait') return 'wait';
      if (flag !== undefined) return this.finish(f, i, flag);
      from = i + 1;
    }
    f.scannedTo = Math.max(f.bodyAt - 2, this.len - f.marker.length);
    if (this.len - f.bodyAt > this.limits.maxBodyBytes + f.marker.length + 3) {
      return this.fatal(f, `no end-line within ${this.limits.maxBodyBytes} bytes of body`);
    }
    return 'wait';
  }

  /** The flag of a whole end-line whose leading CRLF is at `i`, undefined if none is there. */
  private endLineAt(f: Frame, i: number): Continuation | undefined | 'wait' {
    const m = f.marker.length;
    const have = Math.min(this.len - i, m + 3);
    const probe = this.buf.subarray(i, i + have);
    if (!f.marker.subarray(0, Math.min(have, m)).equals(probe.subarray(0, Math.min(have, m)))) return undefined;
    if (have < m + 3) return 'wait';
    const flag = String.fromCharCode(probe[m]!);
    if ((flag !== '$' && flag !== '+' && flag !== '#') || probe[m + 1] !== 0x0d || probe[m + 2] !== 0x0a) return undefined;
    return flag;
  }

  private finish(f: Frame, endAt: number, flag: Continuation): FrameItem {
    const bodyEnd = Math.max(endAt, f.bodyAt);
    const body = f.bodyAt < 0 ? EMPTY : this.buf.subarray(f.bodyAt, bodyEnd);
    if (body.length > 0) this.lent = true;
    this.consume(endAt + f.marker.length + 3);
    return this.framed(f, body, flag);
  }

  /** The item for frame `f` with its whole body: the frame is done with, the parser at the next. */
  private framed(f: Frame, body: Buffer, flag: Continuation): FrameItem {
    this.frame = undefined;
    if (body.length > this.limits.maxBodyBytes) return this.fatal(f, `chunk body over ${this.limits.maxBodyBytes} bytes`);
    if (f.badStart !== undefined) return this.badStart(f, f.badStart, body);
    return decodeFrame({
      transactionId: f.transactionId,
      ...(f.method !== undefined ? { method: f.method } : { code: f.code!, ...(f.comment ? { comment: f.comment } : {}) }),
      headerLines: f.headerLines,
      body,
      continuation: flag,
    });
  }

  /**
   * A request with a method off the grammar ("send", "SEND x") is invalid but answerable: its
   * From-Path, if it reads, is where a 400 goes. Anything starting with a digit was meant as a
   * response and is never answered.
   */
  private badStart(f: Frame, text: string, body: Buffer): FrameItem {
    const reason = 'bad method or status';
    if (/^\d/.test(text)) return { kind: 'invalid', transactionId: f.transactionId, reason };
    const read = decodeFrame({ transactionId: f.transactionId, method: text, headerLines: f.headerLines, body, continuation: '$' });
    const fromPath = read.kind === 'request' ? read.request.fromPath : read.kind === 'invalid' ? read.fromPath : undefined;
    return { kind: 'invalid', transactionId: f.transactionId, method: text, reason, ...(fromPath ? { fromPath } : {}) };
  }

  private fatal(f: Frame, reason: string): FrameItem {
    return { kind: 'error', reason, transactionId: f.transactionId };
  }
}
