import { describe, expect, it } from 'vitest';
import { header, headerValues, readCSeq, readHead, splitCommaList, type MessageHead } from './headers.js';

const CRLF_REQUEST = [
  'MESSAGE sip:bob@example.org SIP/2.0',
  'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1',
  'Max-Forwards: 70',
  'From: <sip:alice@example.org>;tag=abc',
  'To: <sip:bob@example.org>',
  'Call-ID: call-1@192.0.2.1',
  'CSeq: 7 MESSAGE',
  'Content-Type: text/plain',
  'Content-Length: 5',
  '',
  'hello',
].join('\r\n');

function mustRead(text: string): MessageHead {
  const head = readHead(text);
  if (!head) throw new Error('readHead returned undefined');
  return head;
}

describe('readHead', () => {
  it('reads a CRLF request: method, Request-URI, lower-case header names, trimmed values and body', () => {
    const head = mustRead(CRLF_REQUEST);
    expect(head.isRequest).toBe(true);
    expect(head.method).toBe('MESSAGE');
    expect(head.requestUri).toBe('sip:bob@example.org');
    expect(head.status).toBeUndefined();
    expect(head.startLine).toBe('MESSAGE sip:bob@example.org SIP/2.0');
    expect(head.headers.map((h) => h.name)).toEqual([
      'via',
      'max-forwards',
      'from',
      'to',
      'call-id',
      'cseq',
      'content-type',
      'content-length',
    ]);
    expect(header(head, 'call-id')).toBe('call-1@192.0.2.1');
    expect(header(head, 'from')).toBe('<sip:alice@example.org>;tag=abc');
    expect(head.body).toBe('hello');
    expect(head.head).toBe(CRLF_REQUEST.slice(0, CRLF_REQUEST.indexOf('\r\n\r\n')));
  });

  it('reads the same message with LF-only line ends identically', () => {
    const lf = mustRead(CRLF_REQUEST.replace(/\r\n/g, '\n'));
    const crlf = mustRead(CRLF_REQUEST);
    expect(lf.method).toBe('MESSAGE');
    expect(lf.body).toBe('hello');
    expect(lf.headers.map((h) => [h.name, h.value])).toEqual(crlf.headers.map((h) => [h.name, h.value]));
  });

  it('tells whether some line of the head ends in LF alone (the transport then rewrites the head with CRLF)', () => {
    expect(mustRead(CRLF_REQUEST).bareLf).toBe(false);
    expect(mustRead(CRLF_REQUEST.replace(/\r\n/g, '\n')).bareLf).toBe(true);
    // one header line, the start line, the last line of the head
    expect(mustRead(CRLF_REQUEST.replace('Max-Forwards: 70\r\n', 'Max-Forwards: 70\n')).bareLf).toBe(true);
    expect(mustRead(CRLF_REQUEST.replace('SIP/2.0\r\n', 'SIP/2.0\n')).bareLf).toBe(true);
    expect(mustRead(CRLF_REQUEST.replace('Content-Length: 5\r\n\r\n', 'Content-Length: 5\n\r\n')).bareLf).toBe(true);
    // an LF alone in the body is the body's business
    expect(mustRead(CRLF_REQUEST.replace('hello', 'he\nlo')).bareLf).toBe(false);
  });

  it('upper-cases a lower-case method and accepts a lower-case SIP version', () => {
    const head = mustRead('message sip:bob@example.org sip/2.0\r\nCall-ID: x\r\n\r\n');
    expect(head.method).toBe('MESSAGE');
  });

  it('header offsets point at the line in the head text (line end excluded, CR aside)', () => {
    const head = mustRead(CRLF_REQUEST);
    for (const h of head.headers) {
      const line = head.head.slice(h.start, h.end).replace(/\r$/, '');
      expect(line.slice(0, line.indexOf(':')).toLowerCase()).toBe(h.name);
      expect(line.slice(line.indexOf(':') + 1).trim()).toBe(h.value);
    }
    const callId = head.headers.find((h) => h.name === 'call-id')!;
    expect(head.head.slice(callId.start, callId.end).replace(/\r$/, '')).toBe('Call-ID: call-1@192.0.2.1');
  });

  it('joins folded continuation lines (space and tab) with one space and stretches the offsets', () => {
    const text =
      'MESSAGE sip:bob@example.org SIP/2.0\r\n' +
      'Subject: I know you are there,\r\n' +
      '     pick up the phone\r\n' +
      '\tand talk to me!\r\n' +
      'Call-ID: c\r\n' +
      '\r\n';
    const head = mustRead(text);
    expect(head.headers.map((h) => h.name)).toEqual(['subject', 'call-id']);
    const subject = head.headers[0]!;
    expect(subject.value).toBe('I know you are there, pick up the phone and talk to me!');
    expect(head.head.slice(subject.start, subject.end).replace(/\r$/, '')).toBe(
      'Subject: I know you are there,\r\n     pick up the phone\r\n\tand talk to me!',
    );
    expect(header(head, 'call-id')).toBe('c');
  });

  it('maps compact header names to their long forms', () => {
    const text = [
      'MESSAGE sip:bob@example.org SIP/2.0',
      'v: SIP/2.0/UDP h;branch=z9hG4bK2',
      'i: compact-call',
      'f: <sip:a@x>;tag=1',
      't: <sip:b@x>',
      'm: <sip:a@192.0.2.1>',
      'c: text/plain',
      'L: 0',
      '',
      '',
    ].join('\r\n');
    const head = mustRead(text);
    expect(head.headers.map((h) => h.name)).toEqual(['via', 'call-id', 'from', 'to', 'contact', 'content-type', 'content-length']);
    expect(header(head, 'call-id')).toBe('compact-call');
    expect(header(head, 'content-length')).toBe('0');
  });

  it('reads responses with and without a reason phrase', () => {
    const ok = mustRead('SIP/2.0 200 OK\r\nCSeq: 1 MESSAGE\r\n\r\n');
    expect(ok.isRequest).toBe(false);
    expect(ok.status).toBe(200);
    expect(ok.method).toBeUndefined();
    expect(ok.requestUri).toBeUndefined();
    expect(mustRead('SIP/2.0 486\r\n\r\n').status).toBe(486);
    expect(mustRead('SIP/2.0 404 Not Found Anywhere Here\n\n').status).toBe(404);
  });

  it('returns undefined for garbage start lines', () => {
    for (const text of [
      '',
      'hello world',
      '\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
      'INVITE sip:bob@x SIP/3.0\r\n\r\n',
      'INVITE  sip:bob@x SIP/2.0\r\n\r\n',
      'SIP/2.0 2000 OK\r\n\r\n',
      'SIP/2.0 20 OK\r\n\r\n',
      'SIP/2.0 OK\r\n\r\n',
      '\u0000\u0001\u0002binary',
    ]) {
      expect(readHead(text), JSON.stringify(text)).toBeUndefined();
    }
  });

  it('keeps the body byte for byte, blank lines and LF pairs inside it included', () => {
    const body = 'first\r\n\r\nsecond\n\nthird';
    const head = mustRead(`MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    expect(head.body).toBe(body);
    expect(head.headers).toHaveLength(2);
  });

  it('treats a message without a blank line as all head and no body', () => {
    const head = mustRead('OPTIONS sip:b@x SIP/2.0\r\nCall-ID: c\r\nCSeq: 1 OPTIONS');
    expect(head.body).toBe('');
    expect(header(head, 'cseq')).toBe('1 OPTIONS');
  });

  it('ignores lines without a name and keeps colons inside values', () => {
    const head = mustRead('MESSAGE sip:b@x SIP/2.0\r\nnot a header\r\n: no name\r\nContact: <sip:a@192.0.2.1:5070>\r\n\r\n');
    expect(head.headers.map((h) => h.name)).toEqual(['contact']);
    expect(header(head, 'contact')).toBe('<sip:a@192.0.2.1:5070>');
  });
});

describe('header / headerValues', () => {
  it('header returns the first value, or undefined when absent', () => {
    const head = mustRead('MESSAGE sip:b@x SIP/2.0\r\nVia: one\r\nVia: two\r\n\r\n');
    expect(header(head, 'via')).toBe('one');
    expect(header(head, 'route')).toBeUndefined();
  });

  it('headerValues flattens several lines and comma-joined values in order, compact names included', () => {
    const head = mustRead(
      'MESSAGE sip:b@x SIP/2.0\r\n' +
        'Via: SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b;branch=2\r\n' +
        'Call-ID: c\r\n' +
        'v: SIP/2.0/TCP c;branch=3\r\n' +
        'Via: SIP/2.0/UDP d;branch=4,SIP/2.0/UDP e;branch=5\r\n\r\n',
    );
    expect(headerValues(head, 'via')).toEqual([
      'SIP/2.0/UDP a;branch=1',
      'SIP/2.0/UDP b;branch=2',
      'SIP/2.0/TCP c;branch=3',
      'SIP/2.0/UDP d;branch=4',
      'SIP/2.0/UDP e;branch=5',
    ]);
    expect(headerValues(head, 'route')).toEqual([]);
  });

  it('headerValues keeps commas inside <...> and quoted display names', () => {
    const head = mustRead('MESSAGE sip:b@x SIP/2.0\r\nRoute: "Proxy, Inc." <sip:p1.example.org;lr>, <sip:p2.example.org;lr;x=a,b>\r\n\r\n');
    expect(headerValues(head, 'route')).toEqual(['"Proxy, Inc." <sip:p1.example.org;lr>', '<sip:p2.example.org;lr;x=a,b>']);
  });
});

describe('splitCommaList', () => {
  it('splits on top-level commas and trims each value', () => {
    expect(splitCommaList('a,  b ,c')).toEqual(['a', 'b', 'c']);
    expect(splitCommaList('single')).toEqual(['single']);
    expect(splitCommaList('')).toEqual([]);
    expect(splitCommaList('a, b,')).toEqual(['a', 'b']);
  });

  it('keeps commas inside quotes, including escaped quotes inside them', () => {
    expect(splitCommaList('"Smith, John" <sip:j@x>, <sip:k@x>')).toEqual(['"Smith, John" <sip:j@x>', '<sip:k@x>']);
    expect(splitCommaList('"say \\"hi, there\\"" <sip:j@x>, <sip:k@x>')).toEqual(['"say \\"hi, there\\"" <sip:j@x>', '<sip:k@x>']);
  });

  it('keeps commas inside <...>', () => {
    expect(splitCommaList('<sip:a@x?subject=a,b>, <sip:c@y>')).toEqual(['<sip:a@x?subject=a,b>', '<sip:c@y>']);
  });

  it('ends a quoted string that closes with an escaped backslash ("a\\\\") (RFC 3261 §25.1 quoted-pair)', () => {
    // On the wire: "Back\\" <sip:a@x>, <sip:b@y>  -- the display name is `Back\`; the quote after `\\` closes it.
    expect(splitCommaList('"Back\\\\" <sip:a@x>, <sip:b@y>')).toEqual(['"Back\\\\" <sip:a@x>', '<sip:b@y>']);
  });
});

describe('readCSeq', () => {
  const withCSeq = (value: string) => mustRead(`MESSAGE sip:b@x SIP/2.0\r\nCSeq: ${value}\r\n\r\n`);

  it('reads the number and upper-cases the method', () => {
    expect(readCSeq(withCSeq('42 message'))).toEqual({ seq: 42, method: 'MESSAGE' });
    expect(readCSeq(withCSeq('1   INVITE  '))).toEqual({ seq: 1, method: 'INVITE' });
    expect(readCSeq(withCSeq('4294967295 SUBSCRIBE'))).toEqual({ seq: 4294967295, method: 'SUBSCRIBE' });
  });

  it('returns undefined for a missing or unreadable CSeq', () => {
    expect(readCSeq(mustRead('MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\n\r\n'))).toBeUndefined();
    for (const bad of ['abc MESSAGE', '12', 'MESSAGE 12', '12345678901 MESSAGE', '-1 MESSAGE', '1 MES SAGE', '']) {
      expect(readCSeq(withCSeq(bad)), bad).toBeUndefined();
    }
  });
});
