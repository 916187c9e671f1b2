import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, StreamFramer, type FrameItem } from './framing.js';

function sipMessage(body = '', method = 'MESSAGE', contentLengthName = 'Content-Length'): string {
  return (
    `${method} sip:bob@example.org SIP/2.0\r\n` +
    'Via: SIP/2.0/TCP 192.0.2.1:5060;branch=z9hG4bK1\r\n' +
    'Call-ID: c1\r\n' +
    `CSeq: 1 ${method}\r\n` +
    `${contentLengthName}: ${Buffer.byteLength(body)}\r\n` +
    '\r\n' +
    body
  );
}

const b = (text: string) => Buffer.from(text, 'utf8');

function messages(items: FrameItem[]): string[] {
  return items.flatMap((item) => (item.kind === 'message' ? [item.text] : []));
}

function feedBytes(framer: StreamFramer, data: Buffer): FrameItem[] {
  const out: FrameItem[] = [];
  for (let i = 0; i < data.length; i++) out.push(...framer.push(data.subarray(i, i + 1)));
  return out;
}

describe('StreamFramer', () => {
  it('frames one message and reports its byte size', () => {
    const text = sipMessage('hello');
    const items = new StreamFramer().push(b(text));
    expect(items).toEqual([{ kind: 'message', text, bytes: Buffer.byteLength(text) }]);
  });

  it('frames several messages arriving in one chunk, in order', () => {
    const one = sipMessage('first');
    const two = sipMessage('', 'OPTIONS');
    const three = sipMessage('third one');
    const framer = new StreamFramer();
    expect(messages(framer.push(b(one + two + three)))).toEqual([one, two, three]);
    expect(framer.pending).toBe(0);
  });

  it('frames one message fed one byte at a time, only when its last byte arrives', () => {
    const text = sipMessage('split into single bytes');
    const framer = new StreamFramer();
    const data = b(text);
    for (let i = 0; i < data.length - 1; i++) {
      expect(framer.push(data.subarray(i, i + 1))).toEqual([]);
      expect(framer.pending).toBe(i + 1);
    }
    expect(framer.push(data.subarray(data.length - 1))).toEqual([{ kind: 'message', text, bytes: data.length }]);
    expect(framer.pending).toBe(0);
  });

  it('counts Content-Length in UTF-8 bytes, not characters, for multi-byte bodies', () => {
    const body = 'héllo ✓ 😀 — ünïcödé';
    expect(Buffer.byteLength(body)).toBeGreaterThan(body.length);
    const first = sipMessage(body);
    const second = sipMessage('next');
    const framer = new StreamFramer();
    const items = framer.push(b(first + second));
    expect(messages(items)).toEqual([first, second]);
    expect(items[0]).toMatchObject({ bytes: Buffer.byteLength(first) });
  });

  it('reassembles a multi-byte body split inside a character', () => {
    const body = '😀😀😀';
    const text = sipMessage(body);
    const data = b(text);
    const cut = data.length - 5; // inside the last emoji
    const framer = new StreamFramer();
    expect(framer.push(data.subarray(0, cut))).toEqual([]);
    expect(messages(framer.push(data.subarray(cut)))).toEqual([text]);
  });

  it('frames many multi-byte messages fed byte by byte', () => {
    const texts = [sipMessage('ça va? 👍'), sipMessage('日本語のメッセージ'), sipMessage('')];
    const items = feedBytes(new StreamFramer(), b(texts.join('')));
    expect(messages(items)).toEqual(texts);
  });

  it('accepts the compact "l:" form and any case of Content-Length', () => {
    const compact = sipMessage('abc', 'MESSAGE', 'l');
    const upper = sipMessage('defg', 'MESSAGE', 'CONTENT-LENGTH');
    expect(messages(new StreamFramer().push(b(compact + upper)))).toEqual([compact, upper]);
  });

  it('reports a CRLFCRLF ping and a CRLF pong between messages, in order', () => {
    const one = sipMessage('1');
    const two = sipMessage('2');
    const three = sipMessage('3');
    const items = new StreamFramer().push(b(one + '\r\n\r\n' + two + '\r\n' + three));
    expect(items.map((i) => i.kind)).toEqual(['message', 'ping', 'message', 'pong', 'message']);
    expect(messages(items)).toEqual([one, two, three]);
  });

  it('reports a lone ping and a lone pong', () => {
    expect(new StreamFramer().push(b('\r\n\r\n'))).toEqual([{ kind: 'ping' }]);
    expect(new StreamFramer().push(b('\r\n'))).toEqual([{ kind: 'pong' }]);
    expect(new StreamFramer().push(b('\r\n\r\n\r\n\r\n'))).toEqual([{ kind: 'ping' }, { kind: 'ping' }]);
  });

  it('waits on "\\r\\n\\r" for the fourth byte of a ping', () => {
    const framer = new StreamFramer();
    expect(framer.push(b('\r\n\r'))).toEqual([]);
    expect(framer.pending).toBe(3);
    expect(framer.push(b('\n'))).toEqual([{ kind: 'ping' }]);
    expect(framer.pending).toBe(0);
  });

  it('on a connection a peer opened, reports a CRLFCRLF ping split into single bytes as one ping (RFC 5626 §3.5.1)', () => {
    const framer = new StreamFramer(undefined, true);
    expect(feedBytes(framer, b('\r\n\r\n'))).toEqual([{ kind: 'ping' }]);
    expect(framer.push(b('\r\n'))).toEqual([]);
    expect(framer.push(b('\r\n'))).toEqual([{ kind: 'ping' }]);
  });

  it('on a connection we opened, reports a lone CRLF as a pong at once', () => {
    const framer = new StreamFramer(undefined, false);
    expect(framer.push(b('\r\n'))).toEqual([{ kind: 'pong' }]);
    expect(framer.pending).toBe(0);
  });

  it('a message without Content-Length on a stream is an error, and nothing is framed after it', () => {
    const framer = new StreamFramer();
    const bad = 'MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\n\r\nbody';
    const items = framer.push(b(bad));
    expect(items).toEqual([{ kind: 'error', reason: 'missing Content-Length on a stream' }]);
    expect(framer.pending).toBe(0);
    expect(framer.push(b(sipMessage('later')))).toEqual([]);
    expect(framer.push(b('\r\n\r\n'))).toEqual([]);
    expect(framer.pending).toBe(0);
  });

  it('returns the items framed before an error in the same chunk', () => {
    const good = sipMessage('ok');
    const items = new StreamFramer().push(b(good + 'MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\n\r\n'));
    expect(items.map((i) => i.kind)).toEqual(['message', 'error']);
    expect(messages(items)).toEqual([good]);
  });

  it('a head over maxHeadBytes is an error even when its blank line has arrived', () => {
    const framer = new StreamFramer({ maxHeadBytes: 128, maxMessageBytes: 4096 });
    const text = sipMessage('').replace('Call-ID: c1', 'Call-ID: ' + 'x'.repeat(200));
    const items = framer.push(b(text));
    expect(items).toEqual([{ kind: 'error', reason: 'message head too long' }]);
    expect(framer.pending).toBe(0);
  });

  it('a Content-Length that takes the message over maxMessageBytes is an error at once, then nothing more', () => {
    const limits = { maxHeadBytes: 1024, maxMessageBytes: 2048 };
    const framer = new StreamFramer(limits);
    const head = 'MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\nContent-Length: 5000\r\n\r\n';
    const items = framer.push(b(head + 'x'.repeat(100)));
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'error' });
    expect((items[0] as { reason: string }).reason).toMatch(/exceeds the limit/);
    expect(framer.pending).toBe(0);
    expect(framer.push(b('x'.repeat(4900)))).toEqual([]);
    expect(framer.push(b(sipMessage('fine')))).toEqual([]);
    expect(framer.pending).toBe(0);
  });

  it('accepts a message of exactly maxMessageBytes', () => {
    const limit = 600;
    let bodyBytes = limit - Buffer.byteLength(sipMessage(''));
    while (Buffer.byteLength(sipMessage('y'.repeat(bodyBytes))) > limit) bodyBytes--; // Content-Length grows by digits
    const text = sipMessage('y'.repeat(bodyBytes));
    expect(Buffer.byteLength(text)).toBe(limit);
    const framer = new StreamFramer({ maxHeadBytes: 512, maxMessageBytes: limit });
    expect(messages(framer.push(b(text)))).toEqual([text]);
    const over = sipMessage('y'.repeat(bodyBytes + 1));
    expect(new StreamFramer({ maxHeadBytes: 512, maxMessageBytes: limit }).push(b(over))[0]?.kind).toBe('error');
  });

  it('never holds more than maxHeadBytes of garbage without a blank line, then fails and holds nothing', () => {
    const limits = { maxHeadBytes: 1000, maxMessageBytes: 4000 };
    const framer = new StreamFramer(limits);
    const chunk = b('garbage-no-blank-line '.repeat(3)); // 66 bytes
    let failedAt = -1;
    for (let i = 0; i < 100; i++) {
      const items = framer.push(chunk);
      expect(framer.pending).toBeLessThanOrEqual(limits.maxHeadBytes);
      if (items.length > 0) {
        expect(items).toEqual([{ kind: 'error', reason: 'message head too long' }]);
        failedAt = i;
        break;
      }
    }
    expect(failedAt).toBe(Math.floor(limits.maxHeadBytes / chunk.length)); // first push that crosses the limit
    expect(framer.pending).toBe(0);
    for (let i = 0; i < 10; i++) expect(framer.push(chunk)).toEqual([]);
    expect(framer.pending).toBe(0);
  });

  it('drops one huge garbage chunk at once', () => {
    const framer = new StreamFramer();
    const items = framer.push(Buffer.alloc(DEFAULT_LIMITS.maxHeadBytes * 4, 0x41));
    expect(items).toEqual([{ kind: 'error', reason: 'message head too long' }]);
    expect(framer.pending).toBe(0);
  });

  it('pending counts the bytes of an incomplete message', () => {
    const text = sipMessage('0123456789');
    const framer = new StreamFramer();
    expect(framer.push(b(text.slice(0, -4)))).toEqual([]);
    expect(framer.pending).toBe(Buffer.byteLength(text) - 4);
    expect(messages(framer.push(b(text.slice(-4))))).toEqual([text]);
    expect(framer.pending).toBe(0);
  });

  it('does not mistake a Content-Length inside the body for the header', () => {
    const body = 'Content-Length: 999\r\n';
    const text = sipMessage(body);
    const next = sipMessage('n');
    expect(messages(new StreamFramer().push(b(text + next)))).toEqual([text, next]);
  });
});
