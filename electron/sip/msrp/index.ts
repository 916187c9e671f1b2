/** The MSRP wire layer (RFC 4975), with no SIP in it: what chat sessions, relays and file transfer build on. */
export { parseMsrpUri, formatMsrpUri, sameMsrpUri, type MsrpUri } from './uri.js';
export {
  KNOWN_METHODS,
  MSRP_STATUS_TEXT,
  type ByteRange,
  type Continuation,
  type ExtraHeaders,
  type FailureReport,
  type MsrpRequest,
  type MsrpResponse,
  type MsrpStatus,
  type SuccessReport,
} from './message.js';
export { MsrpFrameParser, DEFAULT_MSRP_LIMITS, maxBufferedBytes, type FrameItem, type MsrpLimits } from './frame-parser.js';
export {
  encodeRequest,
  encodeResponse,
  newMessageId,
  newTransactionId,
  type Encoded,
  type OutgoingRequest,
  type OutgoingResponse,
} from './frame-encoder.js';
export { chunkMessage, ChunkWriter, DEFAULT_CHUNK_SIZE, type ChunkOptions, type MessageFields } from './chunks.js';
export { Reassembly, DEFAULT_REASSEMBLY_LIMITS, type ChunkOutcome, type IncomingMessage, type ReassemblyLimits } from './reassembly.js';
export { answersForChunk, transactionResponse, successReport, failureReport, reportFieldsOf, type ReportFields } from './report.js';
