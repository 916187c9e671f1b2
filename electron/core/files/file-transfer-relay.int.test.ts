/**
 * File transfer through the bundled Kamailio's MSRP relay (RFC 4976 on RFC 5547), Parley <-> Parley:
 * with `msrpRelay` in the account, each side logs in to the relay before its offer or answer and
 * its bytes go over its connection to the relay, over TCP (msrp) and TLS (msrps, the relay verified
 * with the account's trust). 0 B, 1 MB and 24 MB arrive with their SHA-1, and the only MSRP sockets
 * of the transfer are the two to the relay. A transfer cut on the relay hop is interrupted on both
 * sides and resumed through the relay. A relay that refuses the password fails the transfer with
 * that reason (a file has no paging mode to fall back to). Without a relay, two TLS accounts send
 * a file over msrps directly (the route a chat takes: each end pinned by its fingerprint). With one
 * side on the relay, files go both ways: the relay opens its own connection to the side without one
 * (it does not reuse that side's), which the transfer takes its frames from.
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import {
  cutAfterWritten,
  firstToWrite,
  inState,
  isOffer,
  isTransfer,
  loopbackSockets,
  makeFile,
  settled,
  sha1Of,
} from './testing/files.js';

const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hank', 'ivan', 'jack', 'kim'];
let server: RunningServer;
/** A second server whose relay knows gina by another password: SIP on the first works, this relay refuses. */
let otherRelay: RunningServer;
let trust: string;
const started: TestCore[] = [];
const folders: string[] = [];
const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startKamailio({ tls: true, auth: true, users: names.map((user) => ({ user, password: 'secret' })) });
  otherRelay = await startKamailio({ auth: true, users: [{ user: 'gina', password: 'not-the-same' }] });
  trust = fs.readFileSync(server.certFile!, 'utf8');
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
  await otherRelay?.stop();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

async function parley(user: string, relay: string | undefined, secure: boolean): Promise<TestCore> {
  const aor = `sip:${user}@${server.domain}`;
  const account: AccountConfig = secure
    ? { aor, proxy: server.uri('tls'), transport: 'tls', registerExpires: 600, tlsTrust: trust }
    : { aor, proxy: server.uri(), transport: 'udp', registerExpires: 600 };
  if (relay) account.msrpRelay = relay;
  const core = await startCore({ account, password: 'secret' });
  started.push(core);
  await core.waitFor(isRegistration('registered'));
  return core;
}

/** This process's loopback sockets to the relay port `port`, and the others (SIP over TLS among them). */
function sockets(port: number) {
  const all = loopbackSockets();
  return { relay: all.filter((s) => s.remotePort === port), other: all.filter((s) => s.remotePort !== port && s.localPort !== port) };
}

/** Both sides settle, both done, and the file that arrived has the sender's SHA-1; the receiver's card. */
async function arrivesWhole(from: TestCore, outId: string, to: TestCore, inId: string, sha1: string, timeoutMs: number) {
  const sent = (await from.waitFor(settled(outId), timeoutMs)).transfer;
  const got = (await to.waitFor(settled(inId), timeoutMs)).transfer;
  expect(`${sent.state} ${sent.reason ?? ''} / ${got.state} ${got.reason ?? ''}`).toBe('done  / done ');
  expect(sha1Of(got.savedAs!)).toBe(sha1);
  return got;
}

/** Sends the files one after another from `from` to `to` and checks each arrived whole; during the largest, the sockets carrying it. */
async function sendThrough(from: TestCore, to: TestCore, toUser: string, relayPort: number, secure: boolean) {
  for (const size of [0, MB, 24 * MB]) {
    const { file, sha1 } = makeFile(folders, `file-${size}.bin`, size);
    const out = await from.core.sendLocalFile!(toUser, file);
    const offer = (
      await to.waitFor(
        isTransfer((t) => t.direction === 'in' && t.state === 'offered' && t.size === size),
        30_000,
      )
    ).transfer;
    await to.core.commands.answerFileOffer({ id: offer.id, accept: true });
    if (size > MB) {
      // While the file is under way: once a connection has carried a quarter of it.
      await firstToWrite(size / 4);
      const { relay, other } = sockets(relayPort);
      // Both sides' MSRP goes over their connections to the relay; no connection between the two.
      expect(relay).toHaveLength(2);
      expect(relay.every((s) => s instanceof tls.TLSSocket)).toBe(secure);
      // No other connection carries the file (SIP's carry a few kilobytes).
      expect(other.filter((s) => s.bytesWritten > size / 8)).toEqual([]);
      expect(Math.max(...relay.map((s) => s.bytesWritten))).toBeGreaterThan(size / 8);
    }
    const got = await arrivesWhole(from, out.id, to, offer.id, sha1, 180_000);
    expect(fs.statSync(got.savedAs!).size).toBe(size);
  }
}

describe('file transfer through the MSRP relay', () => {
  it.each([
    { over: 'TCP', secure: false, users: ['alice', 'bob'] },
    { over: 'TLS (msrps)', secure: true, users: ['carol', 'dave'] },
  ])(
    "over $over: 0 B, 1 MB and 24 MB arrive whole, their bytes over both sides' connections to the relay",
    async ({ secure, users }) => {
      const port = (secure ? server.msrpsPort : server.msrpPort)!;
      const relay = `${secure ? 'msrps' : 'msrp'}://127.0.0.1:${port}`;
      const from = await parley(users[0]!, relay, secure);
      const to = await parley(users[1]!, relay, secure);
      await sendThrough(from, to, users[1]!, port, secure);
    },
    400_000,
  );

  it('cut on the relay hop: both sides interrupted, the sender resumes through the relay, the whole file verified', async () => {
    const relay = `msrp://127.0.0.1:${server.msrpPort}`;
    const erin = await parley('erin', relay, false);
    const frank = await parley('frank', relay, false);
    const size = 32 * MB;
    const { file, sha1 } = makeFile(folders, 'cut.bin', size);
    const out = await erin.core.sendLocalFile!('frank', file);
    const offer = (await frank.waitFor(isOffer, 30_000)).transfer;
    await frank.core.commands.answerFileOffer({ id: offer.id, accept: true });
    // The sender's connection to the relay, a quarter in (the receiver's writes only reports); the receiver's stays up and hears the BYE.
    await cutAfterWritten(size / 4, (s) => s.remotePort === server.msrpPort);
    const cut = (await frank.waitFor(inState(offer.id, 'interrupted'), 30_000)).transfer;
    await erin.waitFor(inState(out.id, 'interrupted'), 30_000);
    expect(cut.transferred).toBeGreaterThan(0);
    const got = await arrivesWhole(erin, out.id, frank, offer.id, sha1, 180_000);
    expect(got.resumedAt).toBeGreaterThan(0);
    expect(path.basename(got.savedAs!)).toBe('cut.bin');
  }, 400_000);

  it("one side on the relay: a sender without one sends down the receiver's reservation, and the other way round", async () => {
    const relay = `msrp://127.0.0.1:${server.msrpPort}`;
    const jack = await parley('jack', undefined, false);
    const kim = await parley('kim', relay, false);
    for (const [from, to, toUser] of [
      [jack, kim, 'kim'],
      [kim, jack, 'jack'],
    ] as const) {
      const size = 3 * MB;
      const { file, sha1 } = makeFile(folders, `one-sided-${toUser}.bin`, size);
      const out = await from.core.sendLocalFile!(toUser, file);
      const offer = (await to.waitFor(isOffer, 30_000)).transfer;
      await to.core.commands.answerFileOffer({ id: offer.id, accept: true });
      await arrivesWhole(from, out.id, to, offer.id, sha1, 60_000);
      to.events.length = 0;
    }
  }, 200_000);

  it('without a relay, between two TLS accounts: the file goes over msrps directly, each end checked by its fingerprint', async () => {
    const hank = await parley('hank', undefined, true);
    const ivan = await parley('ivan', undefined, true);
    const { file, sha1 } = makeFile(folders, 'direct-tls.bin', MB);
    const out = await hank.core.sendLocalFile!('ivan', file);
    const offer = (await ivan.waitFor(isOffer, 30_000)).transfer;
    await ivan.core.commands.answerFileOffer({ id: offer.id, accept: true });
    await arrivesWhole(hank, out.id, ivan, offer.id, sha1, 60_000);
  });

  it('a relay that refuses the password: the transfer fails with that reason', async () => {
    const gina = await parley('gina', `msrp://127.0.0.1:${otherRelay.msrpPort}`, false);
    const { file } = makeFile(folders, 'refused.bin', 4096);
    const out = await gina.core.sendLocalFile!('alice', file);
    const sent = (await gina.waitFor(settled(out.id), 30_000)).transfer;
    expect(sent.state).toBe('failed');
    expect(sent.reason).toMatch(/the MSRP relay: the relay refused the user name or password \(401\)/);
  });
});
