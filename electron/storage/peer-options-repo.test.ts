import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.js';
import { PeerOptionsRepo } from './peer-options-repo.js';

describe('PeerOptionsRepo', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores per-peer options, replaces them, and keeps them across reopening', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-peer-'));
    db = openDatabase(dir);
    const repo = new PeerOptionsRepo(db);
    expect(repo.get('sip:carol@example.org')).toBeUndefined();
    repo.set('sip:carol@example.org', { newCallIdPerMessage: true, decidedBy: 'auto' });
    repo.set('sip:carol@example.org', { newCallIdPerMessage: false, decidedBy: 'user' });
    db.close();
    db = openDatabase(dir);
    expect(new PeerOptionsRepo(db).get('sip:carol@example.org')).toEqual({ newCallIdPerMessage: false, decidedBy: 'user' });
  });
});
