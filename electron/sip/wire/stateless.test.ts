import { describe, expect, it } from 'vitest';
import { header, headerValues, readHead, type MessageHead } from './headers.js';
import { statelessResponse } from './stateless.js';

function mustRead(text: string): MessageHead {
  const head = readHead(text);
  if (!head) throw new Error('readHead returned undefined');
  return head;
}

const REQUEST = [
  'MESSAGE sip:bob@example.org SIP/2.0',
  'Via: SIP/2.0/UDP proxy.example.org:5060;branch=z9hG4bK2;received=192.0.2.2',
  'Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;rport=5070',
  'Max-Forwards: 69',
  'From: "Alice" <sip:alice@example.org>;tag=a1',
  'To: <sip:bob@example.org>',
  'Call-ID: call-7@10.0.0.1',
  'CSeq: 12 MESSAGE',
  'Content-Type: text/plain',
  'Content-Length: 2',
  '',
  'hi',
].join('\r\n');

describe('statelessResponse', () => {
  it('builds a response copying Via (all, in order), From, To with a new tag, Call-ID and CSeq', () => {
    const text = statelessResponse(mustRead(REQUEST), 400, 'Bad Request');
    expect(text).toBeDefined();
    const lines = text!.split('\r\n');
    expect(lines[0]).toBe('SIP/2.0 400 Bad Request');
    expect(lines.slice(1, 5)).toEqual([
      'Via: SIP/2.0/UDP proxy.example.org:5060;branch=z9hG4bK2;received=192.0.2.2',
      'Via: SIP/2.0/UDP 10.0.0.1:5070;branch=z9hG4bK1;rport=5070',
      'From: "Alice" <sip:alice@example.org>;tag=a1',
      lines[4],
    ]);
    expect(lines[4]).toMatch(/^To: <sip:bob@example\.org>;tag=[0-9a-f]{12}$/);
    expect(lines.slice(5)).toEqual(['Call-ID: call-7@10.0.0.1', 'CSeq: 12 MESSAGE', 'Content-Length: 0', '', '']);
    expect(text!.endsWith('\r\n\r\n')).toBe(true);
    const head = mustRead(text!);
    expect(head.status).toBe(400);
    expect(head.body).toBe('');
    expect(header(head, 'content-type')).toBeUndefined();
  });

  it('keeps an existing To tag and does not add a second one', () => {
    const request = REQUEST.replace('To: <sip:bob@example.org>', 'To: <sip:bob@example.org>;tag=b9');
    const text = statelessResponse(mustRead(request), 500, 'Server Internal Error')!;
    expect(header(mustRead(text), 'to')).toBe('<sip:bob@example.org>;tag=b9');
  });

  it('uses a fresh random To tag each time', () => {
    const head = mustRead(REQUEST);
    const tags = new Set<string>();
    for (let i = 0; i < 5; i++) tags.add(header(mustRead(statelessResponse(head, 400, 'Bad Request')!), 'to')!);
    expect(tags.size).toBe(5);
  });

  it('writes compact input headers under their canonical names', () => {
    const compact =
      'MESSAGE sip:b@x SIP/2.0\r\nv: SIP/2.0/UDP h;branch=z9hG4bK1\r\nf: <sip:a@x>;tag=1\r\nt: <sip:b@x>\r\ni: cid\r\nCSeq: 1 MESSAGE\r\n\r\n';
    const text = statelessResponse(mustRead(compact), 513, 'Message Too Large')!;
    const head = mustRead(text);
    expect(head.headers.map((h) => head.head.slice(h.start, h.end).split(':')[0])).toEqual([
      'Via',
      'From',
      'To',
      'Call-ID',
      'CSeq',
      'Content-Length',
    ]);
    expect(headerValues(head, 'via')).toEqual(['SIP/2.0/UDP h;branch=z9hG4bK1']);
  });

  it('puts extra header lines before Content-Length', () => {
    const text = statelessResponse(mustRead(REQUEST), 415, 'Unsupported Media Type', ['Accept: text/plain', 'Retry-After: 5'])!;
    expect(text).toContain('\r\nCSeq: 12 MESSAGE\r\nAccept: text/plain\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n');
  });

  it('does not answer responses or ACK', () => {
    expect(statelessResponse(mustRead('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=b\r\n\r\n'), 400, 'Bad Request')).toBeUndefined();
    const ack = REQUEST.replace('MESSAGE sip:bob@example.org SIP/2.0', 'ACK sip:bob@example.org SIP/2.0').replace('12 MESSAGE', '12 ACK');
    expect(statelessResponse(mustRead(ack), 400, 'Bad Request')).toBeUndefined();
  });

  it('gives up when a header needed to address the response is missing', () => {
    for (const missing of ['Via', 'From', 'To', 'Call-ID', 'CSeq']) {
      const request = REQUEST.split('\r\n')
        .filter((line) => !line.startsWith(missing + ':'))
        .join('\r\n');
      expect(statelessResponse(mustRead(request), 400, 'Bad Request'), missing).toBeUndefined();
    }
  });
});
