import { describe, expect, it } from 'vitest';
import { encodeRequest, encodeResponse } from './frame-encoder.js';
import { MsrpFrameParser } from './frame-parser.js';
import type { MsrpRequest } from './message.js';
import { Reassembly } from './reassembly.js';
import { answersForChunk, failureReport, reportFieldsOf, successReport, transactionResponse } from './report.js';
import { formatMsrpUri, parseMsrpUri } from './uri.js';
import * as S from './testing/samples.js';

const parseOne = (text: string): MsrpRequest => {
  const [item] = new MsrpFrameParser().push(Buffer.from(text));
  if (item?.kind !== 'request') throw new Error(JSON.stringify(item));
  return item.request;
};
const ALICE_PC = parseMsrpUri('msrp://alicepc.example.com:7777/iau39soe2843z;tcp')!;
const BOB = parseMsrpUri(S.URIS.BOB)!;

describe('what the receiver owes', () => {
  it('answers a SEND to the previous hop, unless Failure-Report says otherwise', () => {
    const send = parseOne(S.SEND_SIMPLE);
    const ok = transactionResponse(send, 200, BOB)!;
    expect(encodeResponse(ok)).toEqual({ ok: true, bytes: Buffer.from(S.OK_SIMPLE) });
    // Failure-Report: no (the §11 sample) gets no response at all; partial only failures.
    const quiet = parseOne(S.SEND_WANTS_REPORT);
    expect(transactionResponse(quiet, 200, ALICE_PC)).toBeUndefined();
    expect(transactionResponse(quiet, 413, ALICE_PC)).toBeUndefined();
    const partial = { ...send, failureReport: 'partial' as const };
    expect(transactionResponse(partial, 200, BOB)).toBeUndefined();
    expect(transactionResponse(partial, 415, BOB)?.code).toBe(415);
    // A REPORT is never answered; an unknown method gets 501; an invalid frame with a From-Path 400.
    expect(transactionResponse(parseOne(S.REPORT_OK), 200, BOB)).toBeUndefined();
    expect(transactionResponse(parseOne(S.UNKNOWN_METHOD), 501, BOB)?.code).toBe(501);
    const [bad] = new MsrpFrameParser().push(Buffer.from(S.SEND_SIMPLE.replace('1-23/23', 'nonsense')));
    if (bad?.kind !== 'invalid') throw new Error('expected invalid');
    expect(transactionResponse(bad, 400, BOB)).toMatchObject({
      transactionId: 'a786hjs2',
      code: 400,
      toPath: [expect.objectContaining({ host: 'atlanta.example.com' })],
    });
  });

  it('writes the §11 success REPORT once the whole message is in', () => {
    const send = parseOne(S.SEND_WANTS_REPORT);
    const outcome = new Reassembly().accept(send, 0);
    if (outcome.kind !== 'complete') throw new Error(outcome.kind);
    const report = successReport(outcome.message, outcome.message.body.length, ALICE_PC)!;
    const encoded = encodeRequest({ ...report, transactionId: 'dkei38ia' });
    expect(encoded.ok && encoded.bytes.toString()).toBe(S.REPORT_OK);
    // Not asked for: nothing.
    expect(successReport({ ...outcome.message, successReport: 'no' }, 10, ALICE_PC)).toBeUndefined();
  });

  it('writes a failure REPORT for the range that failed, where Failure-Report asks', () => {
    const fields = reportFieldsOf(parseOne(S.SEND_CHUNK_1))!;
    const report = failureReport(fields, { start: 1, end: 10, total: 20 }, 408, BOB)!;
    expect(report).toMatchObject({
      method: 'REPORT',
      messageId: '9sd2k3ds',
      byteRange: { start: 1, end: 10, total: 20 },
      status: { namespace: '000', code: 408, comment: 'Request Timeout' },
    });
    expect(report.toPath.map(formatMsrpUri)).toEqual([S.URIS.ALICE]);
    const encoded = encodeRequest(report);
    if (!encoded.ok) throw new Error(encoded.reason);
    const [item] = new MsrpFrameParser().push(encoded.bytes);
    expect(item).toMatchObject({ kind: 'request', request: { method: 'REPORT', status: { code: 408 } } });
    expect(failureReport({ ...fields, failureReport: 'no' }, { start: 1 }, 408, BOB)).toBeUndefined();
    expect(failureReport({ ...fields, failureReport: 'partial' }, { start: 1 }, 408, BOB)?.status?.code).toBe(408);
  });

  it('answers chunks by their outcome: 200 and nothing more, 413, or 200 with the success REPORT', () => {
    const r = new Reassembly();
    const first = parseOne(S.SEND_CHUNK_1);
    const second = parseOne(S.SEND_CHUNK_2);
    expect(answersForChunk(first, r.accept(first, 0), BOB)).toEqual({
      response: expect.objectContaining({ transactionId: '7443jv', code: 200 }),
    });
    // Complete, but no success report was asked for.
    expect(answersForChunk(second, r.accept(second, 0), BOB)).toEqual({
      response: expect.objectContaining({ transactionId: '7443jw', code: 200 }),
    });
    const small = new Reassembly({ maxMessageBytes: 15, maxMessages: 4 });
    expect(answersForChunk(first, small.accept(first, 0), BOB)).toEqual({
      response: expect.objectContaining({ transactionId: '7443jv', code: 413 }),
    });
    // The §11 message: Failure-Report no, so no response; Success-Report yes, so the REPORT.
    const wants = parseOne(S.SEND_WANTS_REPORT);
    const answers = answersForChunk(wants, new Reassembly().accept(wants, 0), ALICE_PC);
    expect(answers.response).toBeUndefined();
    expect(answers.report).toMatchObject({ method: 'REPORT', messageId: '12339sdqwer', status: { code: 200 } });
  });
});
