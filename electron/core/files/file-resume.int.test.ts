/**
 * Resuming a file transfer after its connection is cut (RFC 5547 §8, docs/DESIGN.md#resuming-a-file),
 * Parley <-> Parley through the bundled Kamailio: the test destroys the MSRP socket carrying the
 * bytes; both sides show the transfer interrupted, the receiver keeps what is on its disk (the
 * part cut back to it), the sender offers the rest by itself once, and again when the user asks;
 * the connection of a resume carries less than the whole file, and the file that arrives has the
 * offered SHA-1. A download cancelled while it waits is deleted, and the sender's resume is then
 * refused.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { RESUME_BACKOFF_MS } from './file-transfers.js';
import { cutAfterWritten, inState, isOffer, isTransfer, makeFile, settled, sha1Of, watchNewSockets } from './testing/files.js';

const names = ['alice', 'bob', 'carol', 'dave'];
let server: RunningServer;
const started: TestCore[] = [];
const folders: string[] = [];
const MB = 1024 * 1024;

beforeAll(async () => {
  server = await startKamailio({ auth: true, users: names.map((user) => ({ user, password: 'secret' })) });
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

async function parley(user: string): Promise<TestCore> {
  const core = await startCore({
    account: { aor: `sip:${user}@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600 },
    password: 'secret',
  });
  started.push(core);
  await core.waitFor(isRegistration('registered'));
  return core;
}

/** Both sides interrupted after a cut: the receiver's card and the sender's, and the part's size then. */
async function interrupted(sender: TestCore, outId: string, receiver: TestCore, inId: string) {
  try {
    const [got, sent] = await Promise.all([
      receiver.waitFor(inState(inId, 'interrupted'), 30_000),
      sender.waitFor(inState(outId, 'interrupted'), 30_000),
    ]);
    return { got: got.transfer, sent: sent.transfer };
  } catch (error) {
    // Which side missed the cut, and where each transfer stands, for a failure that is hard to repeat.
    const cards = async (core: TestCore) => JSON.stringify(await core.core.commands.listFileTransfers({}));
    throw new Error(`${String(error)}\nreceiver: ${await cards(receiver)}\nsender: ${await cards(sender)}`);
  }
}

describe('resuming a file transfer after its connection is cut', () => {
  it('60 MB cut twice: interrupted on both sides, resumed by the sender once by itself and then by the user, only the rest sent, the whole file verified', async () => {
    const alice = await parley('alice');
    const bob = await parley('bob');
    const size = 60 * MB;
    const { file, sha1 } = makeFile(folders, 'film.mkv', size);
    const out = await alice.core.sendLocalFile!('bob', file);
    const offer = (await bob.waitFor(isOffer, 30_000)).transfer;
    await bob.core.commands.answerFileOffer({ id: offer.id, accept: true });
    const downloads = (await bob.core.commands.getFileSettings({})).downloadsDir;
    const part = path.join(downloads, 'film.mkv.part');

    // First cut, a quarter in (the connection carrying the file is the one that writes that much).
    await cutAfterWritten(size / 4);
    const first = await interrupted(alice, out.id, bob, offer.id);
    expect(first.got.transferred).toBeGreaterThan(0);
    expect(first.got.transferred).toBeLessThan(size);
    expect(first.got.reason).toMatch(/connection broke|hung up/);
    // The sender's count is what the receiver confirmed: never more than the receiver kept.
    expect(first.sent.transferred).toBeLessThanOrEqual(first.got.transferred);
    // The part was cut back to the kept bytes before the card said so (the resume writes on only after the back-off).
    const kept = first.got.transferred;
    expect(fs.statSync(part).size).toBe(kept);

    // The sender resumes by itself after its back-off: a new session from where the receiver's confirmations reached.
    const resumed = (
      await bob.waitFor(
        isTransfer((t) => t.id === offer.id && t.state === 'transferring' && t.resumedAt !== undefined),
        30_000,
      )
    ).transfer;
    expect(resumed.resumedAt).toBeGreaterThan(0);
    expect(resumed.resumedAt).toBeLessThanOrEqual(kept);

    // Second cut, an eighth further on: interrupted again, and no second resume by itself.
    // Events from here on only (waitFor also looks at those already seen).
    alice.events.length = 0;
    bob.events.length = 0;
    await cutAfterWritten(size / 8);
    const second = await interrupted(alice, out.id, bob, offer.id);
    expect(second.got.transferred).toBeGreaterThan(kept);
    await new Promise((resolve) => setTimeout(resolve, RESUME_BACKOFF_MS * 2));
    expect((await alice.core.commands.listFileTransfers({})).find((t) => t.id === out.id)?.state).toBe('interrupted');
    await expect(bob.core.commands.resumeFile({ id: offer.id })).rejects.toThrow(/sender resumes/);

    // The user resumes: the connection of this resume carries less than the file, and the whole file arrives verified.
    const watch = watchNewSockets();
    const again = await alice.core.commands.resumeFile({ id: out.id });
    expect(again.state).toBe('connecting');
    const sent = (await alice.waitFor(settled(out.id), 180_000)).transfer;
    const got = (await bob.waitFor(settled(offer.id), 180_000)).transfer;
    const carried = watch.stop();
    expect(`${sent.state} ${sent.reason ?? ''} / ${got.state} ${got.reason ?? ''}`).toBe('done  / done ');
    expect(got.resumedAt).toBeGreaterThan(kept);
    expect(carried).toBeGreaterThan(size - got.resumedAt! - MB);
    expect(carried).toBeLessThan(size - kept);
    expect(got.savedAs).toBe(path.join(downloads, 'film.mkv'));
    expect(sha1Of(got.savedAs!)).toBe(sha1);
    expect(fs.readdirSync(downloads)).toEqual(['film.mkv']);
    // One card each side all along: the same transfer, through both interruptions.
    expect(await bob.core.commands.listFileTransfers({})).toHaveLength(1);
    expect(await alice.core.commands.listFileTransfers({})).toHaveLength(1);
  }, 420_000);

  it("an interrupted download the receiver cancels is deleted, and the sender's resume is refused: it fails with the reason", async () => {
    const carol = await parley('carol');
    const dave = await parley('dave');
    const size = 16 * MB;
    const { file } = makeFile(folders, 'backup.tar', size);
    const out = await carol.core.sendLocalFile!('dave', file);
    const offer = (await dave.waitFor(isOffer, 30_000)).transfer;
    await dave.core.commands.answerFileOffer({ id: offer.id, accept: true });
    const downloads = (await dave.core.commands.getFileSettings({})).downloadsDir;
    await cutAfterWritten(size / 4);
    await interrupted(carol, out.id, dave, offer.id);
    const cancelled = await dave.core.commands.cancelFile({ id: offer.id });
    expect(cancelled.state).toBe('cancelled');
    await expect.poll(() => fs.readdirSync(downloads), { timeout: 10_000 }).toEqual([]);
    // The sender's own resume (after its back-off) finds nothing to continue.
    const sent = (await carol.waitFor(settled(out.id), 30_000)).transfer;
    expect(sent.state).toBe('failed');
    expect(sent.reason).toMatch(/488 No Transfer To Resume/);
  }, 240_000);
});
