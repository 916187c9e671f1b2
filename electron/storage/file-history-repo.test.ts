import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, FileTransfer } from '../../shared/ipc.js';
import { tempDir } from '../testing/cores.js';
import { migrate, openDatabase, type Db } from './database.js';
import { FileHistoryRepo } from './file-history-repo.js';
import { HistoryReader } from './history/history-reader.js';
import { databaseBefore, indexQueued, seedConversation, seedMessages } from './history/testing/history-fixture.js';
import { MessagesRepo } from './messages-repo.js';
import { migrations } from './migrations.js';

let dir: string;
let db: Db;
let messages: MessagesRepo;
let files: FileHistoryRepo;

function open(): void {
  db = openDatabase(dir);
  messages = new MessagesRepo(db);
  files = new FileHistoryRepo(db);
}

beforeEach(() => {
  dir = tempDir('parley-file-history-');
  open();
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const transfer: FileTransfer = {
  id: '0123456789abcdef',
  peer: 'sip:bob@example.org',
  direction: 'in',
  name: 'Quarterly report.pdf',
  size: 2048,
  type: 'application/pdf',
  state: 'offered',
  transferred: 0,
  startedAt: 5000,
};

function fileMessage(file: FileTransfer, order: number): ChatMessage {
  return {
    id: file.id,
    conversationId: 'c1',
    direction: file.direction,
    from: file.direction === 'in' ? file.peer : 'sip:alice@example.org',
    to: file.direction === 'in' ? 'sip:alice@example.org' : file.peer,
    callId: '',
    cseq: 0,
    contentType: file.type,
    body: file.name,
    at: file.startedAt,
    order,
    state: file.direction === 'in' ? 'received' : 'delivered',
    file,
  };
}

describe('file transfers in the history', () => {
  beforeEach(() => {
    seedConversation(db, { id: 'c1' });
    seedMessages(db, [
      { id: 'before', conversationId: 'c1', body: 'here it comes', at: 4000, order: 1 },
      { id: 'after', conversationId: 'c1', body: 'got it?', at: 6000, order: 3 },
    ]);
  });

  it('keeps a transfer as a message among the others, and its later states, across a reopen', () => {
    expect(messages.insert(fileMessage(transfer, 2))).toBe(true);
    expect(files.update({ ...transfer, state: 'done', transferred: 2048, savedAs: '/d/Quarterly report.pdf' })).toBe(true);
    db.close();
    open();
    const page = messages.page('c1', undefined, 10);
    expect(page.map((m) => m.id)).toEqual(['before', transfer.id, 'after']);
    expect(page[1]).toMatchObject({
      body: 'Quarterly report.pdf',
      state: 'received',
      file: { state: 'done', savedAs: '/d/Quarterly report.pdf' },
    });
    // The worker's pages read the same rows.
    expect(new HistoryReader(db).page('c1', {}, 10)[1]!.file).toEqual({
      ...transfer,
      state: 'done',
      transferred: 2048,
      savedAs: '/d/Quarterly report.pdf',
    });
    expect(files.transfer(transfer.id)?.state).toBe('done');
    expect(files.transfer('before')).toBeUndefined(); // a text message has no transfer
    expect(files.update({ ...transfer, id: 'nope' })).toBe(false);
    // Text messages are what they were.
    expect(page[0]).not.toHaveProperty('file');
  });

  it('is found by its name in search, and listed in the export with what became of it', () => {
    messages.insert(fileMessage({ ...transfer, state: 'failed', reason: 'Parley was closed during the transfer' }, 2));
    indexQueued(db);
    const reader = new HistoryReader(db);
    expect(reader.search('quarterly', undefined, 10).map((hit) => hit.message.id)).toEqual([transfer.id]);
    const text = [...reader.exportConversation('c1', 'text', 9000).pieces].join('');
    expect(text).toContain('(file, 2.0 KB, Not received: Parley was closed during the transfer): Quarterly report.pdf');
    const json = JSON.parse([...reader.exportConversation('c1', 'json', 9000).pieces].join('')) as { messages: ChatMessage[] };
    expect(json.messages[1]!.file).toMatchObject({ name: 'Quarterly report.pdf', state: 'failed' });
  });

  it('keeps a ledger of transfers not settled, with the part file once it is named', () => {
    files.open('t1');
    files.open('t2');
    files.open('t1', '/d/a.pdf.part');
    files.open('t1'); // a later note without a part keeps it
    expect(files.unsettled()).toEqual([{ id: 't1', part: '/d/a.pdf.part' }, { id: 't2' }]);
    files.settled('t1');
    db.close();
    open();
    expect(files.unsettled()).toEqual([{ id: 't2' }]);
  });

  it('reads a file column that is not a transfer as a message without a file', () => {
    messages.insert(fileMessage(transfer, 2));
    db.prepare('UPDATE messages SET file = ? WHERE id = ?').run('{"name":"x"}', transfer.id);
    const stored = messages.message(transfer.id)!;
    expect(stored.body).toBe('Quarterly report.pdf');
    expect(stored).not.toHaveProperty('file');
    db.prepare('UPDATE messages SET file = ? WHERE id = ?').run('not json', transfer.id);
    expect(messages.message(transfer.id)).not.toHaveProperty('file');
  });

  it('clears a finished transfer with the history, and keeps one still going', () => {
    messages.insert(fileMessage({ ...transfer, id: 'going00000000000', state: 'transferring' }, 2));
    messages.insert(fileMessage({ ...transfer, id: 'ended00000000000', state: 'declined' }, 4));
    messages.clearMessages('c1');
    expect(messages.page('c1', undefined, 10).map((m) => m.id)).toEqual(['going00000000000']);
  });
});

describe('the file history migration', () => {
  it('adds files to a history that had none, and loses no message', () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    db = databaseBefore(dir, 'CREATE TABLE file_parts');
    seedConversation(db, { id: 'c1' });
    seedMessages(db, [
      { id: 'a', conversationId: 'c1', body: 'one' },
      { id: 'b', conversationId: 'c1', direction: 'out', body: 'two' },
    ]);
    migrate(db);
    messages = new MessagesRepo(db);
    files = new FileHistoryRepo(db);
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    const page = messages.page('c1', undefined, 10);
    expect(page.map((m) => [m.id, m.body])).toEqual([
      ['a', 'one'],
      ['b', 'two'],
    ]);
    expect(page.some((m) => 'file' in m)).toBe(false);
    expect(files.unsettled()).toEqual([]);
    expect(messages.insert(fileMessage(transfer, 3))).toBe(true);
    expect(messages.message(transfer.id)?.file?.name).toBe('Quarterly report.pdf');
  });
});
