import { describe, expect, it } from 'vitest';
import { readHead, type MessageHead } from '../wire/headers.js';
import { parseSipUri, requestTarget, uriTarget } from './next-hop.js';

function request(ruri: string, ...headers: string[]): MessageHead {
  const head = readHead([`MESSAGE ${ruri} SIP/2.0`, 'Call-ID: c', ...headers, '', ''].join('\r\n'));
  if (!head) throw new Error('not a request');
  return head;
}

describe('parseSipUri', () => {
  it('reads scheme, user, host, port and parameters; drops URI headers', () => {
    const uri = parseSipUri('sip:alice@Example.ORG:5070;transport=TCP;lr;maddr=192.0.2.7?subject=hi')!;
    expect(uri.scheme).toBe('sip');
    expect(uri.user).toBe('alice');
    expect(uri.host).toBe('example.org');
    expect(uri.port).toBe(5070);
    expect([...uri.params]).toEqual([
      ['transport', 'TCP'],
      ['lr', undefined],
      ['maddr', '192.0.2.7'],
    ]);
  });

  it('reads a name-addr with a display name and a sips: scheme', () => {
    const uri = parseSipUri('"Edge Proxy" <SIPS:proxy.example.org;lr>;x=y')!;
    expect(uri.scheme).toBe('sips');
    expect(uri.user).toBeUndefined();
    expect(uri.host).toBe('proxy.example.org');
    expect(uri.port).toBeUndefined();
    expect(uri.params.has('lr')).toBe(true);
    expect(uri.params.has('x')).toBe(false);
  });

  it('unbrackets an IPv6 host and keeps its port', () => {
    const uri = parseSipUri('sip:bob@[2001:db8::1]:5080;transport=udp')!;
    expect(uri.host).toBe('2001:db8::1');
    expect(uri.port).toBe(5080);
    expect(parseSipUri('sip:[::1]')!.host).toBe('::1');
  });

  it('percent-decodes the user part', () => {
    expect(parseSipUri('sip:al%20ice@example.org')!.user).toBe('al ice');
  });

  it('returns undefined for what is not a sip:/sips: URI', () => {
    for (const bad of ['', 'tel:+15551234', 'http://example.org', 'alice@example.org', 'sip:']) {
      expect(parseSipUri(bad), bad).toBeUndefined();
    }
  });

  it('does not throw on a user part with a stray "%" (sip:100%@example.org)', () => {
    let result: ReturnType<typeof parseSipUri> | 'threw' = 'threw';
    try {
      result = parseSipUri('sip:100%@example.org');
    } catch {
      result = 'threw';
    }
    expect(result).not.toBe('threw');
  });
});

describe('uriTarget', () => {
  const target = (uri: string, fallback: 'udp' | 'tcp' | 'tls' = 'udp') => uriTarget(parseSipUri(uri)!, fallback);

  it('uses the fallback transport without a transport parameter', () => {
    expect(target('sip:example.org')).toEqual({ transport: 'udp', host: 'example.org', port: undefined, secure: false });
    expect(target('sip:example.org', 'tcp').transport).toBe('tcp');
  });

  it('honours transport=udp|tcp|tls in any case and ignores unknown ones', () => {
    expect(target('sip:example.org;transport=tcp').transport).toBe('tcp');
    expect(target('sip:example.org;transport=TLS').transport).toBe('tls');
    expect(target('sip:example.org;transport=udp', 'tcp').transport).toBe('udp');
    expect(target('sip:example.org;transport=sctp', 'tcp').transport).toBe('tcp');
    expect(target('sip:example.org;transport=ws').transport).toBe('udp');
  });

  it('makes sips: TLS and secure, whatever the transport parameter says', () => {
    expect(target('sips:example.org')).toEqual({ transport: 'tls', host: 'example.org', port: undefined, secure: true });
    expect(target('sips:example.org;transport=tcp')).toMatchObject({ transport: 'tls', secure: true });
    expect(target('sips:example.org;transport=udp', 'udp')).toMatchObject({ transport: 'tls', secure: true });
  });

  it('goes to maddr instead of the host, keeping the port', () => {
    expect(target('sip:bob@example.org:5070;maddr=192.0.2.9')).toEqual({ transport: 'udp', host: '192.0.2.9', port: 5070, secure: false });
  });

  it('goes to an IPv6 maddr as a plain address, without brackets', () => {
    expect(target('sip:bob@example.org;maddr=[2001:db8::9]').host).toBe('2001:db8::9');
  });

  it('keeps an IPv6 host unbracketed', () => {
    expect(target('sip:bob@[2001:db8::1]:5070;transport=tcp')).toEqual({
      transport: 'tcp',
      host: '2001:db8::1',
      port: 5070,
      secure: false,
    });
  });
});

describe('requestTarget', () => {
  it('goes to the Request-URI without a Route', () => {
    expect(requestTarget(request('sip:bob@192.0.2.5:5070'), 'udp')).toEqual({
      transport: 'udp',
      host: '192.0.2.5',
      port: 5070,
      secure: false,
    });
  });

  it('goes to a loose-routing top Route instead of the Request-URI', () => {
    const head = request(
      'sip:bob@192.0.2.5:5070',
      'Route: <sip:proxy.example.org:5099;lr;transport=tcp>',
      'Route: <sip:second.example.org;lr>',
    );
    expect(requestTarget(head, 'udp')).toEqual({ transport: 'tcp', host: 'proxy.example.org', port: 5099, secure: false });
  });

  it('takes the first of comma-joined Route values', () => {
    const head = request('sip:bob@192.0.2.5', 'Route: <sip:p1.example.org;lr>, <sip:p2.example.org;lr>');
    expect(requestTarget(head, 'udp')?.host).toBe('p1.example.org');
  });

  it('accepts lr with a value (lr=on)', () => {
    const head = request('sip:bob@192.0.2.5', 'Route: <sip:p1.example.org;lr=on>');
    expect(requestTarget(head, 'udp')?.host).toBe('p1.example.org');
  });

  it('falls back to the Request-URI when the top Route is a strict router (no lr) or unreadable', () => {
    expect(requestTarget(request('sip:bob@192.0.2.5', 'Route: <sip:strict.example.org>'), 'udp')?.host).toBe('192.0.2.5');
    expect(requestTarget(request('sip:bob@192.0.2.5', 'Route: <tel:+1555>'), 'udp')?.host).toBe('192.0.2.5');
  });

  it('reads transport and sips from the Request-URI, and an IPv6 Request-URI', () => {
    expect(requestTarget(request('sip:bob@example.org;transport=tcp'), 'udp')?.transport).toBe('tcp');
    expect(requestTarget(request('sips:bob@example.org'), 'udp')).toMatchObject({ transport: 'tls', secure: true });
    expect(requestTarget(request('sip:bob@[2001:db8::1]:5070'), 'udp')).toMatchObject({ host: '2001:db8::1', port: 5070 });
  });

  it('is undefined for a response or a Request-URI that is not sip:', () => {
    expect(requestTarget(request('tel:+15551234'), 'udp')).toBeUndefined();
    expect(requestTarget(readHead('SIP/2.0 200 OK\r\nCall-ID: c\r\n\r\n')!, 'udp')).toBeUndefined();
  });
});
