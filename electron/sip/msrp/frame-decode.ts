/**
 * One framed MSRP message (start line, header lines, body and end-line flag, already cut from
 * the stream by `frame-parser.ts`) read into a request or a response. What breaks the grammar
 * comes back as `invalid`, with the transaction id, so the connection owner can answer 400.
 */
import { parseByteRange, parseFailureReport, parsePath, parseStatus, parseSuccessReport, IDENT } from './header-values.js';
import type { Continuation, MsrpRequest, MsrpResponse, RequestFields } from './message.js';

export interface RawFrame {
  transactionId: string;
  /** A method for a request, else undefined. */
  method?: string;
  code?: number;
  comment?: string;
  headerLines: string[];
  body: Buffer;
  continuation: Continuation;
}

export type DecodedFrame =
  | { kind: 'request'; request: MsrpRequest }
  | { kind: 'response'; response: MsrpResponse }
  | {
      kind: 'invalid';
      transactionId: string;
      method?: string;
      code?: number;
      reason: string;
      /** The request's From-Path when it could be read: the To-Path of a 400. */
      fromPath?: MsrpRequest['fromPath'];
      failureReport?: MsrpRequest['failureReport'];
    };

type Header = readonly [string, string];

const MEDIA_TYPE = /^[!#-'*+\-.0-9A-Z^-~]+\/[!#-'*+\-.0-9A-Z^-~]+/;

// Fields that may appear once; a second copy makes the message ambiguous.
const SINGLE = new Set(['to-path', 'from-path', 'message-id', 'byte-range', 'success-report', 'failure-report', 'status', 'content-type']);

export function decodeFrame(raw: RawFrame): DecodedFrame {
  const fields = new Map<string, string>();
  const headers: Header[] = [];
  const invalid = (reason: string, extra: { fromPath?: MsrpRequest['fromPath'] } = {}): DecodedFrame => ({
    kind: 'invalid',
    transactionId: raw.transactionId,
    ...(raw.method !== undefined ? { method: raw.method } : {}),
    ...(raw.code !== undefined ? { code: raw.code } : {}),
    reason,
    ...extra,
    ...(fields.has('failure-report') ? { failureReport: parseFailureReport(fields.get('failure-report')!) } : {}),
  });
  for (const line of raw.headerLines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return invalid('header line without a name');
    const name = line.slice(0, colon);
    if (!/^[A-Za-z][A-Za-z0-9\-.!%*_+`'~]*$/.test(name)) return invalid('bad header name');
    const value = line.slice(colon + 1).replace(/^[ \t]+/, '');
    const key = name.toLowerCase();
    if (SINGLE.has(key)) {
      if (fields.has(key)) return invalid(`${name} appears twice`);
      fields.set(key, value);
    } else {
      headers.push([name, value]);
    }
  }
  const toText = fields.get('to-path');
  const fromText = fields.get('from-path');
  const fromPath = fromText === undefined ? undefined : parsePath(fromText);
  if (fromPath === undefined) return invalid(fromText === undefined ? 'no From-Path' : 'bad From-Path');
  const toPath = toText === undefined ? undefined : parsePath(toText);
  if (toPath === undefined) return invalid(toText === undefined ? 'no To-Path' : 'bad To-Path', { fromPath });

  if (raw.method === undefined) {
    if (raw.continuation !== '$') return invalid('a response ends with $');
    if (raw.body.length > 0) return invalid('a response has no body', { fromPath });
    return {
      kind: 'response',
      response: {
        transactionId: raw.transactionId,
        code: raw.code!,
        ...(raw.comment ? { comment: raw.comment } : {}),
        toPath,
        fromPath,
        headers,
      },
    };
  }

  const request: MsrpRequest = {
    transactionId: raw.transactionId,
    method: raw.method,
    toPath,
    fromPath,
    headers,
    body: raw.body,
    continuation: raw.continuation,
  };
  const bad = (reason: string): DecodedFrame => invalid(reason, { fromPath });
  const error =
    readField(fields, request, 'Message-ID', 'messageId', (v) => (IDENT.test(v) ? v : undefined)) ??
    readField(fields, request, 'Byte-Range', 'byteRange', parseByteRange) ??
    readField(fields, request, 'Success-Report', 'successReport', parseSuccessReport) ??
    readField(fields, request, 'Failure-Report', 'failureReport', parseFailureReport) ??
    readField(fields, request, 'Status', 'status', parseStatus) ??
    readField(fields, request, 'Content-Type', 'contentType', (v) => (MEDIA_TYPE.test(v) ? v : undefined));
  if (error) return bad(error);
  // §7.1: SEND and REPORT name their message; a body always says what it is; a REPORT says how it went.
  if ((raw.method === 'SEND' || raw.method === 'REPORT') && request.messageId === undefined) return bad('no Message-ID');
  if (raw.body.length > 0 && request.contentType === undefined) return bad('a body without Content-Type');
  if (raw.method === 'REPORT' && request.status === undefined) return bad('a REPORT without Status');
  return { kind: 'request', request };
}

/** Reads one of the request's own fields into `request`; returns why it could not. */
function readField<K extends keyof RequestFields>(
  fields: Map<string, string>,
  request: RequestFields,
  name: string,
  key: K,
  parse: (value: string) => RequestFields[K] | undefined,
): string | undefined {
  const text = fields.get(name.toLowerCase());
  if (text === undefined) return undefined;
  const value = parse(text.trim());
  if (value === undefined) return `bad ${name}`;
  request[key] = value;
  return undefined;
}
