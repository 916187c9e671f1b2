import { describe, expect, it } from 'vitest';
import { chunkMessage, ChunkWriter, type MessageFields } from './chunks.js';
import { MsrpFrameParser, type FrameItem } from './frame-parser.js';
import type { MsrpRequest } from './message.js';
import * as S from './testing/samples.js';

const fields: MessageFields = { ...S.MESSAGE_FIELDS, contentType: 'application/octet-stream' };

function requests(items: FrameItem[]): MsrpRequest[] {
  return items.map((i) => {
    if (i.kind !== 'request') throw new Error(JSON.stringify(i));
    return i.request;
  });
}

function parseChunks(chunks: Iterable<{ ok: boolean; bytes?: Buffer }>): MsrpRequest[] {
  const parser = new MsrpFrameParser();
  const items: FrameItem[] = [];
  for (const c of chunks) {
    if (!c.ok || !c.bytes) throw new Error('a chunk failed to encode');
    items.push(...parser.push(c.bytes));
  }
  return requests(items);
}

describe('chunking an outgoing message', () => {
  it('cuts a body into SENDs with Byte-Range, `+` until the last', () => {
    const body = Buffer.from('0123456789abcdefghij0123');
    const reqs = parseChunks(chunkMessage(fields, body, { chunkSize: 10 }));
    expect(reqs.map((r) => [r.byteRange, r.continuation, r.body.toString()])).toEqual([
      [{ start: 1, end: 10, total: 24 }, '+', '0123456789'],
      [{ start: 11, end: 20, total: 24 }, '+', 'abcdefghij'],
      [{ start: 21, end: 24, total: 24 }, '$', '0123'],
    ]);
    // Each chunk is a transaction of its own; all carry the message's fields.
    expect(new Set(reqs.map((r) => r.transactionId)).size).toBe(3);
    for (const r of reqs) expect(r).toMatchObject({ messageId: 'm1234567', successReport: 'yes', contentType: 'application/octet-stream' });
  });

  it('sends an empty message as one SEND 1-0/0, and resumes from a given byte', () => {
    const [empty, ...rest] = parseChunks(chunkMessage(fields, Buffer.alloc(0)));
    expect(rest).toEqual([]);
    expect(empty).toMatchObject({ byteRange: { start: 1, end: 0, total: 0 }, continuation: '$' });
    const resumed = parseChunks(chunkMessage(fields, Buffer.from('abcdefghij'), { chunkSize: 4, start: 6 }));
    expect(resumed.map((r) => [r.byteRange, r.body.toString()])).toEqual([
      [{ start: 6, end: 9, total: 10 }, 'fghi'],
      [{ start: 10, end: 10, total: 10 }, 'j'],
    ]);
  });

  it('picks another transaction id when a chunk holds the end-line of the first', () => {
    const body = Buffer.from('x-------tid00001$\r\ny');
    const ids = ['tid00001', 'tid00002'];
    const [req, ...rest] = parseChunks(chunkMessage(fields, body, { transactionId: () => ids.shift()! }));
    expect(rest).toEqual([]);
    expect(req!.transactionId).toBe('tid00002');
    expect(req!.body.equals(body)).toBe(true);
  });
});

describe('interruptible chunks', () => {
  it('a chunk cut short with `+`, the rest in the next, then `#` to give up', () => {
    const w = new ChunkWriter(fields, 'int00001', 1, 30);
    const head = w.head();
    expect(head.ok).toBe(true);
    const parts = [head.ok ? head.bytes : Buffer.alloc(0)];
    for (const piece of ['hello ', 'world']) {
      const out = w.write(Buffer.from(piece));
      expect(out.ok).toBe(true);
      if (out.ok) parts.push(out.bytes);
    }
    parts.push(w.end('+'));
    const next = new ChunkWriter(fields, 'int00002', 1 + w.written, 30);
    const h2 = next.head();
    if (!h2.ok) throw new Error(h2.reason);
    parts.push(h2.bytes, Buffer.from('!!'), next.end('#'));
    const [first, second] = requests(new MsrpFrameParser().push(Buffer.concat(parts)));
    expect(first).toMatchObject({ transactionId: 'int00001', byteRange: { start: 1, total: 30 }, continuation: '+' });
    expect(first!.byteRange!.end).toBeUndefined();
    expect(first!.body.toString()).toBe('hello world');
    expect(second).toMatchObject({ byteRange: { start: 12, total: 30 }, continuation: '#' });
    expect(second!.body.toString()).toBe('!!');
  });

  it('refuses a write that completes the end-line across two writes', () => {
    const w = new ChunkWriter(fields, 'int00003', 1, undefined);
    expect(w.write(Buffer.from('abc----')).ok).toBe(true);
    expect(w.write(Buffer.from('---int0000'))).toEqual({ ok: true, bytes: Buffer.from('---int0000') });
    expect(w.write(Buffer.from('3$'))).toEqual({ ok: false, reason: 'the body contains the end-line' });
    expect(new ChunkWriter({ ...fields, contentType: undefined }, 'int00004', 1, 0).head().ok).toBe(false);
  });
});
