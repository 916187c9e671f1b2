import { describe, expect, it } from 'vitest';
import {
  chunkFramer,
  encodeRequest,
  encodeRequestParts,
  encodeResponse,
  newMessageId,
  newTransactionId,
  type Encoded,
  type OutgoingRequest,
} from './frame-encoder.js';
import { IDENT } from './header-values.js';
import { MsrpFrameParser } from './frame-parser.js';
import { parseMsrpUri, type MsrpUri } from './uri.js';
import * as S from './testing/samples.js';

const uri = (s: string): MsrpUri => parseMsrpUri(s)!;
const ALICE = uri(S.URIS.ALICE);
const BOB = uri(S.URIS.BOB);

const bytes = (e: Encoded): Buffer => {
  if (!e.ok) throw new Error(e.reason);
  return e.bytes;
};

const send: OutgoingRequest = {
  method: 'SEND',
  transactionId: 'a786hjs2',
  toPath: [BOB],
  fromPath: [ALICE],
  messageId: '87652491',
  byteRange: { start: 1, end: 23, total: 23 },
  contentType: 'text/plain',
  body: Buffer.from('Hey Bob, are you there?'),
};

describe('MSRP encoder', () => {
  it('writes a frame in pieces with the body itself among them (not a copy), the same bytes as whole', () => {
    const parts = encodeRequestParts(send);
    if (!parts.ok) throw new Error(parts.reason);
    expect(parts.parts).toHaveLength(3);
    expect(parts.parts[1]).toBe(send.body);
    expect(Buffer.concat(parts.parts).toString()).toBe(S.SEND_SIMPLE);
    const bodiless = encodeRequestParts({ ...send, body: undefined, contentType: undefined });
    expect(bodiless.ok && Buffer.concat(bodiless.parts).toString()).toBe(
      bytes(encodeRequest({ ...send, body: undefined, contentType: undefined })).toString(),
    );
    const inBody = encodeRequestParts({ ...send, body: Buffer.from(`x\r\n-------${send.transactionId}$\r\n`) });
    expect(inBody).toEqual({ ok: false, reason: 'the body contains the end-line' });
  });

  it('writes the RFC 4975 §4 SEND and 200 byte for byte', () => {
    expect(bytes(encodeRequest(send)).toString()).toBe(S.SEND_SIMPLE);
    expect(bytes(encodeResponse({ transactionId: 'a786hjs2', code: 200, toPath: [ALICE], fromPath: [BOB] })).toString()).toBe(S.OK_SIMPLE);
  });

  it('writes a REPORT, an empty SEND and a response with its own phrase, all read back alike', () => {
    const report = encodeRequest({
      method: 'REPORT',
      transactionId: 'dkei38ia',
      toPath: [uri('msrp://bob.example.com:8888/9di4eae923wzd;tcp')],
      fromPath: [uri('msrp://alicepc.example.com:7777/iau39soe2843z;tcp')],
      messageId: '12339sdqwer',
      byteRange: { start: 1, end: Buffer.byteLength(S.HTML_BODY), total: Buffer.byteLength(S.HTML_BODY) },
      status: { namespace: '000', code: 200, comment: 'OK' },
    });
    expect(bytes(report).toString()).toBe(S.REPORT_OK);
    const empty = encodeRequest({
      method: 'SEND',
      transactionId: 'emp7y001',
      toPath: [BOB],
      fromPath: [ALICE],
      messageId: 'e0000001',
      byteRange: { start: 1, end: 0, total: 0 },
    });
    expect(bytes(empty).toString()).toBe(S.SEND_EMPTY);
    const items = new MsrpFrameParser().push(
      bytes(encodeResponse({ transactionId: 'big00001', code: 413, toPath: [BOB], fromPath: [ALICE], comment: 'Too big, sorry' })),
    );
    expect(items).toEqual([
      expect.objectContaining({ kind: 'response', response: expect.objectContaining({ code: 413, comment: 'Too big, sorry' }) }),
    ]);
    // The phrase of a known code comes from the table.
    expect(bytes(encodeResponse({ transactionId: 'x0000001', code: 481, toPath: [BOB], fromPath: [ALICE] })).toString()).toMatch(
      /^MSRP x0000001 481 Session Does Not Exist\r\n/,
    );
  });

  it('round-trips headers and a binary body through the parser', () => {
    const body = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7) & 0xff));
    const req: OutgoingRequest = {
      ...send,
      transactionId: newTransactionId(),
      messageId: newMessageId(),
      byteRange: { start: 1, end: body.length, total: body.length },
      successReport: 'yes',
      failureReport: 'partial',
      contentType: 'application/octet-stream',
      headers: [['Content-Disposition', 'attachment; filename="x.bin"']],
      body,
      continuation: '+',
    };
    const [item] = new MsrpFrameParser().push(bytes(encodeRequest(req)));
    expect(item).toMatchObject({
      kind: 'request',
      request: { successReport: 'yes', failureReport: 'partial', continuation: '+', headers: req.headers },
    });
    if (item!.kind === 'request') expect(item!.request.body.equals(body)).toBe(true);
  });

  it('refuses a body that holds its end-line, and values that break lines', () => {
    const collide = encodeRequest({ ...send, body: Buffer.from('text\r\n-------a786hjs2$\r\nmore') });
    expect(collide).toEqual({ ok: false, reason: 'the body contains the end-line' });
    // Even without a flag after it: the receiver could be misled by less.
    expect(encodeRequest({ ...send, body: Buffer.from('-------a786hjs2') }).ok).toBe(false);
    expect(encodeRequest({ ...send, body: Buffer.from('-------a786hjs3$') }).ok).toBe(true);
    expect(encodeRequest({ ...send, contentType: 'text/plain\r\nX: injected' }).ok).toBe(false);
    expect(encodeRequest({ ...send, headers: [['X-A', 'ok\nbad']] }).ok).toBe(false);
    expect(encodeRequest({ ...send, headers: [['X A', 'v']] }).ok).toBe(false);
    expect(encodeRequest({ ...send, transactionId: 'ab' }).ok).toBe(false);
    expect(encodeRequest({ ...send, messageId: 'has space' }).ok).toBe(false);
    expect(encodeRequest({ ...send, method: 'send' }).ok).toBe(false);
    expect(encodeRequest({ ...send, toPath: [] }).ok).toBe(false);
    expect(encodeRequest({ ...send, contentType: undefined }).ok).toBe(false);
    expect(encodeResponse({ transactionId: 'a786hjs2', code: 20, toPath: [ALICE], fromPath: [BOB] }).ok).toBe(false);
  });

  it('makes transaction ids and Message-IDs that are idents and differ', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newTransactionId()));
    expect(ids.size).toBe(1000);
    for (const id of [...ids].slice(0, 20)) expect(id).toMatch(IDENT);
    expect(newMessageId()).toMatch(IDENT);
    expect(newMessageId()).not.toBe(newMessageId());
  });
});

describe('chunkFramer: the chunks of one message', () => {
  const fields = {
    method: 'SEND',
    toPath: [BOB, ALICE],
    fromPath: [ALICE],
    messageId: 'file0001',
    successReport: 'yes',
    failureReport: 'yes',
    contentType: 'image/png; name="a b.png"',
  } as const;

  it('gives for each chunk the bytes encodeRequestParts gives for the whole request', () => {
    const framer = chunkFramer(fields)!;
    for (const [start, body, flag] of [
      [1, Buffer.from('first piece'), '+'],
      [12, Buffer.alloc(0), '#'],
      [999_999, Buffer.from([0, 13, 10, 45]), '$'],
    ] as const) {
      const transactionId = newTransactionId();
      const byteRange = { start, end: start + body.length - 1, total: 1_000_002 };
      const ours = framer(transactionId, byteRange, body, flag);
      const general = encodeRequestParts({ ...fields, transactionId, byteRange, body, continuation: flag });
      if (!ours.ok || !general.ok) throw new Error('did not encode');
      expect(Buffer.concat(ours.parts).equals(Buffer.concat(general.parts))).toBe(true);
    }
  });

  it('refuses a body holding its end-line and a bad id, and fields that do not encode at all', () => {
    const framer = chunkFramer(fields)!;
    const id = newTransactionId();
    expect(framer(id, { start: 1, end: 30, total: 30 }, Buffer.from(`xx\r\n-------${id}$\r\n`), '$')).toMatchObject({ ok: false });
    expect(framer('no spaces allowed', { start: 1, end: 1, total: 1 }, Buffer.from('x'), '$')).toMatchObject({ ok: false });
    expect(chunkFramer({ ...fields, messageId: 'two words' })).toBeUndefined();
    expect(chunkFramer({ ...fields, contentType: 'text/plain\r\nX-Injected: 1' })).toBeUndefined();
  });
});
