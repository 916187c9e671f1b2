import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Conversation, FileTransfer, ParleyEvent } from '../../../shared/ipc.js';
import { openDatabase, type Db } from '../../storage/database.js';
import { FileHistoryRepo } from '../../storage/file-history-repo.js';
import { MessagesRepo } from '../../storage/messages-repo.js';
import { silentLogger } from '../../support/logger.js';
import { tempDir } from '../../testing/cores.js';
import { CLOSED_BEFORE_ANSWER, CLOSED_DURING, FileHistory } from './file-history.js';

let dir: string;
let downloads: string;
let db: Db;
let messages: MessagesRepo;
let events: ParleyEvent[];
let history: FileHistory;

function start(): void {
  db = openDatabase(dir);
  messages = new MessagesRepo(db);
  events = [];
  history = new FileHistory({
    repo: new FileHistoryRepo(db),
    messages,
    conversationWith: (peer) => {
      const known = messages.latestWithPeer(peer);
      if (known) return known;
      const made: Conversation = { id: `c-${peer}`, peer, callId: `call-${peer}`, lastActivity: 0, unread: 0 };
      messages.createConversation(made);
      return made;
    },
    ourAddress: () => 'sip:alice@example.org',
    downloadsDir: () => downloads,
    emit: (event) => events.push(event),
    logger: silentLogger,
  });
}

/** A restart: the database closed and opened again, a new FileHistory on it. */
async function restart(): Promise<void> {
  db.close();
  start();
  await history.settleLeftovers();
}

beforeEach(() => {
  dir = tempDir('parley-file-history-core-');
  downloads = path.join(dir, 'downloads');
  fs.mkdirSync(downloads);
  start();
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const offer: FileTransfer = {
  id: 'aaaaaaaaaaaaaaaa',
  peer: 'sip:bob@example.org',
  direction: 'in',
  name: 'photo.png',
  size: 10,
  type: 'image/png',
  state: 'offered',
  transferred: 0,
  startedAt: 1000,
};

const conversationId = 'c-sip:bob@example.org';
const page = () => messages.page(conversationId, undefined, 50);

describe('FileHistory', () => {
  it('stores a transfer once, as a message of its conversation, and its states but not its progress', async () => {
    const part = path.join(downloads, 'photo.png.part');
    const saved = path.join(downloads, 'photo.png');
    history.record(offer, undefined);
    history.record({ ...offer, state: 'connecting' }, part);
    history.record({ ...offer, state: 'transferring' }, part);
    history.record({ ...offer, state: 'transferring', transferred: 5 }, part);
    history.record({ ...offer, state: 'done', transferred: 10, savedAs: saved }, part);
    expect(page()).toHaveLength(1);
    expect(page()[0]).toMatchObject({
      id: offer.id,
      direction: 'in',
      from: 'sip:bob@example.org',
      to: 'sip:alice@example.org',
      body: 'photo.png',
      file: { state: 'done', savedAs: saved },
    });
    // Announced as a message (once), with the conversation's new unread count.
    expect(events.filter((e) => e.type === 'message').map((e) => e.type === 'message' && e.file?.state)).toEqual(['offered']);
    expect(events.find((e) => e.type === 'conversation')).toMatchObject({ conversation: { unread: 1, lastActivity: 1000 } });
    // Done: nothing left to clean up at the next start.
    fs.writeFileSync(saved, 'x');
    await restart();
    expect(page()[0]!.file).toMatchObject({ state: 'done', savedAs: saved });
    expect(fs.existsSync(saved)).toBe(true);
  });

  it('settles at the next start what Parley was closed during, and deletes its part file', async () => {
    const part = path.join(downloads, 'big.iso.part');
    fs.writeFileSync(part, 'half');
    history.record({ ...offer, id: 'going00000000000', name: 'big.iso' }, undefined);
    history.record({ ...offer, id: 'going00000000000', name: 'big.iso', state: 'transferring' }, part);
    history.record({ ...offer, id: 'waiting000000000', startedAt: 2000 }, undefined);
    history.record({ ...offer, id: 'sending000000000', direction: 'out', startedAt: 3000, state: 'connecting' }, undefined);
    history.stopping();
    // What the teardown says after that is not stored: the next start says why.
    history.record({ ...offer, id: 'going00000000000', name: 'big.iso', state: 'failed', reason: 'Parley went offline' }, part);
    await restart();
    const files = page().map((m) => [m.id, m.file?.state, m.file?.reason]);
    expect(files).toEqual([
      ['going00000000000', 'failed', CLOSED_DURING],
      ['waiting000000000', 'failed', CLOSED_BEFORE_ANSWER],
      ['sending000000000', 'failed', CLOSED_DURING],
    ]);
    expect(fs.existsSync(part)).toBe(false);
    // Settled once: a second start changes nothing.
    await restart();
    expect(page().map((m) => m.file?.state)).toEqual(['failed', 'failed', 'failed']);
  });

  it('deletes at the next start the part of a transfer that failed, should Parley stop before the transfer did', async () => {
    const part = path.join(downloads, 'x.bin.part');
    history.record(offer, undefined);
    history.record({ ...offer, state: 'transferring' }, part);
    history.record({ ...offer, state: 'failed', reason: 'the peer ended the transfer' }, part);
    fs.writeFileSync(part, 'left behind'); // the transfer's own deletion did not happen
    await restart();
    expect(fs.existsSync(part)).toBe(false);
    expect(page()[0]!.file).toMatchObject({ state: 'failed', reason: 'the peer ended the transfer' });
  });

  it('marks a received file no longer on disk as missing, each time messages are shown', async () => {
    const saved = path.join(downloads, 'photo.png');
    fs.writeFileSync(saved, 'png');
    history.record(offer, undefined);
    history.record({ ...offer, state: 'done', transferred: 10, savedAs: saved }, undefined);
    expect((await history.onDisk(page()))[0]!.file).not.toHaveProperty('missing');
    fs.rmSync(saved);
    expect((await history.onDisk(page()))[0]!.file).toMatchObject({ missing: true });
    // Never stored: it is what the disk says when shown.
    expect(page()[0]!.file).not.toHaveProperty('missing');
  });

  it('finds a stored transfer by its id, with its savedAs only inside the downloads folder', () => {
    const inside = path.join(downloads, 'photo.png');
    history.record(offer, undefined);
    history.record({ ...offer, state: 'done', savedAs: inside }, undefined);
    expect(history.find(offer.id)?.savedAs).toBe(inside);
    downloads = path.join(dir, 'elsewhere');
    expect(history.find(offer.id)).toMatchObject({ id: offer.id, state: 'done' });
    expect(history.find(offer.id)).not.toHaveProperty('savedAs');
    expect(history.find('unknown')).toBeUndefined();
  });

  it('keeps a transfer going when the history cannot store it', () => {
    db.close();
    expect(() => history.record(offer, undefined)).not.toThrow();
  });
});
