import { describe, expect, it } from 'vitest';
import { acceptsType, answerSetup, msrpSdp, parseMsrpSdp, type LocalMedia } from './sdp.js';
import { formatMsrpUri } from './uri.js';

const local: LocalMedia = {
  uri: { secure: false, host: '127.0.0.1', port: 40123, sessionId: 'abc123', transport: 'tcp', params: [] },
  setup: 'actpass',
  acceptTypes: ['message/cpim', 'text/plain'],
  acceptWrappedTypes: ['text/plain', 'message/imdn+xml'],
};

/** msrps (RFC 4975 §14): the TLS listener's port and the certificate's fingerprint. */
const fingerprint = { hash: 'SHA-256', value: `${'0F:'.repeat(31)}AA` };
const secureLocal: LocalMedia = { ...local, uri: { ...local.uri, secure: true, port: 40124 }, fingerprint };

/** RFC 4975 §8's shape, as another client writes it (LF line ends, other attributes around). */
const foreign = [
  'v=0',
  'o=bob 2890844526 2890844527 IN IP4 bob.example.com',
  's= ',
  'c=IN IP4 bob.example.com',
  't=0 0',
  'm=audio 49170 RTP/AVP 0',
  'a=path:msrp://not.this/one;tcp',
  'm=message 7394 TCP/MSRP *',
  'a=accept-types:message/cpim text/plain text/html',
  'a=accept-wrapped-types:*',
  'a=path:msrp://bob.example.com:7394/2s93i9ek2a;tcp',
  'a=max-size:65536',
  '',
].join('\n');

describe('MSRP SDP', () => {
  it('with a relay, our a=path is its Use-Path then us (RFC 4976 §6), read back first hop first', () => {
    const relay = { secure: false, host: '192.0.2.9', port: 2855, sessionId: 'relay77', transport: 'tcp', params: [] };
    const sdp = msrpSdp({ ...local, relays: [relay] });
    expect(sdp).toContain('a=path:msrp://192.0.2.9:2855/relay77;tcp msrp://127.0.0.1:40123/abc123;tcp\r\n');
    const parsed = parseMsrpSdp(sdp, 'offer');
    expect(parsed.ok && parsed.media.path.map(formatMsrpUri)).toEqual([
      'msrp://192.0.2.9:2855/relay77;tcp',
      'msrp://127.0.0.1:40123/abc123;tcp',
    ]);
  });

  it('our offer reads back as what we said', () => {
    const sdp = msrpSdp(local);
    expect(sdp).toContain('m=message 40123 TCP/MSRP *\r\n');
    expect(sdp).toContain('a=accept-types:message/cpim text/plain\r\n');
    expect(sdp).toContain('a=accept-wrapped-types:text/plain message/imdn+xml\r\n');
    expect(sdp).toContain('a=path:msrp://127.0.0.1:40123/abc123;tcp\r\n');
    expect(sdp).toContain('a=setup:actpass\r\n');
    const read = parseMsrpSdp(sdp, 'offer');
    expect(read).toEqual({
      ok: true,
      media: {
        path: [local.uri],
        acceptTypes: ['message/cpim', 'text/plain'],
        acceptWrappedTypes: ['text/plain', 'message/imdn+xml'],
        setup: 'actpass',
      },
    });
  });

  it('an IPv6 host goes in c= as IP6 and bracketed in the path', () => {
    const sdp = msrpSdp({ ...local, uri: { ...local.uri, host: '::1' } });
    expect(sdp).toContain('c=IN IP6 ::1\r\n');
    expect(sdp).toContain('a=path:msrp://[::1]:40123/abc123;tcp\r\n');
    const read = parseMsrpSdp(sdp, 'offer');
    expect(read.ok && formatMsrpUri(read.media.path[0]!)).toBe('msrp://[::1]:40123/abc123;tcp');
  });

  it("another client's offer: the m=message section's own attributes, setup defaulted by role", () => {
    const offer = parseMsrpSdp(foreign, 'offer');
    expect(offer.ok).toBe(true);
    if (!offer.ok) return;
    expect(offer.media.path.map(formatMsrpUri)).toEqual(['msrp://bob.example.com:7394/2s93i9ek2a;tcp']);
    expect(offer.media.acceptWrappedTypes).toEqual(['*']);
    // RFC 6135: an offer without a=setup is active, an answer without it passive.
    expect(offer.media.setup).toBe('active');
    expect(parseMsrpSdp(foreign, 'answer')).toMatchObject({ ok: true, media: { setup: 'passive' } });
    expect(acceptsType(offer.media, 'message/cpim')).toBe(true);
    expect(acceptsType(offer.media, 'application/octet-stream')).toBe(false);
  });

  it('a file transfer offer (RFC 5547) carries its file; a chat offer carries none', () => {
    const file = foreign.replace(
      'a=max-size:65536',
      'a=sendonly\na=file-selector:name:"cat.jpg" type:image/jpeg size:5\na=file-transfer-id:t1',
    );
    expect(parseMsrpSdp(file, 'offer')).toMatchObject({
      ok: true,
      media: { file: { selector: { name: 'cat.jpg', type: 'image/jpeg', size: 5 }, transferId: 't1' } },
    });
    expect(parseMsrpSdp(foreign, 'offer')).toMatchObject({ ok: true, media: expect.not.objectContaining({ file: expect.anything() }) });
    expect(parseMsrpSdp(file.replace('size:5', 'size:five'), 'offer')).toMatchObject({ ok: false });
  });

  it('the answerer waits unless the offerer does', () => {
    expect(answerSetup('actpass')).toBe('passive');
    expect(answerSetup('active')).toBe('passive');
    expect(answerSetup('passive')).toBe('active');
  });

  it('wildcards in accept-types', () => {
    const sdp = msrpSdp({ ...local, acceptTypes: ['text/*'] });
    const read = parseMsrpSdp(sdp, 'offer');
    expect(read.ok && acceptsType(read.media, 'text/plain')).toBe(true);
    expect(read.ok && acceptsType(read.media, 'message/cpim')).toBe(false);
  });

  const ours = msrpSdp(local);
  const secureOurs = msrpSdp(secureLocal);
  const hostile: Array<[string, string, string]> = [
    ['empty', '', 'not an SDP'],
    ['not SDP', 'hello there', 'not an SDP'],
    ['huge', `v=0\r\n${'a=x:'.padEnd(20_000, 'y')}\r\n`, 'too large'],
    ['too many lines', `v=0\r\n${'a=x\r\n'.repeat(300)}`, 'too many lines'],
    ['a line with no type', ours.replace('s=-', 'garbage'), 'not type=value'],
    ['no m=message', ours.replace(/m=message.*\r\n/, 'm=audio 5004 RTP/AVP 0\r\n'), 'no m=message line'],
    ['port 0 (a refused stream)', ours.replace('m=message 40123', 'm=message 0'), 'no m=message over TCP/MSRP'],
    ['TCP/TLS/MSRP with an msrp: path', ours.replace('TCP/MSRP', 'TCP/TLS/MSRP'), 'TCP/TLS/MSRP with an msrp: a=path'],
    ['no path', ours.replace(/a=path:.*\r\n/, ''), 'no a=path'],
    ['a path that is not a URI', ours.replace(/a=path:.*\r\n/, 'a=path:http://x/;tcp\r\n'), 'not an MSRP URI'],
    ['TCP/MSRP with an msrps: path', ours.replace('a=path:msrp:', 'a=path:msrps:'), 'TCP/MSRP with an msrps: a=path'],
    ['msrps without a fingerprint', secureOurs.replace(/a=fingerprint:.*\r\n/, ''), 'without an a=fingerprint'],
    [
      'msrps with a SHA-1 fingerprint',
      secureOurs.replace(/a=fingerprint:SHA-256 \S+/, `a=fingerprint:SHA-1 ${'AB:'.repeat(19)}AB`),
      'a=fingerprint',
    ],
    ['msrps with a short fingerprint', secureOurs.replace(/(a=fingerprint:SHA-256 \S+):AA/, '$1'), 'a=fingerprint'],
    [
      'msrps with a path hop over msrp',
      secureOurs.replace('a=path:msrps://', 'a=path:msrp://relay.example:2855/x;tcp msrps://'),
      'msrp: a=path',
    ],
    ['a path without a port', ours.replace(':40123/abc123', '/abc123'), 'no port'],
    ['too long a path', ours.replace(/a=path:(.*)\r\n/, (_m, uri: string) => `a=path:${`${uri} `.repeat(9)}\r\n`), 'too many URIs'],
    ['two paths', ours.replace(/(a=path:.*\r\n)/, '$1$1'), 'a=path twice'],
    ['no accept-types', ours.replace(/a=accept-types:.*\r\n/, ''), 'accept-types'],
    ['a broken type', ours.replace('a=accept-types:message/cpim', 'a=accept-types:message/cpim"<x>'), 'accept-types'],
    ['broken wrapped types', ours.replace('a=accept-wrapped-types:text/plain', 'a=accept-wrapped-types:,,'), 'accept-wrapped-types'],
    ['an unknown setup', ours.replace('a=setup:actpass', 'a=setup:holdconn'), 'a=setup'],
  ];
  it.each(hostile)('refuses %s with a reason, without throwing', (_name, sdp, reason) => {
    const read = parseMsrpSdp(sdp, 'offer');
    expect(read.ok).toBe(false);
    expect(!read.ok && read.reason).toContain(reason);
  });

  it('msrps: TCP/TLS/MSRP, an msrps: path and the fingerprint, read back (any case of the hash name and hex)', () => {
    const sdp = msrpSdp(secureLocal);
    expect(sdp).toContain('m=message 40124 TCP/TLS/MSRP *\r\n');
    expect(sdp).toContain('a=path:msrps://127.0.0.1:40124/abc123;tcp\r\n');
    expect(sdp).toContain(`a=fingerprint:SHA-256 ${fingerprint.value}\r\n`);
    const read = parseMsrpSdp(sdp.replace('SHA-256 0F', 'sha-256 0f'), 'offer');
    expect(read.ok && read.media.fingerprint).toEqual(fingerprint);
    expect(read.ok && read.media.path).toEqual([secureLocal.uri]);
    // Over TCP a fingerprint is not what anything is checked by: not read.
    const plain = parseMsrpSdp(`${ours}a=fingerprint:SHA-256 ${fingerprint.value}\r\n`, 'offer');
    expect(plain.ok && plain.media.fingerprint).toBeUndefined();
  });

  it('an answer may not leave the choice open', () => {
    expect(parseMsrpSdp(ours, 'answer')).toEqual({ ok: false, reason: 'an answer must choose active or passive' });
  });

  it('random bytes never throw', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    for (let i = 0; i < 2000; i++) {
      const chars = Array.from(ours);
      for (let k = 0; k < 1 + (next() % 8); k++) chars[next() % chars.length] = String.fromCharCode(next() % 256);
      expect(() => parseMsrpSdp(chars.join(''), i % 2 ? 'offer' : 'answer')).not.toThrow();
    }
  });
});
