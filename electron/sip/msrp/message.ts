/**
 * MSRP messages as data (RFC 4975 §9): what the frame parser yields and the encoder takes.
 * Bodies stay bytes: a chunk may end inside a UTF-8 sequence, and files are not text.
 */
import type { MsrpUri } from './uri.js';

/** The end-line's flag: `$` last chunk, `+` more chunks follow, `#` the message is aborted. */
export type Continuation = '$' | '+' | '#';

/** Byte-Range: start-end/total, 1-based and inclusive; undefined stands for `*`. */
export interface ByteRange {
  start: number;
  end?: number;
  total?: number;
}

/** Status (§7.1.2): a namespace (000 for RFC 4975's codes), a code and an optional reason. */
export interface MsrpStatus {
  namespace: string;
  code: number;
  comment?: string;
}

export type SuccessReport = 'yes' | 'no';
export type FailureReport = 'yes' | 'no' | 'partial';

/** The methods Parley knows; any other upper-case method is surfaced for a 501. */
export const KNOWN_METHODS = ['SEND', 'REPORT', 'AUTH'] as const;

/** Response codes of RFC 4975 §10 and RFC 4976 (423), with the reason phrases we send. */
export const MSRP_STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  403: 'Forbidden',
  408: 'Request Timeout',
  413: 'Message Too Large',
  415: 'Unsupported Media Type',
  423: 'Interval Out-of-Bounds',
  481: 'Session Does Not Exist',
  501: 'Not Implemented',
  506: 'Wrong Session',
};

/** Header fields besides the ones read into their own properties, in order, names as written. */
export type ExtraHeaders = ReadonlyArray<readonly [string, string]>;

/** The header fields a request may carry, read into properties: the same received and sent. */
export interface RequestFields {
  messageId?: string;
  byteRange?: ByteRange;
  successReport?: SuccessReport;
  failureReport?: FailureReport;
  status?: MsrpStatus;
  contentType?: string;
}

export interface MsrpRequest extends RequestFields {
  transactionId: string;
  method: string;
  toPath: readonly MsrpUri[];
  fromPath: readonly MsrpUri[];
  /** Every other header (Content-Disposition, Use-Path, Authorization, extensions...). */
  headers: ExtraHeaders;
  body: Buffer;
  continuation: Continuation;
}

export interface MsrpResponse {
  transactionId: string;
  code: number;
  comment?: string;
  toPath: readonly MsrpUri[];
  fromPath: readonly MsrpUri[];
  headers: ExtraHeaders;
}
