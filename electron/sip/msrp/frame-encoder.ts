/**
 * MSRP requests and responses to bytes (RFC 4975 §7.1, §7.2). The body is framed by the
 * end-line alone, so the encoder refuses a body that contains `-------<transaction-id>`
 * (the receiver would end the frame there), and any header value that would break a line.
 * Failures are values, not throws: the caller picks a new transaction id or reports the error.
 */
import { randomBytes } from 'node:crypto';
import { formatByteRange, formatPath, formatStatus, IDENT } from './header-values.js';
import { MSRP_STATUS_TEXT, type ByteRange, type Continuation, type ExtraHeaders, type RequestFields } from './message.js';
import type { MsrpUri } from './uri.js';

export interface OutgoingRequest extends RequestFields {
  method: string;
  transactionId: string;
  toPath: readonly MsrpUri[];
  fromPath: readonly MsrpUri[];
  headers?: ExtraHeaders;
  body?: Buffer;
  continuation?: Continuation;
}

export interface OutgoingResponse {
  transactionId: string;
  code: number;
  comment?: string;
  toPath: readonly MsrpUri[];
  fromPath: readonly MsrpUri[];
  headers?: ExtraHeaders;
}

export type Encoded = { ok: true; bytes: Buffer } | { ok: false; reason: string };

const CRLF = Buffer.from('\r\n');

/** Random bytes drawn from the system 4 KiB at a time: a file's chunks take an id each. */
const ID_BYTES = 10;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomIdent(): string {
  if (poolAt + ID_BYTES > pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  poolAt += ID_BYTES;
  return pool.toString('hex', poolAt - ID_BYTES, poolAt);
}

/** 80 random bits as 20 hex digits: an ident (§9), unguessable, and unlikely to occur in a body. */
export function newTransactionId(): string {
  return randomIdent();
}

/** Message-IDs are idents too; the same form keeps them unique across sessions and restarts. */
export function newMessageId(): string {
  return randomIdent();
}

/** The bytes that must not occur in a body sent under this transaction id. */
export function endLineMarker(transactionId: string): Buffer {
  return Buffer.from(`-------${transactionId}`, 'latin1');
}

/** Start line and headers, up to and including the CRLF of the last header. */
export function encodeRequestHead(req: OutgoingRequest): Encoded {
  if (!/^[A-Z]+$/.test(req.method)) return { ok: false, reason: 'bad method' };
  return finishHead(req.transactionId, requestLines(req), req.messageId);
}

function requestLines(req: OutgoingRequest): string[] {
  const lines = [`MSRP ${req.transactionId} ${req.method}`, ...pathLines(req.toPath, req.fromPath)];
  if (req.messageId !== undefined) lines.push(`Message-ID: ${req.messageId}`);
  if (req.byteRange) lines.push(`Byte-Range: ${formatByteRange(req.byteRange)}`);
  if (req.successReport) lines.push(`Success-Report: ${req.successReport}`);
  if (req.failureReport) lines.push(`Failure-Report: ${req.failureReport}`);
  if (req.status) lines.push(`Status: ${formatStatus(req.status)}`);
  for (const [name, value] of req.headers ?? []) lines.push(`${name}: ${value}`);
  // Content-Type comes last: the MIME headers before it (§9 content-stuff) are in `headers`.
  if (req.contentType !== undefined) lines.push(`Content-Type: ${req.contentType}`);
  return lines;
}

/** The fields a file's chunks share: all but the transaction id, Byte-Range, body and flag. */
export type ChunkFields = Omit<OutgoingRequest, 'transactionId' | 'byteRange' | 'body' | 'continuation'> & { contentType: string };
export type ChunkFramer = (transactionId: string, range: ByteRange, body: Buffer, flag: Continuation) => EncodedParts;

/**
 * Frames for a run of chunks of one message (a file's): the header lines they share are checked
 * and joined once, and each chunk only adds its start line and Byte-Range; the same bytes as
 * `encodeRequestParts` gives for each. Undefined when the shared fields do not encode.
 */
export function chunkFramer(fields: ChunkFields): ChunkFramer | undefined {
  const sample: OutgoingRequest = { ...fields, transactionId: 'x'.repeat(20), byteRange: { start: 1, end: 1, total: 1 } };
  if (!encodeRequestHead(sample).ok) return undefined;
  const lines = requestLines(sample).map((line) => `${line}\r\n`);
  const at = lines.findIndex((line) => line.startsWith('Byte-Range: '));
  const before = lines.slice(1, at).join('');
  const after = `${lines.slice(at + 1).join('')}\r\n`;
  return (transactionId, range, body, flag) => {
    if (!IDENT.test(transactionId)) return { ok: false, reason: 'bad transaction id' };
    if (body.includes(endLineMarker(transactionId))) return { ok: false, reason: 'the body contains the end-line' };
    const head = `MSRP ${transactionId} ${fields.method}\r\n${before}Byte-Range: ${formatByteRange(range)}\r\n${after}`;
    return { ok: true, parts: [Buffer.from(head, 'utf8'), body, Buffer.from(`\r\n-------${transactionId}${flag}\r\n`, 'latin1')] };
  };
}

export function encodeRequest(req: OutgoingRequest): Encoded {
  const encoded = encodeRequestParts(req);
  return encoded.ok ? { ok: true, bytes: Buffer.concat(encoded.parts) } : encoded;
}

/**
 * The active end's first request on a connection (RFC 4975 §7.1.1): a SEND without a body, so the
 * passive end (or its relay) knows the connection is this session's. Chat sessions and file
 * transfers greet alike.
 */
export function encodeGreeting(toPath: readonly MsrpUri[], fromPath: readonly MsrpUri[]): Encoded {
  return encodeRequest({ method: 'SEND', transactionId: newTransactionId(), toPath, fromPath, messageId: newMessageId() });
}

/**
 * The same frame as the pieces to write in order (head, body, end-line), for a large body (a
 * file's chunk) that is then written as it is instead of copied into one buffer with its frame.
 */
export type EncodedParts = { ok: true; parts: Buffer[] } | { ok: false; reason: string };

export function encodeRequestParts(req: OutgoingRequest): EncodedParts {
  const body = req.body ?? Buffer.alloc(0);
  if (body.length > 0 && req.contentType === undefined) return { ok: false, reason: 'a body needs a Content-Type' };
  const head = encodeRequestHead(req);
  if (!head.ok) return head;
  if (body.includes(endLineMarker(req.transactionId))) return { ok: false, reason: 'the body contains the end-line' };
  const end = endLine(req.transactionId, req.continuation ?? '$');
  if (req.contentType === undefined) return { ok: true, parts: [head.bytes, end] };
  return { ok: true, parts: [Buffer.concat([head.bytes, CRLF]), body, Buffer.concat([CRLF, end])] };
}

export function encodeResponse(res: OutgoingResponse): Encoded {
  if (!Number.isInteger(res.code) || res.code < 100 || res.code > 999) return { ok: false, reason: 'bad status code' };
  const comment = res.comment ?? MSRP_STATUS_TEXT[res.code];
  const lines = [`MSRP ${res.transactionId} ${res.code}${comment ? ` ${comment}` : ''}`, ...pathLines(res.toPath, res.fromPath)];
  for (const [name, value] of res.headers ?? []) lines.push(`${name}: ${value}`);
  const head = finishHead(res.transactionId, lines);
  return head.ok ? { ok: true, bytes: Buffer.concat([head.bytes, endLine(res.transactionId, '$')]) } : head;
}

/** `-------<id><flag>` CRLF, with the CRLF that ends the body (or the headers) before it. */
export function endLine(transactionId: string, flag: Continuation): Buffer {
  return Buffer.from(`-------${transactionId}${flag}\r\n`, 'latin1');
}

function pathLines(toPath: readonly MsrpUri[], fromPath: readonly MsrpUri[]): string[] {
  // An empty path leaves "To-Path: " with nothing after it, which finishHead refuses.
  if (toPath.length === 0 || fromPath.length === 0) return ['To-Path:', 'From-Path:'];
  return [`To-Path: ${formatPath(toPath)}`, `From-Path: ${formatPath(fromPath)}`];
}

function finishHead(transactionId: string, lines: string[], messageId?: string): Encoded {
  if (!IDENT.test(transactionId)) return { ok: false, reason: 'bad transaction id' };
  if (messageId !== undefined && !IDENT.test(messageId)) return { ok: false, reason: 'bad Message-ID' };
  for (const line of lines) if (/[\r\n]/.test(line)) return { ok: false, reason: 'a header value breaks the line' };
  for (const line of lines.slice(1)) if (!/^[A-Za-z][A-Za-z0-9\-.!%*_+`'~]*: /.test(line)) return { ok: false, reason: 'bad header name' };
  return { ok: true, bytes: Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'utf8') };
}
