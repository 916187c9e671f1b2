import { describe, expect, it } from 'vitest';
import { chunkMessage, type MessageFields } from './chunks.js';
import { MsrpFrameParser } from './frame-parser.js';
import type { MsrpRequest } from './message.js';
import { Reassembly, type ChunkOutcome } from './reassembly.js';
import { mulberry32 } from '../testing/fuzz.js';
import * as S from './testing/samples.js';

const fields: MessageFields = S.MESSAGE_FIELDS;

function chunksOf(body: Buffer, chunkSize: number, f: MessageFields = fields): MsrpRequest[] {
  const parser = new MsrpFrameParser();
  const out: MsrpRequest[] = [];
  for (const c of chunkMessage(f, body, { chunkSize })) {
    if (!c.ok) throw new Error(c.reason);
    for (const item of parser.push(c.bytes)) if (item.kind === 'request') out.push(item.request);
  }
  return out;
}

const parseOne = (text: string): MsrpRequest => {
  const [item] = new MsrpFrameParser().push(Buffer.from(text));
  if (item?.kind !== 'request') throw new Error(JSON.stringify(item));
  return item.request;
};

const withRange = (
  req: MsrpRequest,
  start: number,
  end: number | undefined,
  total: number | undefined,
  body: string,
  flag: MsrpRequest['continuation'] = '+',
): MsrpRequest => ({
  ...req,
  byteRange: { start, ...(end !== undefined ? { end } : {}), ...(total !== undefined ? { total } : {}) },
  body: Buffer.from(body),
  continuation: flag,
});

describe('reassembly', () => {
  it('puts a message together in order, out of order and with duplicates', () => {
    const body = Buffer.from('The quick brown fox jumps over the lazy dog, twice over.');
    const chunks = chunksOf(body, 7);
    const rnd = mulberry32(0x5eed_0a55);
    for (let round = 0; round < 50; round++) {
      // A shuffled order with some chunks sent twice; the message completes exactly once.
      const order = [...chunks, ...chunks.filter(() => rnd() < 0.3)].sort(() => rnd() - 0.5);
      const r = new Reassembly();
      const outcomes = order.map((c) => r.accept(c, 0));
      const complete = outcomes.filter((o): o is Extract<ChunkOutcome, { kind: 'complete' }> => o.kind === 'complete');
      expect(complete).toHaveLength(1);
      expect(complete[0]!.message.body.equals(body)).toBe(true);
      expect(complete[0]!.message).toMatchObject({
        messageId: 'm1234567',
        contentType: 'text/plain',
        successReport: 'yes',
        failureReport: 'yes',
      });
      expect(outcomes.every((o) => o.code === 200)).toBe(true);
      expect(r.pendingMessages).toBe(0);
    }
  });

  it('random overlapping ranges in random order always give back the body, once', () => {
    const rnd = mulberry32(0x5eed_0b17);
    const base = parseOne(S.SEND_CHUNK_1);
    for (let round = 0; round < 300; round++) {
      const body = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256)));
      // Pieces that together cover every byte, each stretched a little over its neighbours.
      const pieces: MsrpRequest[] = [];
      for (let at = 1; at <= body.length;) {
        const len = 1 + Math.floor(rnd() * 40);
        const s = Math.max(1, at - Math.floor(rnd() * 5));
        const e = Math.min(body.length, at + len - 1);
        const totalKnown = rnd() < 0.5;
        pieces.push({
          ...base,
          byteRange: { start: s, ...(totalKnown ? { total: body.length } : {}) },
          body: body.subarray(s - 1, e),
          continuation: e === body.length ? '$' : '+',
        });
        at = e + 1;
      }
      const order = [...pieces, ...pieces.filter(() => rnd() < 0.2)];
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const r = new Reassembly();
      const done = order.map((c) => r.accept(c, 0)).filter((o) => o.kind === 'complete');
      expect(done, `round ${round}`).toHaveLength(1);
      expect(done[0]!.kind === 'complete' && done[0]!.message.body.equals(body), `round ${round}`).toBe(true);
    }
  });

  it('overlapping ranges keep the bytes first received, and a late copy of a delivered message is a duplicate', () => {
    const base = parseOne(S.SEND_CHUNK_1);
    const r = new Reassembly();
    expect(r.accept(withRange(base, 1, undefined, undefined, 'abcdef'), 0)).toMatchObject({ kind: 'partial', received: 6 });
    expect(r.accept(withRange(base, 4, undefined, undefined, 'DEFGHI'), 0)).toMatchObject({ kind: 'partial', received: 9 });
    const done = r.accept(withRange(base, 10, 12, 12, 'jkl', '$'), 0);
    expect(done.kind).toBe('complete');
    if (done.kind === 'complete') expect(done.message.body.toString()).toBe('abcdefGHIjkl');
    expect(r.accept(withRange(base, 1, 3, 12, 'abc'), 0)).toEqual({ kind: 'duplicate', code: 200, messageId: '9sd2k3ds' });
  });

  it('learns the total from the last chunk when it was `*`', () => {
    const base = parseOne(S.SEND_CHUNK_1);
    const r = new Reassembly();
    expect(r.accept(withRange(base, 6, undefined, undefined, 'world', '$'), 0)).toMatchObject({ kind: 'partial', received: 5, total: 10 });
    const done = r.accept(withRange(base, 1, undefined, undefined, 'hello'), 0);
    expect(done.kind === 'complete' && done.message.body.toString()).toBe('helloworld');
  });

  it('the RFC samples: two chunks make one message, an aborted one is dropped, an empty SEND completes at once', () => {
    const r = new Reassembly();
    expect(r.accept(parseOne(S.SEND_CHUNK_1), 0)).toMatchObject({ kind: 'partial', received: 10, total: 20 });
    const done = r.accept(parseOne(S.SEND_CHUNK_2), 0);
    expect(done.kind === 'complete' && done.message.body.toString()).toBe('first halfother half');
    expect(r.accept(parseOne(S.SEND_ABORTED), 0)).toEqual({ kind: 'aborted', code: 200, messageId: 'gone0001' });
    expect(r.pendingMessages).toBe(0);
    const empty = r.accept(parseOne(S.SEND_EMPTY), 0);
    expect(empty.kind === 'complete' && empty.message.body.length).toBe(0);
  });

  it('drops the bytes of a message aborted after some chunks, and what comes after', () => {
    const chunks = chunksOf(Buffer.from('x'.repeat(30)), 10);
    const r = new Reassembly();
    expect(r.accept(chunks[0]!, 0).kind).toBe('partial');
    expect(r.accept({ ...chunks[1]!, continuation: '#' }, 0).kind).toBe('aborted');
    expect(r.pendingMessages).toBe(0);
    expect(r.accept(chunks[2]!, 0).kind).toBe('aborted');
  });

  it('refuses with 413 past the size limit, at once from a declared total, and for every later chunk', () => {
    const r = new Reassembly({ maxMessageBytes: 20, maxMessages: 4 });
    const base = parseOne(S.SEND_CHUNK_1);
    expect(r.accept(withRange(base, 1, undefined, 1_000_000_000, 'tiny'), 0)).toMatchObject({ kind: 'refused', code: 413 });
    expect(r.accept(withRange(base, 1, undefined, 10, 'tiny'), 0)).toMatchObject({ kind: 'refused', code: 413 });
    const other = { ...base, messageId: 'other001' };
    expect(r.accept(withRange(other, 1, undefined, undefined, 'a'.repeat(15)), 0).kind).toBe('partial');
    expect(r.accept(withRange(other, 16, undefined, undefined, 'a'.repeat(15)), 0)).toMatchObject({ kind: 'refused', code: 413 });
    expect(r.pendingMessages).toBe(0);
  });

  it('holds at most maxMessages partial messages', () => {
    const r = new Reassembly({ maxMessageBytes: 100, maxMessages: 2 });
    const base = parseOne(S.SEND_CHUNK_1);
    expect(r.accept({ ...base, messageId: 'first001' }, 0).kind).toBe('partial');
    expect(r.accept({ ...base, messageId: 'second01' }, 0).kind).toBe('partial');
    expect(r.accept({ ...base, messageId: 'third001' }, 0)).toMatchObject({
      kind: 'refused',
      code: 413,
      reason: 'too many messages in progress',
    });
    expect(r.dropIdle(1)).toEqual(['first001', 'second01']);
    expect(r.accept({ ...base, messageId: 'third001' }, 2).kind).toBe('partial');
  });

  it('refuses with 400 chunks that contradict themselves or the message', () => {
    const base = parseOne(S.SEND_CHUNK_1);
    const r = new Reassembly();
    expect(r.accept(withRange(base, 1, 3, undefined, 'abcdef'), 0)).toMatchObject({
      kind: 'refused',
      code: 400,
      reason: 'more bytes than the Byte-Range says',
    });
    expect(r.accept(withRange(base, 8, undefined, 10, 'abcdef'), 0)).toMatchObject({
      kind: 'refused',
      code: 400,
      reason: 'a chunk beyond the total',
    });
    expect(r.accept(withRange(base, 1, undefined, 10, 'abc'), 0).kind).toBe('partial');
    expect(r.accept(withRange(base, 4, undefined, 12, 'def'), 0)).toMatchObject({
      kind: 'refused',
      code: 400,
      reason: 'the total changed',
    });
    expect(r.accept({ ...base, method: 'REPORT' }, 0)).toMatchObject({ kind: 'refused', code: 400 });
  });
});
