/**
 * MSRP frames for tests, written for Parley after the shapes of RFC 4975's examples (§4, §11)
 * and RFC 4976's AUTH: the same hosts and flows, our own strings. `frame()` joins lines with CRLF.
 */
import type { MessageFields } from '../chunks.js';
import { parseMsrpUri } from '../uri.js';

export const frame = (...lines: string[]): string => lines.map((l) => `${l}\r\n`).join('');

const ALICE = 'msrp://atlanta.example.com:7654/jshA7weztas;tcp';
const BOB = 'msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp';
export const URIS = { ALICE, BOB };

/** Alice's outgoing message to Bob, asking for a success report: what chunking tests cut up. */
export const MESSAGE_FIELDS: MessageFields = {
  toPath: [parseMsrpUri(BOB)!],
  fromPath: [parseMsrpUri(ALICE)!],
  messageId: 'm1234567',
  contentType: 'text/plain',
  successReport: 'yes',
};

/** Alice asks Bob something; 23 bytes of text in one chunk. */
export const SEND_SIMPLE = frame(
  'MSRP a786hjs2 SEND',
  `To-Path: ${BOB}`,
  `From-Path: ${ALICE}`,
  'Message-ID: 87652491',
  'Byte-Range: 1-23/23',
  'Content-Type: text/plain',
  '',
  'Hey Bob, are you there?',
  '-------a786hjs2$',
);

/** Bob's transaction response to it. */
export const OK_SIMPLE = frame('MSRP a786hjs2 200 OK', `To-Path: ${ALICE}`, `From-Path: ${BOB}`, '-------a786hjs2$');

const HTML = ['<html><body>', '<p>The link we talked about:', '<a href="http://www.example.com/x">x</a>', '</p>', '</body></html>'];
/** A message that asks for a success report and no failure reports; the body spans lines. */
export const SEND_WANTS_REPORT = frame(
  'MSRP dkei38sd SEND',
  'To-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp',
  'From-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp',
  'Message-ID: 12339sdqwer',
  `Byte-Range: 1-${Buffer.byteLength(HTML.join('\r\n'))}/${Buffer.byteLength(HTML.join('\r\n'))}`,
  'Success-Report: yes',
  'Failure-Report: no',
  'Content-Type: text/html',
  '',
  ...HTML,
  '-------dkei38sd$',
);
export const HTML_BODY = HTML.join('\r\n');

/** The success REPORT for it. */
export const REPORT_OK = frame(
  'MSRP dkei38ia REPORT',
  'To-Path: msrp://bob.example.com:8888/9di4eae923wzd;tcp',
  'From-Path: msrp://alicepc.example.com:7777/iau39soe2843z;tcp',
  'Message-ID: 12339sdqwer',
  `Byte-Range: 1-${Buffer.byteLength(HTML_BODY)}/${Buffer.byteLength(HTML_BODY)}`,
  'Status: 000 200 OK',
  '-------dkei38ia$',
);

/** A message in two chunks, the first interruptible (end `*`), the total known from the start. */
export const SEND_CHUNK_1 = frame(
  'MSRP 7443jv SEND',
  `To-Path: ${BOB}`,
  `From-Path: ${ALICE}`,
  'Message-ID: 9sd2k3ds',
  'Byte-Range: 1-*/20',
  'Content-Type: text/plain',
  '',
  'first half',
  '-------7443jv+',
);
export const SEND_CHUNK_2 = frame(
  'MSRP 7443jw SEND',
  `To-Path: ${BOB}`,
  `From-Path: ${ALICE}`,
  'Message-ID: 9sd2k3ds',
  'Byte-Range: 11-20/20',
  'Content-Type: text/plain',
  '',
  'other half',
  '-------7443jw$',
);

/** A message given up in its first chunk. */
export const SEND_ABORTED = frame(
  'MSRP abrt0001 SEND',
  `To-Path: ${BOB}`,
  `From-Path: ${ALICE}`,
  'Message-ID: gone0001',
  'Byte-Range: 1-*/*',
  'Content-Type: application/octet-stream',
  '',
  'partial bytes',
  '-------abrt0001#',
);

/** An empty SEND, as the side that opened a connection sends first to bind it to its session. */
export const SEND_EMPTY = frame(
  'MSRP emp7y001 SEND',
  `To-Path: ${BOB}`,
  `From-Path: ${ALICE}`,
  'Message-ID: e0000001',
  'Byte-Range: 1-0/0',
  '-------emp7y001$',
);

/** RFC 4976: a client authenticates to its relay (over TLS, no session-id in the relay's URI). */
export const AUTH = frame(
  'MSRP 49fh AUTH',
  'To-Path: msrps://alice@intra.example.com;tcp',
  'From-Path: msrps://alice.example.com:9892/98cjs;tcp',
  '-------49fh$',
);

/** A method nobody defined: to be answered 501. */
export const UNKNOWN_METHOD = frame(
  'MSRP unkn0001 FROB',
  `To-Path: ${BOB}`,
  `From-Path: ${ALICE}`,
  'Message-ID: f0000001',
  '-------unkn0001$',
);

/** A refusal with its phrase, through a relay (two URIs in the To-Path). */
export const TOO_LARGE = frame(
  'MSRP big00001 413 Message Too Large',
  'To-Path: msrps://relay.example.com:2855/r31ay;tcp msrps://[2001:db8::1]:9000/a1ic3;tcp',
  `From-Path: ${BOB}`,
  '-------big00001$',
);

export const ALL_SAMPLES: Readonly<Record<string, string>> = {
  SEND_SIMPLE,
  OK_SIMPLE,
  SEND_WANTS_REPORT,
  REPORT_OK,
  SEND_CHUNK_1,
  SEND_CHUNK_2,
  SEND_ABORTED,
  SEND_EMPTY,
  AUTH,
  UNKNOWN_METHOD,
  TOO_LARGE,
};
