import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../storage/database.js';
import { DraftsRepo } from '../../storage/drafts-repo.js';
import { UserError } from '../core.js';
import { chatHandlers } from './chat-commands.js';
import type { Messaging } from './messaging.js';

describe('saveDraft', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the draft of a known conversation and refuses one for an unknown conversation', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-draft-cmd-'));
    db = openDatabase(dir);
    db.prepare("INSERT INTO conversations(id, peer, call_id, last_activity) VALUES ('c1', 'sip:bob@example.org', 'call-1', 0)").run();
    const drafts = new DraftsRepo(db);
    // saveDraft does not reach messaging; nothing else of it is called here.
    const handlers = chatHandlers({} as Messaging, drafts, { now: () => 42, setTimeout: () => 0, clearTimeout: () => {} });
    await expect(handlers.saveDraft({ conversationId: 'c1', text: 'see you at 5' })).resolves.toEqual({ saved: true });
    expect(drafts.all()).toEqual({ c1: 'see you at 5' });
    expect(db.prepare('SELECT updated_at FROM drafts').get()).toEqual({ updated_at: 42 });
    await expect(handlers.saveDraft({ conversationId: 'gone', text: 'x' })).rejects.toBeInstanceOf(UserError);
    await expect(handlers.saveDraft({ conversationId: 'c1', text: '' })).resolves.toEqual({ saved: true });
    expect(drafts.all()).toEqual({});
  });
});
