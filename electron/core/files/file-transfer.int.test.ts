/**
 * File transfer (RFC 5547), Parley <-> Parley through the bundled Kamailio (auth on): the INVITE
 * with the file's m=message offer and the BYE through the server, the bytes over MSRP directly
 * between the two on loopback, into the receiver's downloads folder, checked by SHA-1.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { freePort } from '../../../server/free-port.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { isOffer, isTransfer, makeFile as makeFileIn, settled, sha1Of } from './testing/files.js';

// One account per test, so no test sees another's offers.
const names = 'alice bob carol dave erin frank gina hank kate liam mia noah olga pete rosa sam'.split(' ');
let server: RunningServer;
const started: TestCore[] = [];
const folders: string[] = [];

beforeAll(async () => {
  server = await startKamailio({ auth: true, users: names.map((user) => ({ user, password: 'secret' })), port: await freePort() });
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

const aor = (user: string) => `sip:${user}@${server.domain}`;
const makeFile = (name: string, size: number) => makeFileIn(folders, name, size);

/** `dataDir`: start again on the data folder of a Parley that was stopped (a restart). */
async function parley(user: string, dataDir?: string): Promise<TestCore> {
  const core = await startCore({
    account: { aor: aor(user), proxy: server.uri(), transport: 'udp', registerExpires: 600 },
    password: 'secret',
    ...(dataDir ? { dataDir } : {}),
  });
  started.push(core);
  await core.waitFor(isRegistration('registered'));
  return core;
}

/** Stops a Parley and starts it again on the same data folder (its history, its downloads). */
async function restart(user: string, core: TestCore): Promise<TestCore> {
  await core.core.stop(); // not core.stop(): that deletes the data folder
  started.splice(started.indexOf(core), 1);
  folders.push(core.dataDir);
  return parley(user, core.dataDir);
}

/** A conversation's messages as the window pages them, with the peer. */
async function conversationWith(core: TestCore, peer: string) {
  const { conversations } = await core.core.commands.getSnapshot({});
  const conversation = conversations.find((c) => c.peer === peer);
  if (!conversation) throw new Error(`no conversation with ${peer}`);
  return core.core.commands.getMessages({ conversationId: conversation.id, limit: 100 });
}

const transfers = (core: TestCore) => core.events.flatMap((e) => (e.type === 'file-transfer' ? [e.transfer] : []));
const downloads = async (core: TestCore) => (await core.core.commands.getFileSettings({})).downloadsDir;

/** Sends `file` from `from` to `to`, accepts it there; both ends' final states. */
async function sendAndAccept(from: TestCore, to: TestCore, toUser: string, file: string, timeoutMs = 30_000) {
  const out = await from.core.sendLocalFile!(toUser, file);
  const offer = (await to.waitFor(isOffer, timeoutMs)).transfer;
  await to.core.commands.answerFileOffer({ id: offer.id, accept: true });
  const sent = (await from.waitFor(settled(out.id), timeoutMs)).transfer;
  const got = (await to.waitFor(settled(offer.id), timeoutMs)).transfer;
  return { out, offer, sent, got };
}

/** Sends `file`, accepts it, and returns once the first bytes are in: a transfer under way. */
async function underWay(from: TestCore, to: TestCore, toUser: string, file: string) {
  const out = await from.core.sendLocalFile!(toUser, file);
  const offer = (await to.waitFor(isOffer, 30_000)).transfer;
  await to.core.commands.answerFileOffer({ id: offer.id, accept: true });
  await to.waitFor(
    isTransfer((t) => t.id === offer.id && t.transferred > 0),
    30_000,
  );
  return { out, offer };
}

describe('file transfer between two Parleys', () => {
  it('a 1 MB file: offered with its name, type and size, accepted, saved in the downloads folder with the same SHA-1, progress on both sides', async () => {
    const alice = await parley('alice');
    const bob = await parley('bob');
    const { file, sha1 } = makeFile('photo.png', 1024 * 1024);
    const { offer, sent, got } = await sendAndAccept(alice, bob, 'bob', file);
    expect(offer).toMatchObject({ name: 'photo.png', size: 1024 * 1024, type: 'image/png', peer: aor('alice') });
    expect(`${sent.state} ${sent.reason ?? ''} / ${got.state} ${got.reason ?? ''}`).toBe('done  / done ');
    expect(got.savedAs).toBe(path.join(await downloads(bob), 'photo.png'));
    expect(sha1Of(got.savedAs!)).toBe(sha1);
    expect(fs.readdirSync(await downloads(bob))).toEqual(['photo.png']);
    for (const core of [alice, bob]) {
      const states = transfers(core).map((t) => t.state);
      expect(states).toContain('transferring');
      const bytes = transfers(core).map((t) => t.transferred);
      expect(bytes.at(-1)).toBe(1024 * 1024);
      expect([...bytes].sort((a, b) => a - b)).toEqual(bytes);
    }
  });

  it('a 0 B file arrives as an empty file; the same name again becomes "name (1)"', async () => {
    const carol = await parley('carol');
    const dave = await parley('dave');
    const { file } = makeFile('empty.txt', 0);
    const first = await sendAndAccept(carol, dave, 'dave', file);
    expect(first.got.state).toBe('done');
    expect(fs.statSync(first.got.savedAs!).size).toBe(0);
    dave.events.length = 0;
    const second = await sendAndAccept(carol, dave, 'dave', file);
    expect(second.got.state).toBe('done');
    expect(path.basename(second.got.savedAs!)).toBe('empty (1).txt');
  });

  it('a declined offer: the sender hears it, nothing is written', async () => {
    const erin = await parley('erin');
    const frank = await parley('frank');
    const { file } = makeFile('notes.txt', 4096);
    const out = await erin.core.sendLocalFile!('frank', file);
    const offer = (await frank.waitFor(isOffer)).transfer;
    const answered = await frank.core.commands.answerFileOffer({ id: offer.id, accept: false });
    expect(answered.state).toBe('declined');
    const sent = (await erin.waitFor(settled(out.id))).transfer;
    expect(sent.state).toBe('declined');
    expect(sent.reason).toMatch(/603/);
    expect(fs.existsSync(await downloads(frank)) ? fs.readdirSync(await downloads(frank)) : []).toEqual([]);
  });

  it('an offer above the size limit is declined with the reason, never shown as an offer', async () => {
    const gina = await parley('gina');
    const hank = await parley('hank');
    await hank.core.commands.setFileSettings({ maxBytes: 1000 });
    const { file } = makeFile('big.bin', 5000);
    const out = await gina.core.sendLocalFile!('hank', file);
    const sent = (await gina.waitFor(settled(out.id))).transfer;
    expect(sent.state).toBe('declined');
    expect(sent.reason).toMatch(/488 File Larger Than The 1000 B Limit/);
    expect(transfers(hank)).toEqual([]);
  });

  it('the receiver cancels mid-transfer: both ends stop, the partial file is deleted', async () => {
    const kate = await parley('kate');
    const liam = await parley('liam');
    const { file } = makeFile('large.bin', 64 * 1024 * 1024);
    const { out, offer } = await underWay(kate, liam, 'liam', file);
    const cancelled = await liam.core.commands.cancelFile({ id: offer.id });
    expect(cancelled.state).toBe('cancelled');
    const sent = (await kate.waitFor(settled(out.id), 30_000)).transfer;
    expect(sent.state).toBe('failed');
    expect(sent.transferred).toBeLessThan(64 * 1024 * 1024);
    await expect.poll(async () => fs.readdirSync(await downloads(liam)), { timeout: 10_000 }).toEqual([]);
  });

  it('a 100 MB file arrives whole with its hash verified', async () => {
    const mia = await parley('mia');
    const noah = await parley('noah');
    const { file, sha1 } = makeFile('video.mp4', 100 * 1024 * 1024);
    const { got, sent } = await sendAndAccept(mia, noah, 'noah', file, 180_000);
    expect(sent.state).toBe('done');
    expect(got.state).toBe('done');
    expect(sha1Of(got.savedAs!)).toBe(sha1);
  }, 240_000);

  it('a received file is in the conversation after a restart, among the messages, and its preview still works', async () => {
    const olga = await parley('olga');
    let pete = await parley('pete');
    await olga.core.commands.sendMessage({ to: 'pete', body: 'a picture for you' });
    await pete.waitFor((e) => e.type === 'message' && e.body === 'a picture for you');
    // A PNG's signature first, so the core serves it as a preview.
    const { file } = makeFile('holiday.png', 4096);
    const png = fs.readFileSync(file);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png);
    fs.writeFileSync(file, png);
    const { got, sent } = await sendAndAccept(olga, pete, 'pete', file);
    expect(`${sent.state} / ${got.state}`).toBe('done / done');
    await olga.core.commands.sendMessage({ to: 'pete', body: 'did it arrive?' });
    await pete.waitFor((e) => e.type === 'message' && e.body === 'did it arrive?');

    pete = await restart('pete', pete);
    const shown = await conversationWith(pete, aor('olga'));
    expect(shown.map((m) => m.file?.name ?? m.body)).toEqual(['a picture for you', 'holiday.png', 'did it arrive?']);
    expect(shown[1]!.file).toMatchObject({ id: got.id, direction: 'in', state: 'done', size: 4096, savedAs: got.savedAs });
    expect(shown[1]!.file).not.toHaveProperty('missing');
    // Preview and "Show in folder" find it by its id, as before the restart.
    const preview = await pete.core.commands.readFilePreview({ id: got.id, offset: 0 });
    expect(preview).toMatchObject({ type: 'image/png', size: 4096 });
    expect(Buffer.from(preview.data, 'base64').equals(png)).toBe(true);
    expect(pete.core.findFileTransfer!(got.id)?.savedAs).toBe(got.savedAs);
    // Search finds it by its name.
    const hits = await pete.core.commands.searchMessages({ query: 'holiday', limit: 10 });
    expect(hits.map((hit) => hit.message.id)).toEqual([got.id]);
    // The sender's side, restarted too, says it was sent.
    const olgaAgain = await restart('olga', olga);
    expect((await conversationWith(olgaAgain, aor('pete'))).map((m) => m.file?.state ?? m.body)).toEqual([
      'a picture for you',
      'done',
      'did it arrive?',
    ]);
    // The file deleted since: the card is told, and no preview is served.
    fs.rmSync(got.savedAs!);
    expect((await conversationWith(pete, aor('olga')))[1]!.file).toMatchObject({ state: 'done', missing: true });
    await expect(pete.core.commands.readFilePreview({ id: got.id, offset: 0 })).rejects.toThrow(/no longer there/);
  }, 120_000);

  it('a transfer under way when the receiver quits: failed after its restart, saying so, and no part file left', async () => {
    const rosa = await parley('rosa');
    let sam = await parley('sam');
    const { file } = makeFile('archive.zip', 64 * 1024 * 1024);
    const { out } = await underWay(rosa, sam, 'sam', file);
    const folder = await downloads(sam);
    sam = await restart('sam', sam);
    const shown = await conversationWith(sam, aor('rosa'));
    expect(shown.map((m) => m.file && [m.file.name, m.file.state, m.file.reason])).toEqual([
      ['archive.zip', 'failed', 'Parley was closed during the transfer'],
    ]);
    expect(fs.readdirSync(folder)).toEqual([]);
    expect((await rosa.waitFor(settled(out.id), 30_000)).transfer.state).toBe('failed');
  }, 120_000);
});
