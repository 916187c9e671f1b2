import { describe, expect, it } from 'vitest';
import { formatMsrpUri, parseMsrpUri, sameMsrpUri } from './uri.js';

const parse = (s: string) => {
  const u = parseMsrpUri(s);
  if (!u) throw new Error(`did not parse: ${s}`);
  return u;
};

describe('MSRP URIs', () => {
  it('reads every part (RFC 4975 §9)', () => {
    expect(parse('msrp://biloxi.example.com:12763/kjhd37s2s20w2a;tcp')).toEqual({
      secure: false,
      host: 'biloxi.example.com',
      port: 12763,
      sessionId: 'kjhd37s2s20w2a',
      transport: 'tcp',
      params: [],
    });
    expect(parse('MSRPS://alice@[2001:db8::1]:9000/a+b=c/d;TCP;foo=bar;baz')).toEqual({
      secure: true,
      userinfo: 'alice',
      host: '2001:db8::1',
      port: 9000,
      sessionId: 'a+b=c/d',
      transport: 'tcp',
      params: [
        ['foo', 'bar'],
        ['baz', undefined],
      ],
    });
    // A relay's URI has no session-id and may have no port (RFC 4976).
    expect(parse('msrps://relay.example.com;tcp')).toMatchObject({ host: 'relay.example.com', transport: 'tcp' });
    expect(parse('msrps://relay.example.com;tcp').port).toBeUndefined();
  });

  it('formats back what it read', () => {
    for (const s of [
      'msrp://atlanta.example.com:7654/jshA7weztas;tcp',
      'msrps://alice@[2001:db8::1]:9000/a+b=c/d;tcp;foo=bar;baz',
      'msrps://relay.example.com;tcp',
      'msrp://192.0.2.7:2855/s;tcp',
    ]) {
      expect(formatMsrpUri(parse(s))).toBe(s);
    }
  });

  it('refuses what is off the grammar', () => {
    for (const s of [
      '',
      'sip:bob@example.com',
      'msrp://host:1/s', // no transport
      'msrp://host:1/s;',
      'msrp://host:70000/s;tcp',
      'msrp://host:-1/s;tcp',
      'msrp://host:1/s s;tcp',
      'msrp://host:1/s<>;tcp',
      'msrp://[::1/s;tcp',
      'msrp://[zz]/s;tcp',
      'msrp://:1/s;tcp',
      'msrp://ho st:1/s;tcp',
      'msrp://host:1/s;tcp;a=b=c',
      'msrp://host:1/s;t-cp',
      `msrp://${'a'.repeat(3000)}:1/s;tcp`,
    ]) {
      expect(parseMsrpUri(s), s).toBeUndefined();
    }
  });

  it('compares by RFC 4975 §6.1', () => {
    const same = (a: string, b: string) => sameMsrpUri(parse(a), parse(b));
    // Scheme and host case-insensitive, userinfo and other parameters ignored, host percent-decoded.
    expect(same('MSRP://Bob.Example.COM:8888/9di4;tcp', 'msrp://bob.example.com:8888/9di4;TCP')).toBe(true);
    expect(same('msrp://alice@bob.example.com:8888/9di4;tcp', 'msrp://bob.example.com:8888/9di4;tcp;x=y')).toBe(true);
    expect(same('msrp://b%6Fb.example.com:8888/9di4;tcp', 'msrp://bob.example.com:8888/9di4;tcp')).toBe(true);
    // IP addresses compare as addresses.
    expect(same('msrp://[2001:DB8:0:0::1]:1/s;tcp', 'msrp://[2001:db8::1]:1/s;tcp')).toBe(true);
    // The session-id is case-sensitive and must be in both or neither.
    expect(same('msrp://h:1/abc;tcp', 'msrp://h:1/ABC;tcp')).toBe(false);
    expect(same('msrp://h:1/abc;tcp', 'msrp://h:1;tcp')).toBe(false);
    // A port given in one only never matches; msrp never matches msrps; transports must agree.
    expect(same('msrp://h:2855/s;tcp', 'msrp://h/s;tcp')).toBe(false);
    expect(same('msrp://h:1/s;tcp', 'msrps://h:1/s;tcp')).toBe(false);
    expect(same('msrp://h:1/s;tcp', 'msrp://h:1/s;sctp')).toBe(false);
    expect(same('msrp://h:1/s;tcp', 'msrp://h:2/s;tcp')).toBe(false);
  });
});
