import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.js';
import { MAX_OWED_PER_PEER, ReceiptsOwedRepo } from './receipts-owed-repo.js';

describe('ReceiptsOwedRepo', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps what is owed per peer, once each, oldest first, at most MAX_OWED_PER_PEER, and forgets what it hands out', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-owed-'));
    db = openDatabase(dir);
    const repo = new ReceiptsOwedRepo(db);
    const bob = 'sip:bob@example.org';
    for (let i = 0; i < MAX_OWED_PER_PEER + 2; i++) repo.add(bob, { messageRef: `r${i}`, sentAt: i, status: 'delivered' });
    repo.add(bob, { messageRef: 'r5', sentAt: 5, status: 'delivered' }); // the same notification again
    repo.add('sip:carol@example.org', { messageRef: 'c1', sentAt: 1, status: 'displayed' });
    expect(repo.peers().sort()).toEqual([bob, 'sip:carol@example.org']);
    const owed = repo.take(bob);
    expect(owed).toHaveLength(MAX_OWED_PER_PEER);
    expect(owed[0]).toEqual({ messageRef: 'r2', sentAt: 2, status: 'delivered' });
    expect(owed.at(-1)?.messageRef).toBe(`r${MAX_OWED_PER_PEER + 1}`);
    expect(repo.take(bob)).toEqual([]);
    expect(repo.peers()).toEqual(['sip:carol@example.org']);
  });
});
