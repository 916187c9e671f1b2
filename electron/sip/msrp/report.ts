/**
 * What a receiving endpoint owes the sender (RFC 4975 §7.1.2, §7.2): the transaction response to
 * each request, and the REPORTs its Success-Report and Failure-Report headers ask for.
 *
 * - REPORT requests are never answered.
 * - Failure-Report `no`: no response at all; `partial`: only failures are answered; `yes`
 *   (the default): every request is answered.
 * - A success REPORT is owed once the whole message arrived when Success-Report is `yes`
 *   (default `no`), naming the bytes received (1-total/total) with Status 000 200.
 * - A failure REPORT names the range that failed and the error; it is owed when Failure-Report
 *   is `yes` or `partial` and no error response could carry the failure (a message given up
 *   after its chunks stopped coming, 408).
 *
 * A response goes to the previous hop (the first URI of the request's From-Path) from us; a
 * REPORT goes end to end, along the whole From-Path.
 */
import { newTransactionId, type OutgoingRequest, type OutgoingResponse } from './frame-encoder.js';
import { MSRP_STATUS_TEXT, type ByteRange, type FailureReport, type MsrpRequest, type SuccessReport } from './message.js';
import type { ChunkOutcome } from './reassembly.js';
import type { MsrpUri } from './uri.js';

interface Answerable {
  transactionId: string;
  method?: string;
  fromPath?: readonly MsrpUri[];
  failureReport?: FailureReport;
}

/** The response to a request (or to an `invalid` frame with a From-Path), or undefined when none may be sent. */
export function transactionResponse(req: Answerable, code: number, self: MsrpUri, comment?: string): OutgoingResponse | undefined {
  // Responses and REPORTs are never answered (an invalid response frame has no method).
  if (req.method === undefined || req.method === 'REPORT') return undefined;
  const previousHop = req.fromPath?.[0];
  if (!previousHop) return undefined;
  const failureReport = req.failureReport ?? 'yes';
  if (failureReport === 'no' || (failureReport === 'partial' && code === 200)) return undefined;
  return { transactionId: req.transactionId, code, ...(comment !== undefined ? { comment } : {}), toPath: [previousHop], fromPath: [self] };
}

/**
 * What to send for a SEND chunk once reassembly has placed it: the transaction response its
 * outcome deserves (if any may be sent) and, when it completed a message that asked, the success
 * REPORT. A refused chunk is told by its error response; no failure REPORT is added to it.
 */
export function answersForChunk(
  req: MsrpRequest,
  outcome: ChunkOutcome,
  self: MsrpUri,
): { response?: OutgoingResponse; report?: OutgoingRequest } {
  const response = transactionResponse(req, outcome.code, self);
  const report = outcome.kind === 'complete' ? successReport(outcome.message, outcome.message.body.length, self) : undefined;
  return { ...(response ? { response } : {}), ...(report ? { report } : {}) };
}

export interface ReportFields {
  messageId: string;
  /** The sender's From-Path as received: the REPORT's To-Path. */
  fromPath: readonly MsrpUri[];
  successReport?: SuccessReport;
  failureReport?: FailureReport;
}

/** The success REPORT for a whole message of `total` bytes, or undefined when not asked for. */
export function successReport(msg: ReportFields, total: number, self: MsrpUri, upTo = total): OutgoingRequest | undefined {
  if ((msg.successReport ?? 'no') !== 'yes') return undefined;
  // `upTo` short of `total`: the bytes 1..upTo taken so far (RFC 4975 §7.1.2 allows REPORTs for part of a message).
  return report(msg, { start: 1, end: upTo, total }, 200, self);
}

/** The failure REPORT for `range` of a message, or undefined when not asked for. */
export function failureReport(
  msg: ReportFields,
  range: ByteRange,
  code: number,
  self: MsrpUri,
  comment?: string,
): OutgoingRequest | undefined {
  if ((msg.failureReport ?? 'yes') === 'no' || code === 200) return undefined;
  return report(msg, range, code, self, comment);
}

/** The report fields of a received SEND chunk. */
export function reportFieldsOf(req: MsrpRequest): ReportFields | undefined {
  if (req.messageId === undefined) return undefined;
  return {
    messageId: req.messageId,
    fromPath: req.fromPath,
    ...(req.successReport ? { successReport: req.successReport } : {}),
    ...(req.failureReport ? { failureReport: req.failureReport } : {}),
  };
}

function report(msg: ReportFields, byteRange: ByteRange, code: number, self: MsrpUri, comment?: string): OutgoingRequest {
  return {
    method: 'REPORT',
    transactionId: newTransactionId(),
    toPath: msg.fromPath,
    fromPath: [self],
    messageId: msg.messageId,
    byteRange,
    status: { namespace: '000', code, comment: comment ?? MSRP_STATUS_TEXT[code] ?? '' },
  };
}
