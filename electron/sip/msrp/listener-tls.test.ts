/**
 * msrps on real loopback sockets (certificate.ts, listener.ts): two listeners with certificates
 * of their own, a TLS connection checked by the fingerprint the peer's SDP would carry, both ways,
 * and what is refused: a certificate its fingerprint does not name, a connection on the wrong
 * listener for the SDP, msrps without a certificate of ours.
 */
import net from 'node:net';
import tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../support/clock.js';
import { fingerprintOf, matchesFingerprint, newMsrpCertificate, type MsrpCertificate } from './certificate.js';
import type { MsrpConnection, MsrpFrame } from './connection.js';
import { encodeRequest, newMessageId, newTransactionId } from './frame-encoder.js';
import { connectionFits, MsrpListener } from './listener.js';
import { MsrpSession } from './session.js';
import type { MsrpUri } from './uri.js';
import { loopbackUri } from './testing/loopback.js';

const uri = (port: number, sessionId: string, secure = true): MsrpUri => loopbackUri(port, sessionId, secure);

const opened: MsrpListener[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((l) => l.close()));
});

async function listener(certificate?: MsrpCertificate): Promise<MsrpListener> {
  const l = await MsrpListener.open('127.0.0.1', '127.0.0.1', certificate);
  opened.push(l);
  return l;
}

/** A bodiless SEND as an active end opens with, written by hand on a socket of the test's. */
function greeting(to: MsrpUri, from: MsrpUri): Buffer {
  const encoded = encodeRequest({
    method: 'SEND',
    transactionId: newTransactionId(),
    toPath: [to],
    fromPath: [from],
    messageId: newMessageId(),
  });
  if (!encoded.ok) throw new Error(encoded.reason);
  return encoded.bytes;
}

/** The connection the passive listener binds to `sessionId`, with its first frame. */
function accepted(l: MsrpListener, sessionId: string): Promise<{ connection: MsrpConnection; first: MsrpFrame }> {
  return new Promise((resolve) => l.expect(sessionId, (connection, first) => resolve({ connection, first })));
}

describe('msrps between two endpoints with self-signed certificates', () => {
  it('each certificate is fresh and its fingerprint is the SHA-256 of its DER bytes', async () => {
    const [a, b] = await Promise.all([newMsrpCertificate(), newMsrpCertificate()]);
    expect(a.fingerprint.value).not.toBe(b.fingerprint.value);
    expect(a.fingerprint.value).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const der = new (await import('node:crypto')).X509Certificate(a.cert).raw;
    expect(fingerprintOf(der)).toEqual(a.fingerprint);
    expect(matchesFingerprint(der, { hash: 'sha-256', value: a.fingerprint.value.toLowerCase() })).toBe(true);
    expect(matchesFingerprint(der, b.fingerprint)).toBe(false);
    expect(matchesFingerprint(der, { hash: 'SHA-1', value: a.fingerprint.value })).toBe(false);
  });

  it('a session over TLS: the active end checks the passive one by fingerprint, and the passive end the active one', async () => {
    const [certA, certB] = await Promise.all([newMsrpCertificate(), newMsrpCertificate()]);
    const la = await listener(certA);
    const lb = await listener(certB);
    expect(lb.securePort).toBeGreaterThan(0);
    expect(lb.securePort).not.toBe(lb.port);
    const aUri = uri(la.securePort, 'aaaa1111');
    const bUri = uri(lb.securePort, 'bbbb2222');
    const bound = accepted(lb, 'bbbb2222');
    const outgoing = await la.connect(bUri, certB.fingerprint);
    expect(outgoing.secure).toBe(true);
    const received: string[] = [];
    const a = new MsrpSession(aUri, [bUri], systemClock, { message: () => {}, closed: () => {} });
    const b = new MsrpSession(bUri, [aUri], systemClock, {
      message: (message, done) => {
        received.push(message.body.toString());
        done(200);
      },
      closed: () => {},
    });
    a.attach(outgoing);
    expect(a.greet()).toBe(true);
    const { connection, first } = await bound;
    // The passive end: the active end's certificate is the one its SDP named, and nobody else's.
    expect(connection.secure).toBe(true);
    expect(connectionFits(connection, { path: [aUri], fingerprint: certA.fingerprint })).toBe(true);
    expect(connectionFits(connection, { path: [aUri], fingerprint: certB.fingerprint })).toBe(false);
    expect(connectionFits(connection, { path: [aUri] })).toBe(false);
    expect(connectionFits(connection, { path: [uri(la.port, 'aaaa1111', false)] })).toBe(false);
    b.attach(connection, first);
    expect(await a.send('text/plain', Buffer.from('over TLS'))).toEqual({ ok: true });
    expect(received).toEqual(['over TLS']);
    a.close('done');
    b.close('done');
  });

  it('refuses a passive end whose certificate its fingerprint does not name', async () => {
    const [certA, certB, other] = await Promise.all([newMsrpCertificate(), newMsrpCertificate(), newMsrpCertificate()]);
    const la = await listener(certA);
    const lb = await listener(certB);
    await expect(la.connect(uri(lb.securePort, 'x'), other.fingerprint)).rejects.toThrow(/a=fingerprint does not name/);
    await expect(la.connect(uri(lb.securePort, 'x'))).rejects.toThrow(/no a=fingerprint/);
  });

  it('without a certificate there is no TLS listener and no msrps connection', async () => {
    const plain = await listener();
    const cert = await newMsrpCertificate();
    const lb = await listener(cert);
    expect(plain.securePort).toBe(0);
    await expect(plain.connect(uri(lb.securePort, 'x'), cert.fingerprint)).rejects.toThrow(/no certificate/);
  });

  it('a plain TCP connection is not taken for an msrps session, nor TLS for an msrp one', async () => {
    const cert = await newMsrpCertificate();
    const lb = await listener(cert);
    const bound = accepted(lb, 'cccc3333');
    const socket = net.connect(lb.port, '127.0.0.1');
    socket.on('error', () => {});
    socket.write(greeting(uri(1, 'cccc3333', false), uri(2, 'dddd', false)));
    const { connection } = await bound;
    expect(connection.secure).toBe(false);
    expect(connectionFits(connection, { path: [uri(2, 'dddd')], fingerprint: cert.fingerprint })).toBe(false);
    expect(connectionFits(connection, { path: [uri(2, 'dddd', false)] })).toBe(true);
    connection.close('done');
    socket.destroy();
  });

  it('a TLS client that shows no certificate is bound but fits no msrps session', async () => {
    const cert = await newMsrpCertificate();
    const lb = await listener(cert);
    const bound = accepted(lb, 'eeee5555');
    const socket = tls.connect({ host: '127.0.0.1', port: lb.securePort, rejectUnauthorized: false });
    socket.on('error', () => {});
    socket.once('secureConnect', () => socket.write(greeting(uri(1, 'eeee5555'), uri(2, 'ffff'))));
    const { connection } = await bound;
    expect(connection.secure).toBe(true);
    expect(connection.peerCertificate).toBeUndefined();
    expect(connectionFits(connection, { path: [uri(2, 'ffff')], fingerprint: cert.fingerprint })).toBe(false);
    connection.close('done');
    socket.destroy();
  });
});
