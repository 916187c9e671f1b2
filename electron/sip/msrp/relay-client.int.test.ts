/**
 * Parley's relay client (relay-client.ts) against the bundled Kamailio's MSRP relay (RFC 4976,
 * server/kamailio.cfg WITH_MSRP) over TCP and TLS: AUTH with digest, Use-Path and Expires; a
 * wrong password refused with a reason; a TLS relay not trusted refused; and two sessions that
 * each reserved the relay exchanging a message through it, REPORT included.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { systemClock } from '../../support/clock.js';
import { newMsrpCertificate } from './certificate.js';
import { MsrpListener } from './listener.js';
import { reserveRelay, type Reservation } from './relay-client.js';
import { MsrpSession } from './session.js';
import { encodeRequest, newMessageId, newTransactionId } from './frame-encoder.js';
import { loopbackUri, until } from './testing/loopback.js';
import { formatMsrpUri, parseMsrpUri, type MsrpUri } from './uri.js';

let server: RunningServer;
let listener: MsrpListener;
let trust: string;
const reservations: Reservation[] = [];

beforeAll(async () => {
  server = await startKamailio({ auth: true, tls: true, users: ['alice', 'bob'].map((user) => ({ user, password: 'secret' })) });
  trust = fs.readFileSync(server.certFile!, 'utf8');
  listener = await MsrpListener.open('127.0.0.1', '127.0.0.1', await newMsrpCertificate());
});
afterAll(async () => {
  for (const r of reservations) if (r.ok) r.connection.close('test over');
  await listener?.close();
  await server?.stop();
});

const relayUri = (secure: boolean): MsrpUri =>
  parseMsrpUri(`${secure ? 'msrps' : 'msrp'}://127.0.0.1:${secure ? server.msrpsPort : server.msrpPort};tcp`)!;

async function reserve(user: string, password: string, secure = false, sessionId = `${user}0001`): Promise<Reservation> {
  const relay = relayUri(secure);
  const connection = await listener.connect(relay, { ca: [trust] });
  const reservation = await reserveRelay(connection, relay, loopbackUri(9, sessionId, secure), { username: user, password });
  reservations.push(reservation);
  return reservation;
}

describe('the bundled MSRP relay', () => {
  it('AUTH over TCP: challenged, then Use-Path on the relay TCP port and the Expires asked for', async () => {
    const r = await reserve('alice', 'secret');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.usePath).toHaveLength(1);
    expect(formatMsrpUri(r.usePath[0]!)).toMatch(new RegExp(`^msrp://127\\.0\\.0\\.1:${server.msrpPort}/[^;]+;tcp$`));
    expect(r.expires).toBe(3600);
  });

  it('a wrong password: refused with a reason, the connection closed', async () => {
    const r = await reserve('alice', 'wrong');
    expect(r).toEqual({ ok: false, code: 401, reason: 'the relay refused the user name or password (401)' });
  });

  it('no password: the challenge is not answered, and says why', async () => {
    const relay = relayUri(false);
    const r = await reserveRelay(await listener.connect(relay), relay, loopbackUri(9, 'nopass01'), undefined);
    expect(r).toMatchObject({ ok: false, code: 401, reason: expect.stringContaining('has none') });
  });

  it('AUTH over TLS, the relay verified with the server certificate trusted: an msrps Use-Path', async () => {
    const r = await reserve('bob', 'secret', true);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(formatMsrpUri(r.usePath[0]!)).toMatch(new RegExp(`^msrps://127\\.0\\.0\\.1:${server.msrpsPort}/[^;]+;tcp$`));
  });

  it('a TLS relay whose certificate is not trusted is not connected to', async () => {
    await expect(listener.connect(relayUri(true), { ca: [] })).rejects.toThrow(/certificate/i);
  });

  it('hostile frames: an AUTH with Expires (which crashes the msrp module) is refused and the relay stays up; no relaying for a connection that did not AUTH', async () => {
    const relay = relayUri(false);
    const connection = await listener.connect(relay);
    const answers: Array<{ code: number; comment?: string }> = [];
    connection.listen({ frame: (item) => item.kind === 'response' && answers.push(item.response), closed: () => {} });
    const write = (method: string, toPath: MsrpUri[], headers: Array<[string, string]>) => {
      const encoded = encodeRequest({
        method,
        transactionId: newTransactionId(),
        toPath,
        fromPath: [loopbackUri(9, 'evil0001')],
        messageId: newMessageId(),
        headers,
      });
      if (encoded.ok) connection.send(encoded.bytes);
    };
    write('AUTH', [relay], [['Expires', '10']]);
    write('SEND', [relay, loopbackUri(9, 'elsewhere'), loopbackUri(9, 'further')], []);
    await until(() => answers.length >= 2);
    expect(answers.map((a) => a.code)).toEqual([400, 403]);
    connection.close('done');
    expect((await reserve('alice', 'secret')).ok).toBe(true);
  });

  it('each kind on its own ports: MSRP on the SIP port and SIP on the relay port get 403', async () => {
    const sipPort = parseMsrpUri(`msrp://127.0.0.1:${server.port};tcp`)!;
    const r = await reserveRelay(await listener.connect(sipPort), sipPort, loopbackUri(9, 'wrongport'), {
      username: 'alice',
      password: 'secret',
    });
    expect(r).toMatchObject({ ok: false, code: 403 });
    const socket = net.connect(server.msrpPort!, '127.0.0.1');
    socket.on('error', () => {});
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write(
      [
        `OPTIONS sip:${server.domain} SIP/2.0`,
        'Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bK-relayport1',
        'Max-Forwards: 70',
        `From: <sip:alice@${server.domain}>;tag=a1`,
        `To: <sip:${server.domain}>`,
        'Call-ID: relay-port-test',
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    await until(() => answer.includes('\r\n\r\n'));
    socket.destroy();
    expect(answer).toMatch(/^SIP\/2\.0 403 /);
  });

  it('two endpoints that reserved the relay exchange a message through it, with its success REPORT', async () => {
    const a = await reserve('alice', 'secret', false, 'aaaa7777');
    const b = await reserve('bob', 'secret', false, 'bbbb7777');
    if (!a.ok || !b.ok) throw new Error('no reservation');
    const aLocal = loopbackUri(9, 'aaaa7777');
    const bLocal = loopbackUri(9, 'bbbb7777');
    // Each side's a=path would be its Use-Path then itself; a sender's To-Path is its own relays, then the peer's path.
    const received: string[] = [];
    const aSession = new MsrpSession(aLocal, [...a.usePath, ...b.usePath, bLocal], systemClock, { message: () => {}, closed: () => {} });
    const bSession = new MsrpSession(bLocal, [...b.usePath, ...a.usePath, aLocal], systemClock, {
      message: (message, done) => {
        received.push(message.body.toString());
        done(200);
      },
      closed: () => {},
    });
    aSession.attach(a.connection);
    bSession.attach(b.connection);
    expect(await aSession.send('text/plain', Buffer.from('through the relay'))).toEqual({ ok: true });
    expect(received).toEqual(['through the relay']);
  });
});
