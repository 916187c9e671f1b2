import { describe, expect, it } from 'vitest';
import { DEFAULT_MSRP_LIMITS, maxBufferedBytes, MsrpFrameParser, type FrameItem, type MsrpLimits } from './frame-parser.js';
import { formatMsrpUri } from './uri.js';
import * as S from './testing/samples.js';

const parseAll = (text: string | Buffer, limits?: MsrpLimits): FrameItem[] => new MsrpFrameParser(limits).push(Buffer.from(text));

function only(text: string): FrameItem {
  const items = parseAll(text);
  expect(items).toHaveLength(1);
  return items[0]!;
}

function request(text: string) {
  const item = only(text);
  if (item.kind !== 'request') throw new Error(`expected a request, got ${JSON.stringify(item)}`);
  return item.request;
}

/** What a run of items says, cheap to compare. */
const signature = (items: FrameItem[]): string =>
  items
    .map((i) => {
      if (i.kind === 'request')
        return `${i.request.transactionId} ${i.request.method} ${i.request.continuation} ${i.request.body.toString('hex')} ${i.request.headers.length}`;
      if (i.kind === 'response') return `${i.response.transactionId} ${i.response.code}`;
      return `${i.kind} ${i.reason}`;
    })
    .join('|');

/** Feeds `text` cut at every point `a` and, with `pairs`, at every `a` and every `step`-th `b` after it. */
function splitEverywhere(text: string, pairs: boolean, step = 1): number {
  const bytes = Buffer.from(text);
  const whole = signature(parseAll(bytes));
  let runs = 0;
  for (let a = 0; a <= bytes.length; a++) {
    for (let b = a; b <= bytes.length; b += pairs ? step : bytes.length + 1) {
      const p = new MsrpFrameParser();
      const items = [...p.push(bytes.subarray(0, a)), ...p.push(bytes.subarray(a, b)), ...p.push(bytes.subarray(b))];
      const got = signature(items);
      if (got !== whole) expect(got, `cut at ${a} and ${b}`).toBe(whole);
      if (p.pending !== 0) expect(p.pending, `cut at ${a} and ${b}`).toBe(0);
      runs++;
    }
  }
  return runs;
}

describe('MSRP frame parser: RFC 4975 examples', () => {
  it('reads a SEND (§4)', () => {
    const req = request(S.SEND_SIMPLE);
    expect(req).toMatchObject({
      transactionId: 'a786hjs2',
      method: 'SEND',
      messageId: '87652491',
      byteRange: { start: 1, end: 23, total: 23 },
      contentType: 'text/plain',
      continuation: '$',
      headers: [],
    });
    expect(req.body.toString()).toBe('Hey Bob, are you there?');
    expect(req.toPath.map(formatMsrpUri)).toEqual([S.URIS.BOB]);
    expect(req.fromPath.map(formatMsrpUri)).toEqual([S.URIS.ALICE]);
  });

  it('reads its 200 (§4)', () => {
    const item = only(S.OK_SIMPLE);
    expect(item).toMatchObject({ kind: 'response', response: { transactionId: 'a786hjs2', code: 200, comment: 'OK', headers: [] } });
  });

  it('reads a SEND asking for a success report, and the REPORT (§11)', () => {
    const req = request(S.SEND_WANTS_REPORT);
    expect(req).toMatchObject({ successReport: 'yes', failureReport: 'no', contentType: 'text/html' });
    // The body keeps its own CRLFs; only the CRLF before the end-line is the frame's.
    expect(req.body.toString()).toBe(S.HTML_BODY);
    const report = request(S.REPORT_OK);
    const n = Buffer.byteLength(S.HTML_BODY);
    expect(report).toMatchObject({
      method: 'REPORT',
      messageId: '12339sdqwer',
      byteRange: { start: 1, end: n, total: n },
      status: { namespace: '000', code: 200, comment: 'OK' },
    });
    expect(report.body.length).toBe(0);
  });

  it('reads chunks: `+`, `*` ends and totals, `#`', () => {
    expect(request(S.SEND_CHUNK_1)).toMatchObject({ continuation: '+', byteRange: { start: 1, total: 20 } });
    expect(request(S.SEND_CHUNK_1).byteRange!.end).toBeUndefined();
    expect(request(S.SEND_CHUNK_2)).toMatchObject({ continuation: '$', byteRange: { start: 11, end: 20, total: 20 } });
    const aborted = request(S.SEND_ABORTED);
    expect(aborted.continuation).toBe('#');
    expect(aborted.byteRange).toEqual({ start: 1 });
  });

  it('reads an empty SEND, AUTH, an unknown method and a relayed 413', () => {
    expect(request(S.SEND_EMPTY)).toMatchObject({ method: 'SEND', byteRange: { start: 1, end: 0, total: 0 } });
    expect(request(S.SEND_EMPTY).body.length).toBe(0);
    const auth = request(S.AUTH);
    expect(auth.method).toBe('AUTH');
    expect(auth.toPath[0]).toMatchObject({ secure: true, userinfo: 'alice', host: 'intra.example.com' });
    expect(request(S.UNKNOWN_METHOD).method).toBe('FROB');
    const big = only(S.TOO_LARGE);
    expect(big).toMatchObject({ kind: 'response', response: { code: 413, comment: 'Message Too Large' } });
    if (big.kind === 'response') expect(big.response.toPath.map((u) => u.host)).toEqual(['relay.example.com', '2001:db8::1']);
  });

  it('keeps other headers in order (MIME headers, RFC 4976 headers, extensions)', () => {
    const text = S.SEND_SIMPLE.replace(
      'Content-Type:',
      'Content-Disposition: attachment; filename="a.txt"\r\nX-Thing:  two  \r\nContent-Type:',
    );
    expect(request(text).headers).toEqual([
      ['Content-Disposition', 'attachment; filename="a.txt"'],
      ['X-Thing', 'two  '],
    ]);
  });

  it('frames several messages in one read, and a body holding things that look like end-lines', () => {
    const tricky = S.SEND_SIMPLE.replace(
      'Hey Bob, are you there?',
      '-------a786hjs3$\r\n-------a786hjs2x\r\n-------a786hjs2$ no CRLF after',
    );
    const items = parseAll(S.SEND_SIMPLE + S.OK_SIMPLE + tricky + S.REPORT_OK);
    expect(items.map((i) => i.kind)).toEqual(['request', 'response', 'request', 'request']);
    if (items[2]!.kind === 'request')
      expect(items[2]!.request.body.toString()).toBe('-------a786hjs3$\r\n-------a786hjs2x\r\n-------a786hjs2$ no CRLF after');
  });

  it('tolerates an empty body sent without its CRLF', () => {
    const text = S.frame(
      'MSRP t0000001 SEND',
      `To-Path: ${S.URIS.BOB}`,
      `From-Path: ${S.URIS.ALICE}`,
      'Message-ID: m0000001',
      'Content-Type: text/plain',
      '',
      '-------t0000001$',
    );
    expect(request(text).body.length).toBe(0);
  });
});

describe('MSRP frame parser: bad input', () => {
  it('invalid frames come back with their transaction id, and framing goes on', () => {
    const cases: Array<[string, string]> = [
      [S.SEND_SIMPLE.replace('Message-ID: 87652491\r\n', ''), 'no Message-ID'],
      [S.SEND_SIMPLE.replace('1-23/23', '23-1/23'), 'bad Byte-Range'],
      [S.SEND_SIMPLE.replace('1-23/23', '1-30/23'), 'bad Byte-Range'],
      [S.SEND_SIMPLE.replace('Content-Type: text/plain\r\n', ''), 'a body without Content-Type'],
      [S.SEND_SIMPLE.replace(`To-Path: ${S.URIS.BOB}`, 'To-Path: sip:bob@example.com'), 'bad To-Path'],
      [S.SEND_SIMPLE.replace('Message-ID', 'Message ID'), 'bad header name'],
      [S.SEND_SIMPLE.replace('Byte-Range: 1-23/23', 'Byte-Range: 1-23/23\r\nByte-Range: 1-23/23'), 'Byte-Range appears twice'],
      [S.REPORT_OK.replace('Status: 000 200 OK\r\n', ''), 'a REPORT without Status'],
      [S.OK_SIMPLE.replace('-------a786hjs2$', '-------a786hjs2+'), 'a response ends with $'],
    ];
    for (const [text, reason] of cases) {
      const items = parseAll(text + S.OK_SIMPLE);
      expect(items[0], reason).toMatchObject({ kind: 'invalid', reason });
      expect(items[1]!.kind).toBe('response');
    }
    // The From-Path travels with a bad request, so the owner can answer 400 to the previous hop.
    const [bad] = parseAll(S.SEND_SIMPLE.replace('1-23/23', 'x'));
    expect(bad).toMatchObject({ kind: 'invalid', transactionId: 'a786hjs2', method: 'SEND' });
    if (bad!.kind === 'invalid') expect(bad!.fromPath!.map(formatMsrpUri)).toEqual([S.URIS.ALICE]);
  });

  it('a stream that is not MSRP, or a start line that cannot be read, is a fatal error', () => {
    for (const text of [
      'GET / HTTP/1.1\r\n',
      'MSRP\r\n',
      'MSRP ab SEND\r\n',
      'MSRP abcd\r\n',
      'MSRP abc_d SEND\r\n',
      'MSRQ abcd SEND\r\n',
    ]) {
      const p = new MsrpFrameParser();
      const items = p.push(Buffer.from(text));
      expect(items, text).toEqual([expect.objectContaining({ kind: 'error' })]);
      // Nothing more is framed after a fatal error.
      expect(p.push(Buffer.from(S.SEND_SIMPLE))).toEqual([]);
      expect(p.pending).toBe(0);
    }
  });

  it('a start line with a readable transaction id but a bad method or status is framed and invalid', () => {
    const lower = S.SEND_SIMPLE.replace('a786hjs2 SEND', 'a786hjs2 send');
    const items = parseAll(lower + S.OK_SIMPLE.replace('200 OK', '20 OK') + S.AUTH);
    expect(items.map((i) => i.kind)).toEqual(['invalid', 'invalid', 'request']);
    expect(items[0]).toMatchObject({ transactionId: 'a786hjs2', method: 'send', reason: 'bad method or status' });
    // The lower-case request can be answered 400 at its From-Path; the bad response cannot.
    if (items[0]!.kind === 'invalid') expect(items[0]!.fromPath?.map(formatMsrpUri)).toEqual([S.URIS.ALICE]);
    expect(items[1]).toEqual({ kind: 'invalid', transactionId: 'a786hjs2', reason: 'bad method or status' });
  });

  const small: MsrpLimits = { maxLineBytes: 200, maxHeaderBytes: 600, maxHeaders: 8, maxBodyBytes: 1000 };

  it('bounds every dimension a peer controls', () => {
    const head = S.SEND_SIMPLE.slice(0, S.SEND_SIMPLE.indexOf('\r\n\r\n') + 2);
    const cases: Array<[string, RegExp]> = [
      ['MSRP ' + 'x'.repeat(300), /start line too long/],
      [S.SEND_SIMPLE.replace('Message-ID:', `X-Long: ${'y'.repeat(300)}\r\nMessage-ID:`), /header line too long/],
      ['MSRP a786hjs2 SEND\r\nX-Long: ' + 'y'.repeat(300), /header line too long/],
      [S.SEND_SIMPLE.replace('Message-ID:', 'X-A: 1\r\n'.repeat(10) + 'Message-ID:'), /too many header lines/],
      [S.SEND_SIMPLE.replace('Message-ID:', `X-A: ${'z'.repeat(150)}\r\n`.repeat(5) + 'Message-ID:'), /header section too large/],
      [head + '\r\n' + 'b'.repeat(1200), /no end-line within 1000 bytes/],
      [S.SEND_SIMPLE.replace('Hey Bob, are you there?', 'c'.repeat(1001)), /chunk body over 1000 bytes/],
    ];
    for (const [text, reason] of cases) {
      const items = parseAll(text, small);
      expect(items.at(-1), String(reason)).toMatchObject({ kind: 'error' });
      expect((items.at(-1) as { reason: string }).reason).toMatch(reason);
    }
  });

  it('a peer that never sends the end-line is cut off, and the buffer never passes its bound', () => {
    const p = new MsrpFrameParser(small);
    const bound = maxBufferedBytes(small);
    const head = S.SEND_SIMPLE.slice(0, S.SEND_SIMPLE.indexOf('\r\n\r\n') + 4);
    let items = p.push(Buffer.from(head));
    let peak = p.pending;
    for (let i = 0; i < 100 && items.length === 0; i++) {
      items = p.push(Buffer.alloc(37, 0x61));
      peak = Math.max(peak, p.pending);
    }
    expect(items).toEqual([expect.objectContaining({ kind: 'error', transactionId: 'a786hjs2' })]);
    expect(peak).toBeLessThanOrEqual(bound);
    // One huge read is taken in slices too.
    const q = new MsrpFrameParser(small);
    expect(q.push(Buffer.concat([Buffer.from(head), Buffer.alloc(50_000, 0x62)]))).toEqual([expect.objectContaining({ kind: 'error' })]);
    expect(q.pending).toBe(0);
  });

  it('the default limits take a 1 MiB chunk', () => {
    const body = 'd'.repeat(DEFAULT_MSRP_LIMITS.maxBodyBytes);
    const text = S.SEND_SIMPLE.replace('1-23/23', `1-${body.length}/${body.length}`).replace('Hey Bob, are you there?', body);
    expect(request(text).body.length).toBe(body.length);
  });
});

describe('MSRP frame parser: bytes split anywhere', () => {
  it('every split point of a run of messages gives the same frames', () => {
    const stream =
      S.SEND_SIMPLE +
      S.OK_SIMPLE +
      S.SEND_WANTS_REPORT +
      S.REPORT_OK +
      S.SEND_CHUNK_1 +
      S.SEND_ABORTED +
      S.SEND_EMPTY +
      S.AUTH +
      S.TOO_LARGE;
    expect(splitEverywhere(stream, false)).toBe(Buffer.byteLength(stream) + 1);
  });

  it('every pair of split points (one in seven for the second) of a shorter run, a bad frame among them', () => {
    const stream = S.SEND_SIMPLE + S.REPORT_OK.replace('Status: 000 200 OK\r\n', '') + S.OK_SIMPLE;
    expect(signature(parseAll(stream))).toMatch(/^a786hjs2 SEND .*\|invalid a REPORT without Status\|a786hjs2 200$/);
    expect(splitEverywhere(stream, true, 7)).toBeGreaterThan(10_000);
  }, 60_000);

  it('thousands of frames in one read, then reads that each end inside a frame', () => {
    const p = new MsrpFrameParser();
    const many = p.push(Buffer.from((S.SEND_SIMPLE + S.OK_SIMPLE).repeat(3000)));
    expect(many).toHaveLength(6000);
    expect(many.every((i, n) => i.kind === (n % 2 === 0 ? 'request' : 'response'))).toBe(true);
    const unit = Buffer.from(S.SEND_WANTS_REPORT);
    const stream = Buffer.concat(Array.from({ length: 40 }, () => unit));
    const items: FrameItem[] = [];
    const step = Math.floor(unit.length * 2.5);
    for (let at = 0; at < stream.length; at += step) items.push(...p.push(stream.subarray(at, at + step)));
    expect(items).toHaveLength(40);
    for (const i of items) expect(i.kind === 'request' && i.request.body.toString()).toBe(S.HTML_BODY);
    expect(p.pending).toBe(0);
  });

  it('byte by byte, including a multi-byte UTF-8 body and a bad frame in between', () => {
    const utf8 = S.SEND_SIMPLE.replace('Hey Bob, are you there?', 'Grüße 😀\r\n-------').replace('1-23/23', '1-*/*');
    const stream = Buffer.from(utf8 + S.SEND_SIMPLE.replace('Message-ID: 87652491\r\n', '') + S.AUTH);
    const p = new MsrpFrameParser();
    const items: FrameItem[] = [];
    for (const byte of stream) items.push(...p.push(Buffer.from([byte])));
    expect(items.map((i) => i.kind)).toEqual(['request', 'invalid', 'request']);
    if (items[0]!.kind === 'request') expect(items[0]!.request.body.toString()).toBe('Grüße 😀\r\n-------');
  });

  it('bodies handed out stay whole while the parser reads on (they are views of its reads, never written again)', () => {
    // Large frames over reads of random sizes: reads adopted as they are, frames split across
    // reads copied into a store of their own, stores grown; every body is checked at the end.
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const bodies: Buffer[] = [];
    const frames: Buffer[] = [];
    for (let i = 0; i < 60; i++) {
      const body = Buffer.alloc(i % 10 === 9 ? 500_000 + next(500_000) : 1 + next(40_000), i + 1);
      bodies.push(body);
      const id = `tx${String(i).padStart(4, '0')}`;
      const head = `MSRP ${id} SEND\r\nTo-Path: msrp://a.example:1/s;tcp\r\nFrom-Path: msrp://b.example:2/t;tcp\r\nMessage-ID: msg0001\r\nByte-Range: 1-${body.length}/*\r\nContent-Type: application/octet-stream\r\n\r\n`;
      frames.push(Buffer.concat([Buffer.from(head), body, Buffer.from(`\r\n-------${id}+\r\n`)]));
    }
    const stream = Buffer.concat(frames);
    const p = new MsrpFrameParser();
    const items: FrameItem[] = [];
    for (let at = 0, i = 0; at < stream.length;) {
      const read = Buffer.from(stream.subarray(at, at + 1 + next(i++ % 2 ? 70_000 : 300_000)));
      at += read.length;
      items.push(...p.push(read));
    }
    expect(items).toHaveLength(bodies.length);
    items.forEach((item, i) => {
      if (item.kind !== 'request') throw new Error(`frame ${i}: ${JSON.stringify(item)}`);
      expect(item.request.body.equals(bodies[i]!)).toBe(true);
    });
  });
});
