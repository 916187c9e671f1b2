import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.js';
import { DraftsRepo } from './drafts-repo.js';

describe('DraftsRepo', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(): DraftsRepo {
    db = openDatabase(dir);
    return new DraftsRepo(db);
  }

  function addConversation(id: string): void {
    db.prepare('INSERT INTO conversations(id, peer, call_id, last_activity) VALUES (?, ?, ?, 0)').run(
      id,
      `sip:${id}@example.org`,
      `call-${id}`,
    );
  }

  it('keeps a draft per conversation across reopening, replaces it, and forgets it when blank', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-drafts-'));
    let repo = open();
    addConversation('c1');
    addConversation('c2');
    expect(repo.save('c1', 'half a thought', 1)).toBe(true);
    expect(repo.save('c2', 'first', 1)).toBe(true);
    expect(repo.save('c2', 'second 🙂\nline', 2)).toBe(true);
    db.close();
    repo = open();
    expect(repo.all()).toEqual({ c1: 'half a thought', c2: 'second 🙂\nline' });
    expect(repo.save('c1', '  \n', 3)).toBe(true);
    expect(repo.all()).toEqual({ c2: 'second 🙂\nline' });
  });

  it('refuses a draft for a conversation that does not exist, and drops drafts with their conversation', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-drafts-'));
    const repo = open();
    expect(repo.save('nope', 'text', 1)).toBe(false);
    addConversation('c1');
    repo.save('c1', 'text', 1);
    db.prepare('DELETE FROM conversations WHERE id = ?').run('c1');
    expect(repo.all()).toEqual({});
  });
});
