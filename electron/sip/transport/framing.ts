/**
 * Stream framing for SIP over TCP/TLS (RFC 3261 §18.3): messages are delimited by the blank line
 * after the head and the byte Content-Length of the body. Between messages a peer may send CRLF
 * keep-alives (RFC 5626 §3.5.1): a double CRLF is a ping to answer with a single CRLF pong.
 *
 * The buffer is bounded: a head longer than `maxHeadBytes` or a body over `maxMessageBytes` is
 * garbage we cannot resynchronise on reliably, so the framer reports a fatal error and the
 * connection is closed (with an event) instead of growing without limit.
 */

import { MAX_MESSAGE_BYTES } from '../../../shared/ipc.js';
import { decodeContentEncoding } from '../wire/content-encoding.js';

export interface FramerLimits {
  maxHeadBytes: number;
  maxMessageBytes: number;
}

const MAX_HEAD_BYTES = 16 * 1024;
/** A whole message: the largest body Parley carries (a 64 KiB text message) plus the largest head we accept. */
export const DEFAULT_LIMITS: FramerLimits = { maxHeadBytes: MAX_HEAD_BYTES, maxMessageBytes: MAX_MESSAGE_BYTES + MAX_HEAD_BYTES };

export type FrameItem =
  { kind: 'message'; text: string; bytes: number } | { kind: 'ping' } | { kind: 'pong' } | { kind: 'error'; reason: string };

const HEAD_END = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(\d+)[ \t]*$/im;

export class StreamFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;

  /**
   * @param awaitPings true on connections a peer opened to us: there a lone CRLF may be the first
   *   half of a ping, so we wait for more bytes; on connections we opened, a CRLF is a pong.
   */
  constructor(
    private readonly limits: FramerLimits = DEFAULT_LIMITS,
    private readonly awaitPings = false,
  ) {}

  /** Bytes held waiting for the rest of a message. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Feed bytes; returns every complete item, in order. After an error nothing more is framed. */
  push(chunk: Buffer): FrameItem[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const items: FrameItem[] = [];
    for (;;) {
      // Keep-alives live only between messages.
      if (this.buffer.length >= 2 && this.buffer[0] === 0x0d && this.buffer[1] === 0x0a) {
        if (this.buffer.length >= 4 && this.buffer.subarray(0, 4).equals(HEAD_END)) {
          items.push({ kind: 'ping' });
          this.buffer = this.buffer.subarray(4);
          continue;
        }
        // "\r\n\r" might still become a ping; so might "\r\n" where pings are expected.
        if (this.buffer.length === 3 && this.buffer[2] === 0x0d) break;
        if (this.buffer.length === 2 && this.awaitPings) break;
        items.push({ kind: 'pong' });
        this.buffer = this.buffer.subarray(2);
        continue;
      }
      const headEnd = this.buffer.indexOf(HEAD_END);
      if (headEnd < 0) {
        if (this.buffer.length > this.limits.maxHeadBytes) return this.fail(items, 'message head too long');
        break;
      }
      if (headEnd > this.limits.maxHeadBytes) return this.fail(items, 'message head too long');
      const headText = this.buffer.subarray(0, headEnd).toString('latin1');
      const match = CONTENT_LENGTH.exec(headText);
      // Over a stream Content-Length is mandatory (RFC 3261 §20.14).
      if (!match) return this.fail(items, 'missing Content-Length on a stream');
      const bodyLength = Number(match[1]);
      const total = headEnd + 4 + bodyLength;
      if (total > this.limits.maxMessageBytes) return this.fail(items, `message of ${total} bytes exceeds the limit`);
      if (this.buffer.length < total) break;
      const message = this.buffer.subarray(0, total);
      items.push({ kind: 'message', text: decodeContentEncoding(message, this.limits.maxMessageBytes).toString('utf8'), bytes: total });
      this.buffer = this.buffer.subarray(total);
    }
    // Never hold on to a large parent buffer through a small slice.
    if (this.buffer.length > 0 && this.buffer.byteOffset > 0) this.buffer = Buffer.from(this.buffer);
    return items;
  }

  private fail(items: FrameItem[], reason: string): FrameItem[] {
    this.failed = true;
    this.buffer = Buffer.alloc(0);
    items.push({ kind: 'error', reason });
    return items;
  }
}
