/**
 * Session-mode chat through the bundled Kamailio's MSRP relay (RFC 4976, server/kamailio.cfg
 * WITH_MSRP), Parley <-> Parley: each logs in to the relay before its offer or answer, its a=path
 * starts with the relay's Use-Path, and its side of the session runs on its connection to the
 * relay (over TCP, and over TLS with msrps, where the relay is verified as a server and no peer
 * fingerprint is checked on that hop). Cutting the relay connections sends what follows by paging
 * mode, so the session ran on them. A relay that refuses the password, or is not there, fails the
 * session with its reason, and the message goes by paging mode all the same. A relay that grants
 * a short time: the session ends before it runs out and the next message opens a new one.
 */
import fs from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { freePort } from '../../../server/free-port.js';
import type { Logger } from '../../support/logger.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { exchange, isMode } from './testing/session-parley.js';

const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hank', 'ivan', 'judy', 'kate', 'liam', 'mia', 'nina'];
/** What the short relay grants: the session on it ends after half of it (relay.ts RELAY_RENEW_MARGIN_S is larger). */
const SHORT_EXPIRES_S = 8;
let server: RunningServer;
/** The same users, on a server whose relay grants SHORT_EXPIRES_S. */
let shortServer: RunningServer;
/** A second server whose relay knows erin by another password: SIP on the first works, this relay refuses. */
let otherRelay: RunningServer;
let trust: string;
const started: TestCore[] = [];

beforeAll(async () => {
  server = await startKamailio({ tls: true, auth: true, users: names.map((user) => ({ user, password: 'secret' })) });
  otherRelay = await startKamailio({ auth: true, users: [{ user: 'erin', password: 'not-the-same' }] });
  shortServer = await startKamailio({
    auth: true,
    msrpExpires: SHORT_EXPIRES_S,
    users: names.map((user) => ({ user, password: 'secret' })),
  });
  trust = fs.readFileSync(server.certFile!, 'utf8');
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
  await otherRelay?.stop();
  await shortServer?.stop();
});

const aor = (user: string) => `sip:${user}@${server.domain}`;

/** What a core logged at warn, to read the relay's refusal from. */
type Warnings = Array<{ message: string; fields?: Record<string, unknown> }>;

async function parley(
  user: string,
  relay: string | undefined,
  secure: boolean,
  prefer: boolean,
  warnings: Warnings = [],
  on: RunningServer = server,
): Promise<TestCore> {
  const account: AccountConfig = secure
    ? { aor: aor(user), proxy: on.uri('tls'), transport: 'tls', registerExpires: 600, tlsTrust: trust }
    : { aor: aor(user), proxy: on.uri(), transport: 'udp', registerExpires: 600 };
  if (relay) account.msrpRelay = relay;
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => warnings.push({ message, ...(fields ? { fields } : {}) }),
    error: () => {},
  };
  const core = await startCore({ account, password: 'secret', logger });
  started.push(core);
  await core.waitFor(isRegistration('registered'));
  if (prefer) await core.core.commands.setChatSettings({ preferSessionMode: true });
  return core;
}

/** This process's sockets connected to the relay's port `port` (each Parley's side of a session through it). */
function relaySockets(port: number): net.Socket[] {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  return handles.filter((h): h is net.Socket => h instanceof net.Socket && !h.destroyed && h.remotePort === port);
}

describe('Parley <-> Parley in session mode through the MSRP relay', () => {
  it('over TCP: both sides on the relay, messages both ways in the session; the relay connections cut, paging mode carries on', async () => {
    const relay = `msrp://127.0.0.1:${server.msrpPort}`;
    const alice = await parley('alice', relay, false, true);
    const bob = await parley('bob', relay, false, false);
    const { sent, got } = await exchange(alice, bob, 'bob', 'hello through the relay');
    expect(got.callId).not.toBe(sent.callId); // in the session: the INVITE's Call-ID
    await alice.waitFor(isMode(aor('bob'), 'session'));
    const back = await exchange(bob, alice, 'alice', 'and back through the relay');
    expect(back.got.callId).toBe(got.callId);
    const big = 'x'.repeat(100_000);
    await exchange(alice, bob, 'bob', big);

    // Both sides' session connections are to the relay (no direct connection carried it).
    const sockets = relaySockets(server.msrpPort!);
    expect(sockets).toHaveLength(2);
    for (const socket of sockets) socket.destroy();
    await alice.waitFor(isMode(aor('bob'), 'paging'));
    await bob.waitFor(isMode(aor('alice'), 'paging'));
    expect((await exchange(alice, bob, 'bob', 'after the cut')).got.callId).toBe(sent.callId);
  });

  it('over TLS: msrps through the relay verified with the account trust, fingerprints not applied to the relay hop', async () => {
    const relay = `msrps://127.0.0.1:${server.msrpsPort}`;
    const carol = await parley('carol', relay, true, true);
    const dave = await parley('dave', relay, true, false);
    const { sent, got } = await exchange(carol, dave, 'dave', 'hello over msrps through the relay');
    expect(got.callId).not.toBe(sent.callId);
    const back = await exchange(dave, carol, 'carol', 'back over msrps');
    expect(back.got.callId).toBe(got.callId);
    const sockets = relaySockets(server.msrpsPort!);
    expect(sockets).toHaveLength(2);
    expect(sockets.every((socket) => socket instanceof tls.TLSSocket)).toBe(true);
  });

  it('one side on the relay, the other direct: the relay connects to the direct side, both ways work in the session', async () => {
    const relay = `msrp://127.0.0.1:${server.msrpPort}`;
    const kate = await parley('kate', relay, false, true);
    const liam = await parley('liam', undefined, false, false);
    const toLiam = await exchange(kate, liam, 'liam', 'from the relay to a direct peer');
    expect(toLiam.got.callId).not.toBe(toLiam.sent.callId);
    expect((await exchange(liam, kate, 'kate', 'from a direct peer back to the relay')).got.callId).toBe(toLiam.got.callId);
    // The other way round: the direct side offers and, answered passive, connects to kate's relay.
    const mia = await parley('mia', undefined, false, true);
    const toKate = await exchange(mia, kate, 'kate', 'from a direct offerer to a relay answerer');
    expect(toKate.got.callId).not.toBe(toKate.sent.callId);
    expect((await exchange(kate, mia, 'mia', 'and back')).got.callId).toBe(toKate.got.callId);
  });

  it('a relay that refuses the password: the offer fails with that reason, and the message goes by paging mode', async () => {
    const warnings: Warnings = [];
    const erin = await parley('erin', `msrp://127.0.0.1:${otherRelay.msrpPort}`, false, true, warnings);
    const frank = await parley('frank', undefined, false, false);
    const { sent, got } = await exchange(erin, frank, 'frank', 'the relay said no');
    expect(got.callId).toBe(sent.callId); // paging mode: the conversation's Call-ID
    expect(warnings.map((w) => w.fields?.reason)).toContain('the relay refused the user name or password (401)');
    expect(erin.events.some(isMode(aor('frank'), 'session'))).toBe(false);
    // The window is told, once: the next chat refused the same way adds nothing.
    const relay = `msrp://127.0.0.1:${otherRelay.msrpPort}`;
    const told = { code: 'relay.bad-credentials', params: { relay } };
    expect(erin.events.filter((e) => e.type === 'relay')).toMatchObject([{ problem: told }]);
    expect((await erin.core.commands.getSnapshot({})).relayProblem).toEqual(told);
    const nina = await parley('nina', undefined, false, false);
    await exchange(erin, nina, 'nina', 'the relay said no again');
    await expect
      .poll(() => warnings.filter((w) => w.fields?.reason === 'the relay refused the user name or password (401)').length)
      .toBe(2);
    expect(erin.events.filter((e) => e.type === 'relay')).toHaveLength(1);
  });

  it('a relay that is not there, on the answering side: the answer fails with that reason, the offerer goes by paging mode', async () => {
    const warnings: Warnings = [];
    const gina = await parley('gina', undefined, false, true);
    const hank = await parley('hank', `msrp://127.0.0.1:${await freePort()}`, false, false, warnings);
    const { sent, got } = await exchange(gina, hank, 'hank', 'no relay to answer with');
    expect(got.callId).toBe(sent.callId);
    expect(String(warnings.find((w) => w.message.includes('relay'))?.fields?.reason)).toMatch(/cannot be reached/);
    expect(hank.events.find((e) => e.type === 'relay')).toMatchObject({ problem: { code: 'relay.unreachable' } });
    // Not remembered as a peer that does not do sessions (480 is a rest): only paging mode for now.
    expect(gina.events.some(isMode(aor('hank'), 'session'))).toBe(false);
  });

  it('a reservation about to run out: the session ends without resting the peer, and the next message opens a new one on a new reservation', async () => {
    const relay = `msrp://127.0.0.1:${shortServer.msrpPort}`;
    const ivan = await parley('ivan', relay, false, true, [], shortServer);
    const judy = await parley('judy', relay, false, false, [], shortServer);
    const first = await exchange(ivan, judy, 'judy', 'on the first reservation');
    expect(first.got.callId).not.toBe(first.sent.callId);
    await ivan.waitFor(isMode(aor('judy'), 'paging'), SHORT_EXPIRES_S * 1000 * 3);
    const second = await exchange(ivan, judy, 'judy', 'on the second reservation');
    // A new session (a new INVITE's Call-ID), not paging mode (the conversation's) and not the old one.
    expect(second.got.callId).not.toBe(second.sent.callId);
    expect(second.got.callId).not.toBe(first.got.callId);
    expect(ivan.events.filter((e) => e.type === 'chat-mode' && e.peer === aor('judy')).map((e) => (e as { mode: string }).mode)).toEqual([
      'session',
      'paging',
      'session',
    ]);
  });
});
