/**
 * Session-mode chat over TLS (msrps, RFC 4975 §14), Parley <-> Parley through the bundled
 * Kamailio with its self-signed certificate: accounts whose SIP goes over TLS offer msrps, the
 * MSRP connection between the two Parleys is TLS checked by the a=fingerprint each SDP carries,
 * an msrp offer from an account on UDP is answered in kind by a TLS account, and cutting the TLS
 * connection sends what follows by paging mode (so it was that connection the session ran on).
 */
import fs from 'node:fs';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import type { TestCore } from '../../testing/cores.js';
import { exchange, isMode, sessionParley } from './testing/session-parley.js';

const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
let server: RunningServer;
let trust: string;
const started: TestCore[] = [];

beforeAll(async () => {
  server = await startKamailio({ tls: true, auth: true, users: names.map((user) => ({ user, password: 'secret' })) });
  trust = fs.readFileSync(server.certFile!, 'utf8');
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
});

const aor = (user: string) => `sip:${user}@${server.domain}`;

function parley(user: string, transport: 'tls' | 'udp', preferSessionMode: boolean): Promise<TestCore> {
  const account: AccountConfig =
    transport === 'tls'
      ? { aor: aor(user), proxy: server.uri('tls'), transport: 'tls', registerExpires: 600, tlsTrust: trust }
      : { aor: aor(user), proxy: server.uri(), transport: 'udp', registerExpires: 600 };
  return sessionParley(started, account, preferSessionMode);
}

/**
 * This process's TLS client sockets that are not SIP to the server: the active ends of the msrps
 * connections between the Parleys (Node lists a TLS server's side by its plain socket).
 */
function msrpsClients(): tls.TLSSocket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter(
    (h): h is tls.TLSSocket =>
      h instanceof tls.TLSSocket && h.remoteAddress === '127.0.0.1' && h.remotePort !== server.tlsPort && h.localPort !== server.tlsPort,
  );
}

describe('Parley <-> Parley in session mode over TLS', () => {
  it('two TLS accounts chat over msrps, each end checked by fingerprint; the connection cut, paging mode carries on', async () => {
    const alice = await parley('alice', 'tls', true);
    const bob = await parley('bob', 'tls', false);
    const { sent, got } = await exchange(alice, bob, 'bob', 'hello over msrps');
    expect(got.callId).not.toBe(sent.callId); // came in the session, on the INVITE's Call-ID
    await alice.waitFor(isMode(aor('bob'), 'session'));
    // The MSRP connection is TLS, and each end showed the other a certificate (checked by fingerprint).
    const sockets = msrpsClients();
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.getPeerCertificate().raw?.length ?? 0).toBeGreaterThan(0);
    expect(Object.keys(sockets[0]!.getCertificate() ?? {}).length).toBeGreaterThan(0);
    expect((await exchange(bob, alice, 'alice', 'back over msrps')).got.callId).toBe(got.callId);

    for (const socket of sockets) socket.destroy();
    await alice.waitFor(isMode(aor('bob'), 'paging'));
    // Paging mode: the conversation's Call-ID.
    expect((await exchange(alice, bob, 'bob', 'after the cut')).got.callId).toBe(sent.callId);
  });

  it('an msrp offer from a UDP account is answered with msrp by a TLS account; its own offers are msrps', async () => {
    const carol = await parley('carol', 'udp', true);
    const dave = await parley('dave', 'tls', true);
    const plain = await exchange(carol, dave, 'dave', 'plain msrp to a TLS account');
    expect(plain.got.callId).not.toBe(plain.sent.callId);
    expect(msrpsClients()).toHaveLength(0);

    // dave's account is TLS: his offer to erin (UDP, who can answer msrps) is msrps.
    const erin = await parley('erin', 'udp', false);
    const secure = await exchange(dave, erin, 'erin', 'msrps to a UDP account');
    expect(secure.got.callId).not.toBe(secure.sent.callId);
    expect(msrpsClients()).toHaveLength(1);
  });
});
