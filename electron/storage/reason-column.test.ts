import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reason } from '../../shared/domain/reason.js';
import { wordReason } from '../../shared/words/word-reason.js';
import { migrate, type Db } from './database.js';
import { databaseBefore, seedConversation, seedMessages } from './history/testing/history-fixture.js';
import { MessagesRepo } from './messages-repo.js';
import { migrations } from './migrations.js';
import { reasonFromColumn, reasonToColumn } from './reason-column.js';

const offline: Reason = { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } };

describe('the reason column', () => {
  it('keeps a reason as JSON and reads it back', () => {
    expect(reasonToColumn(undefined)).toBeNull();
    expect(reasonFromColumn(null)).toBeUndefined();
    expect(reasonFromColumn(reasonToColumn(offline))).toEqual(offline);
    expect(reasonFromColumn(reasonToColumn({ code: 'delivery.refused' }))).toEqual({ code: 'delivery.refused' });
  });

  it('reads text that is no reason as that text, and leaves out a code it does not know', () => {
    expect(reasonFromColumn('Bob is offline.')).toEqual({ code: 'legacy', params: { text: 'Bob is offline.' } });
    expect(reasonFromColumn('404')).toEqual({ code: 'legacy', params: { text: '404' } });
    expect(reasonFromColumn('{"code":"delivery.from-the-future","params":{}}')).toBeUndefined();
    expect(reasonFromColumn('{"code":"delivery.offline","params":{}}')).toBeUndefined(); // its peer is missing
  });
});

describe('the reason migration', () => {
  let dir: string | undefined;
  let db: Db | undefined;
  afterEach(() => {
    if (db?.open) db.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('turns the sentences of earlier releases into legacy reasons, worded as they were, and loses no message', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-reasons-'));
    db = databaseBefore(dir, "json_object('code', 'legacy'");
    seedConversation(db, { id: 'c1' });
    seedMessages(db, [
      { id: 'failed', conversationId: 'c1', direction: 'out', body: 'ping', state: 'failed', code: 480 },
      { id: 'quote', conversationId: 'c1', direction: 'out', body: 'pong', state: 'failed', code: 404 },
      { id: 'fine', conversationId: 'c1', direction: 'out', body: 'hello' },
    ]);
    // What the release before wrote: a sentence, whatever it says.
    const sentence = 'sip:bob@example.org is offline and the server could not keep the message.';
    db.prepare('UPDATE messages SET reason = ? WHERE id = ?').run(sentence, 'failed');
    db.prepare('UPDATE messages SET reason = ? WHERE id = ?').run('He said "no" {sic}', 'quote');

    migrate(db);
    const repo = new MessagesRepo(db);

    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const failed = repo.message('failed')!;
    expect(failed).toMatchObject({ state: 'failed', code: 480, reason: { code: 'legacy', params: { text: sentence } } });
    expect(wordReason(failed.reason!)).toBe(sentence);
    expect(wordReason(repo.message('quote')!.reason!)).toBe('He said "no" {sic}');
    expect(repo.message('fine')).not.toHaveProperty('reason');
    expect(repo.page('c1', undefined, 10).map((m) => m.id)).toEqual(['failed', 'quote', 'fine']);
  });
});
