import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LEAF_CERT, SELF_SIGNED_CERT } from '../testing/tls-fixtures.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { explainConnectError, type ConnectAttempt } from './connect-failure.js';

function nodeError(code: string, message = code, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { code }, extra);
}

const tlsAttempt: ConnectAttempt = { transport: 'tls', name: 'sip.example.org', host: '192.0.2.10', port: 5061 };

describe('explainConnectError', () => {
  it('self-signed: the sentence the user sees, the fingerprint to check, no blind retry', () => {
    const der = new X509Certificate(SELF_SIGNED_CERT).raw;
    const failure = explainConnectError(
      nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', { peerCertificate: der }),
      tlsAttempt,
      1000,
    );
    expect(failure).toMatchObject({
      kind: 'self-signed',
      retry: false,
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
      name: 'sip.example.org',
      host: '192.0.2.10',
      port: 5061,
      at: 1000,
    });
    const fingerprint = new X509Certificate(SELF_SIGNED_CERT).fingerprint256;
    expect(failure.reason).toEqual({ code: 'connect.self-signed', params: { fingerprint } });
    expect(wordReason(failure.reason)).toBe(
      `The server's certificate is not trusted (self-signed). Trust it in the account settings. Its SHA-256 fingerprint is ${fingerprint}.`,
    );
    expect(failure.certificate?.subject).toBe('parley.test');
  });

  it('self-signed without the certificate still reads well', () => {
    const failure = explainConnectError(nodeError('DEPTH_ZERO_SELF_SIGNED_CERT'), tlsAttempt);
    expect(failure.reason).toEqual({ code: 'connect.self-signed', params: {} });
    expect(wordReason(failure.reason)).toBe("The server's certificate is not trusted (self-signed). Trust it in the account settings.");
    expect(failure.certificate).toBeUndefined();
  });

  it('an unknown or private authority names the issuer and asks to trust it', () => {
    const der = new X509Certificate(LEAF_CERT).raw;
    const unknown = explainConnectError(nodeError('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'x', { peerCertificate: der }), tlsAttempt).reason;
    expect(unknown).toEqual({ code: 'connect.unknown-ca', params: { issuer: 'Parley Test CA' } });
    expect(wordReason(unknown)).toMatch(
      /^The server's certificate is not trusted \(issued by an authority Parley does not know: "Parley Test CA"\)\. Trust that authority's certificate/,
    );
    const chain = explainConnectError(nodeError('SELF_SIGNED_CERT_IN_CHAIN'), tlsAttempt);
    expect(chain).toMatchObject({ kind: 'untrusted', retry: false, reason: { code: 'connect.private-ca' } });
    expect(wordReason(chain.reason)).toMatch(/private certificate authority/);
  });

  it('a name mismatch names what the certificate is for, from the certificate or from the error', () => {
    const withCert = explainConnectError(
      nodeError('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames", {
        peerCertificate: new X509Certificate(LEAF_CERT).raw,
      }),
      tlsAttempt,
    );
    expect(withCert).toMatchObject({ kind: 'wrong-name', retry: false });
    expect(withCert.reason).toEqual({ code: 'connect.wrong-name', params: { name: 'sip.example.org', names: ['sip.parley.test'] } });
    expect(wordReason(withCert.reason)).toBe(
      'The server\'s certificate is not valid for "sip.example.org" (it is for "sip.parley.test"). Address the server by a name its certificate carries, or check that this is the right server.',
    );
    const fromReason = explainConnectError(
      nodeError('ERR_TLS_CERT_ALTNAME_INVALID', 'x', {
        reason: "Host: sip.example.org. is not in the cert's altnames: DNS:a.example, IP Address:192.0.2.1",
      }),
      tlsAttempt,
    );
    expect(fromReason.reason).toMatchObject({ params: { names: ['a.example', '192.0.2.1'] } });
    expect(wordReason(fromReason.reason)).toContain('(it is for "a.example", "192.0.2.1")');
    const ip = explainConnectError(
      nodeError('ERR_TLS_CERT_ALTNAME_INVALID', 'x', { reason: "IP: 192.0.2.10 is not in the cert's list: 192.0.2.1" }),
      {
        ...tlsAttempt,
        name: '192.0.2.10',
      },
    );
    expect(ip.reason).toEqual({ code: 'connect.wrong-name', params: { name: '192.0.2.10', names: ['192.0.2.1'] } });
    expect(wordReason(ip.reason)).toContain('not valid for "192.0.2.10" (it is for "192.0.2.1")');
  });

  it('dates: expired waits for the administrator, not-yet-valid points at the clock', () => {
    expect(explainConnectError(nodeError('CERT_HAS_EXPIRED'), tlsAttempt)).toMatchObject({ kind: 'expired', retry: true });
    const early = explainConnectError(nodeError('CERT_NOT_YET_VALID'), tlsAttempt).reason;
    expect(early.code).toBe('connect.not-yet-valid');
    expect(wordReason(early)).toMatch(/date and time/);
  });

  it('network failures say where and keep retrying', () => {
    const refused = explainConnectError(nodeError('ECONNREFUSED'), tlsAttempt);
    expect(refused).toMatchObject({
      kind: 'refused',
      retry: true,
      reason: { code: 'connect.refused', params: { server: '192.0.2.10:5061', transport: 'TLS' } },
    });
    expect(wordReason(refused.reason)).toBe(
      'Nothing accepts TLS connections at 192.0.2.10:5061 (connection refused). The server may be down, or the address or port is wrong.',
    );
    expect(explainConnectError(new Error('connection to 192.0.2.10:5061 timed out'), tlsAttempt).kind).toBe('timeout');
    const handshake = explainConnectError(nodeError('ERR_TLS_HANDSHAKE_TIMEOUT'), tlsAttempt).reason;
    expect(handshake).toEqual({ code: 'connect.tls-timeout', params: { server: '192.0.2.10:5061' } });
    expect(wordReason(handshake)).toMatch(/never answered the TLS handshake/);
    const unreachable = explainConnectError(nodeError('EHOSTUNREACH'), tlsAttempt).reason;
    expect(unreachable).toEqual({ code: 'connect.unreachable', params: { server: '192.0.2.10:5061', error: 'EHOSTUNREACH' } });
    expect(wordReason(unreachable)).toMatch(/cannot be reached from this network \(EHOSTUNREACH\)/);
    const reset = explainConnectError(nodeError('ECONNRESET'), tlsAttempt).reason;
    expect(reset).toEqual({ code: 'connect.tls-closed', params: { server: '192.0.2.10:5061' } });
    expect(wordReason(reset)).toMatch(/closed the connection during the TLS handshake/);
  });

  it('a TLS port that speaks something else is called out', () => {
    expect(explainConnectError(nodeError('ERR_SSL_WRONG_VERSION_NUMBER'), tlsAttempt)).toMatchObject({ kind: 'not-tls', retry: false });
    const alert = explainConnectError(nodeError('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION'), tlsAttempt).reason;
    expect(alert).toEqual({ code: 'connect.handshake', params: { server: '192.0.2.10:5061', alert: 'protocol version' } });
    expect(wordReason(alert)).toBe('The TLS handshake with 192.0.2.10:5061 failed (protocol version).');
  });

  it('DNS: the name as typed, default port when none was given', () => {
    const failure = explainConnectError(new Error('cannot find the SIP server "nowhere.invalid" (DNS lookup failed)'), {
      transport: 'udp',
      name: 'nowhere.invalid',
    });
    expect(failure).toMatchObject({ kind: 'dns', retry: true, host: 'nowhere.invalid', port: 5060 });
    expect(failure.reason).toEqual({ code: 'connect.dns', params: { name: 'nowhere.invalid' } });
    expect(wordReason(failure.reason)).toBe(
      'Parley cannot find the server "nowhere.invalid" (DNS lookup failed). Check the server address.',
    );
  });

  it('anything else keeps the message', () => {
    const other = explainConnectError('boom', { transport: 'tcp', name: '2001:db8::1', port: 5070 }).reason;
    expect(other).toEqual({ code: 'connect.other', params: { server: '[2001:db8::1]:5070', transport: 'TCP', error: 'boom' } });
    expect(wordReason(other)).toBe('Parley could not connect to [2001:db8::1]:5070 over TCP: boom');
  });
});
