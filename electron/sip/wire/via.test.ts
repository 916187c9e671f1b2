import { describe, expect, it } from 'vitest';
import { readHead, type MessageHead } from './headers.js';
import { formatVia, parseVia, replaceTopVia, responseTarget, topVia, unbracket, type Via } from './via.js';

function mustParse(value: string): Via {
  const via = parseVia(value);
  if (!via) throw new Error(`parseVia failed on ${value}`);
  return via;
}

function mustRead(text: string): MessageHead {
  const head = readHead(text);
  if (!head) throw new Error('readHead returned undefined');
  return head;
}

describe('parseVia', () => {
  it('reads protocol, host, port and parameters (flag parameters have no value)', () => {
    const via = mustParse('SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds;rport');
    expect(via.protocol).toBe('UDP');
    expect(via.host).toBe('192.0.2.1');
    expect(via.port).toBe(5060);
    expect([...via.params]).toEqual([
      ['branch', 'z9hG4bK776asdhds'],
      ['rport', undefined],
    ]);
    expect(via.params.has('rport')).toBe(true);
  });

  it('upper-cases the protocol, lower-cases parameter names and keeps value case', () => {
    const via = mustParse('sip/2.0/tcp Client.Example.org;Branch=Z9hG4bKAbC;Received=192.0.2.9');
    expect(via.protocol).toBe('TCP');
    expect(via.host).toBe('Client.Example.org');
    expect(via.port).toBeUndefined();
    expect(via.params.get('branch')).toBe('Z9hG4bKAbC');
    expect(via.params.get('received')).toBe('192.0.2.9');
  });

  it('tolerates linear white space around the separators', () => {
    const via = mustParse('  SIP / 2.0 / UDP   host.example.org:5070 ; branch = z9hG4bK1 ; rport = 4000 ');
    expect(via.protocol).toBe('UDP');
    expect(via.host).toBe('host.example.org');
    expect(via.port).toBe(5070);
    expect(via.params.get('branch')).toBe('z9hG4bK1');
    expect(via.params.get('rport')).toBe('4000');
  });

  it('reads a bracketed IPv6 sent-by with and without a port', () => {
    const withPort = mustParse('SIP/2.0/UDP [2001:db8::1]:5070;branch=z9hG4bK9;received=2001:db8::2');
    expect(withPort.host).toBe('[2001:db8::1]');
    expect(withPort.port).toBe(5070);
    expect(withPort.params.get('received')).toBe('2001:db8::2');
    const bare = mustParse('SIP/2.0/TLS [::1];branch=z9hG4bK9');
    expect(bare.host).toBe('[::1]');
    expect(bare.port).toBeUndefined();
  });

  it('returns undefined for what is not a Via', () => {
    for (const bad of [
      '',
      'garbage',
      'SIP/2.0/UDP',
      'SIP/3.0/UDP host',
      'SIP/2.0 host',
      'SIP/2.0/UDP host:port',
      'SIP/2.0/UDP host:123456',
    ]) {
      expect(parseVia(bad), bad).toBeUndefined();
    }
  });
});

describe('formatVia', () => {
  it('round-trips normalised Via values exactly', () => {
    for (const value of [
      'SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776;rport',
      'SIP/2.0/TCP client.example.org;branch=z9hG4bK1;received=192.0.2.9;rport=4000',
      'SIP/2.0/TLS [2001:db8::1]:5061;branch=z9hG4bK2;maddr=224.2.0.1;ttl=16',
      'SIP/2.0/UDP [::1];branch=z9hG4bK3',
      'SIP/2.0/WS df7jal23ls0d.invalid;branch=z9hG4bK4',
    ]) {
      expect(formatVia(mustParse(value))).toBe(value);
    }
  });

  it('omits the port when undefined and writes flag parameters without "="', () => {
    const text = formatVia({
      protocol: 'UDP',
      host: 'h',
      port: undefined,
      params: new Map([
        ['rport', undefined],
        ['branch', 'b'],
      ]),
    });
    expect(text).toBe('SIP/2.0/UDP h;rport;branch=b');
  });
});

describe('topVia', () => {
  it('is the first value of the first Via line, compact or comma-joined', () => {
    const head = mustRead('SIP/2.0 200 OK\r\nv: SIP/2.0/UDP a:1;branch=x, SIP/2.0/UDP b:2;branch=y\r\nVia: SIP/2.0/UDP c;branch=z\r\n\r\n');
    const via = topVia(head);
    expect(via?.host).toBe('a');
    expect(via?.port).toBe(1);
    expect(via?.params.get('branch')).toBe('x');
  });

  it('is undefined without Via', () => {
    expect(topVia(mustRead('SIP/2.0 200 OK\r\nCall-ID: c\r\n\r\n'))).toBeUndefined();
  });
});

describe('responseTarget', () => {
  it('uses sent-by host and port, else the default port', () => {
    expect(responseTarget(mustParse('SIP/2.0/UDP 192.0.2.1:5070;branch=b'), 5060)).toEqual({ host: '192.0.2.1', port: 5070 });
    expect(responseTarget(mustParse('SIP/2.0/TLS 192.0.2.1;branch=b'), 5061)).toEqual({ host: '192.0.2.1', port: 5061 });
  });

  it('prefers received over the sent-by host, keeping the sent-by port', () => {
    expect(responseTarget(mustParse('SIP/2.0/UDP client.invalid:5070;branch=b;received=198.51.100.7'), 5060)).toEqual({
      host: '198.51.100.7',
      port: 5070,
    });
  });

  it('uses rport with a value as the port (RFC 3581), and ignores a bare rport flag', () => {
    expect(responseTarget(mustParse('SIP/2.0/UDP 10.0.0.2:5070;branch=b;rport=61000;received=198.51.100.7'), 5060)).toEqual({
      host: '198.51.100.7',
      port: 61000,
    });
    expect(responseTarget(mustParse('SIP/2.0/UDP 10.0.0.2:5070;branch=b;rport'), 5060)).toEqual({ host: '10.0.0.2', port: 5070 });
    expect(responseTarget(mustParse('SIP/2.0/UDP 10.0.0.2;branch=b;rport'), 5060)).toEqual({ host: '10.0.0.2', port: 5060 });
  });

  it('sends to maddr when present, before received', () => {
    expect(responseTarget(mustParse('SIP/2.0/UDP 10.0.0.2:5070;branch=b;maddr=224.2.0.1;received=198.51.100.7'), 5060)).toEqual({
      host: '224.2.0.1',
      port: 5070,
    });
  });

  it('unbrackets IPv6 hosts, whether in sent-by or received', () => {
    expect(responseTarget(mustParse('SIP/2.0/UDP [2001:db8::1]:5070;branch=b'), 5060)).toEqual({ host: '2001:db8::1', port: 5070 });
    expect(responseTarget(mustParse('SIP/2.0/UDP [2001:db8::1];branch=b;received=[2001:db8::9];rport=7000'), 5060)).toEqual({
      host: '2001:db8::9',
      port: 7000,
    });
  });

  it('falls back to the default port when rport is not a usable number', () => {
    expect(responseTarget(mustParse('SIP/2.0/UDP 10.0.0.2;branch=b;rport=abc'), 5060)).toEqual({ host: '10.0.0.2', port: 5060 });
  });
});

describe('unbracket', () => {
  it('removes only a surrounding pair of brackets', () => {
    expect(unbracket('[::1]')).toBe('::1');
    expect(unbracket('::1')).toBe('::1');
    expect(unbracket('example.org')).toBe('example.org');
    expect(unbracket('[broken')).toBe('[broken');
  });
});

describe('replaceTopVia', () => {
  const withPort =
    (port: number) =>
    (via: Via): Via => ({ ...via, port });

  it('rewrites only the top Via value; every other byte stays the same', () => {
    const text = [
      'MESSAGE sip:bob@example.org SIP/2.0',
      'Via: SIP/2.0/UDP client.invalid;branch=z9hG4bK1;rport',
      'Via: SIP/2.0/UDP proxy.example.org:5060;branch=z9hG4bK0',
      'Call-ID: c',
      'Content-Length: 13',
      '',
      'Via: in body!',
    ].join('\r\n');
    const out = replaceTopVia(text, mustRead(text), (via) => ({ ...via, protocol: 'TCP', port: 5099 }));
    expect(out).toBe(
      text.replace('Via: SIP/2.0/UDP client.invalid;branch=z9hG4bK1;rport', 'Via: SIP/2.0/TCP client.invalid:5099;branch=z9hG4bK1;rport'),
    );
  });

  it('finds the Via line when other headers come first', () => {
    const text = 'SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nVia: SIP/2.0/UDP a:5070;branch=b\r\nTo: <sip:b@x>\r\n\r\n';
    const out = replaceTopVia(text, mustRead(text), (via) => ({ ...via, port: undefined }));
    expect(out).toBe('SIP/2.0 200 OK\r\nCall-ID: c\r\nCSeq: 1 MESSAGE\r\nVia: SIP/2.0/UDP a;branch=b\r\nTo: <sip:b@x>\r\n\r\n');
  });

  it('handles comma-joined Via values: the first changes, the others are kept', () => {
    const text =
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a:5070;branch=1,SIP/2.0/UDP b:5080;branch=2 ,  SIP/2.0/UDP c;branch=3\r\nCall-ID: c\r\n\r\n';
    const out = replaceTopVia(text, mustRead(text), (via) => ({ ...via, port: undefined }));
    const head = mustRead(out);
    expect(head.headers.find((h) => h.name === 'via')?.value).toBe(
      'SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b:5080;branch=2, SIP/2.0/UDP c;branch=3',
    );
    expect(out.startsWith('SIP/2.0 200 OK\r\nVia: ')).toBe(true);
    expect(out.endsWith('\r\nCall-ID: c\r\n\r\n')).toBe(true);
  });

  it('keeps the compact name and works on LF-only text', () => {
    const text = 'MESSAGE sip:b@x SIP/2.0\nv: SIP/2.0/UDP a;branch=1\nCall-ID: c\n\nbody';
    expect(replaceTopVia(text, mustRead(text), withPort(7))).toBe(
      'MESSAGE sip:b@x SIP/2.0\nv: SIP/2.0/UDP a:7;branch=1\nCall-ID: c\n\nbody',
    );
  });

  it('replaces a folded top Via line as a whole and keeps the following lines', () => {
    const text = 'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a:1;branch=1,\r\n SIP/2.0/UDP b:2;branch=2\r\nCall-ID: c\r\n\r\n';
    const out = replaceTopVia(text, mustRead(text), (via) => ({ ...via, port: undefined }));
    expect(out).toBe('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a;branch=1, SIP/2.0/UDP b:2;branch=2\r\nCall-ID: c\r\n\r\n');
  });

  it('adds parameters through the callback (received/rport stamping)', () => {
    const text = 'MESSAGE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5070;branch=z9hG4bK1;rport\r\n\r\n';
    const out = replaceTopVia(text, mustRead(text), (via) => {
      const params = new Map(via.params);
      params.set('rport', '61000');
      params.set('received', '198.51.100.7');
      return { ...via, params };
    });
    expect(out).toBe('MESSAGE sip:b@x SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.2:5070;branch=z9hG4bK1;rport=61000;received=198.51.100.7\r\n\r\n');
  });

  it('returns the text unchanged without a Via or with an unreadable top Via', () => {
    const noVia = 'MESSAGE sip:b@x SIP/2.0\r\nCall-ID: c\r\n\r\n';
    expect(replaceTopVia(noVia, mustRead(noVia), withPort(1))).toBe(noVia);
    const bad = 'MESSAGE sip:b@x SIP/2.0\r\nVia: nonsense\r\nCall-ID: c\r\n\r\n';
    expect(replaceTopVia(bad, mustRead(bad), withPort(1))).toBe(bad);
  });
});
