import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, Conversation } from '../../shared/ipc.js';
import { migrate, openDatabase, type Db } from './database.js';
import { CSEQ_STEP, MessagesRepo } from './messages-repo.js';
import { migrations } from './migrations.js';

let dir: string;
let db: Db;
let repo: MessagesRepo;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-messages-'));
  db = openDatabase(dir);
  repo = new MessagesRepo(db);
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function reopen(): void {
  db.close();
  db = openDatabase(dir);
  repo = new MessagesRepo(db);
}

function conversation(id: string, peer = 'sip:bob@example.org', lastActivity = 1000): Conversation {
  return { id, peer, callId: `call-${id}`, lastActivity, unread: 0 };
}

let counter = 0;
function message(conversationId: string, at: number, extra: Partial<ChatMessage> = {}): ChatMessage {
  counter++;
  return {
    id: `m${counter}`,
    conversationId,
    direction: 'out',
    from: 'sip:alice@example.org',
    to: 'sip:bob@example.org',
    callId: `call-${conversationId}`,
    cseq: counter,
    contentType: 'text/plain',
    body: `body ${counter}`,
    at,
    order: counter,
    state: 'queued',
    ...extra,
  };
}

describe('MessagesRepo conversations', () => {
  it('creates and reads a conversation', () => {
    repo.createConversation(conversation('c1'));
    expect(repo.conversation('c1')).toEqual(conversation('c1'));
    expect(repo.conversation('nope')).toBeUndefined();
  });

  it('takes strictly increasing CSeqs from 1, leaving room for a digest retry, and they survive reopening the database', () => {
    repo.createConversation(conversation('c1'));
    repo.createConversation(conversation('c2', 'sip:carol@example.org'));
    expect([repo.takeCSeq('c1'), repo.takeCSeq('c1'), repo.takeCSeq('c1')]).toEqual([1, 1 + CSEQ_STEP, 1 + 2 * CSEQ_STEP]);
    expect(CSEQ_STEP).toBeGreaterThanOrEqual(2);
    expect(repo.takeCSeq('c2')).toBe(1);
    reopen();
    expect(repo.takeCSeq('c1')).toBe(1 + 3 * CSEQ_STEP);
    expect(repo.takeCSeq('c2')).toBe(1 + CSEQ_STEP);
  });

  it('refuses to take a CSeq for an unknown conversation', () => {
    expect(() => repo.takeCSeq('ghost')).toThrow(/no conversation ghost/);
  });

  it('finds a conversation by its own Call-ID or by an alias', () => {
    repo.createConversation(conversation('c1'));
    repo.createConversation(conversation('c2', 'sip:carol@example.org'));
    repo.addAlias('fresh-call-id-1', 'c1');
    repo.addAlias('fresh-call-id-2', 'c1');
    expect(repo.conversationByCallId('call-c1')?.id).toBe('c1');
    expect(repo.conversationByCallId('call-c2')?.id).toBe('c2');
    expect(repo.conversationByCallId('fresh-call-id-1')?.id).toBe('c1');
    expect(repo.conversationByCallId('fresh-call-id-2')).toEqual(conversation('c1'));
    expect(repo.conversationByCallId('unknown')).toBeUndefined();
  });

  it('keeps the first conversation an alias was given to', () => {
    repo.createConversation(conversation('c1'));
    repo.createConversation(conversation('c2', 'sip:carol@example.org'));
    repo.addAlias('shared', 'c1');
    repo.addAlias('shared', 'c2');
    repo.addAlias('shared', 'c1');
    expect(repo.conversationByCallId('shared')?.id).toBe('c1');
  });

  it('refuses a second conversation with the same Call-ID and an alias to a missing conversation', () => {
    repo.createConversation(conversation('c1'));
    expect(() => repo.createConversation({ ...conversation('c9'), callId: 'call-c1' })).toThrow();
    expect(() => repo.addAlias('x', 'missing')).toThrow();
  });

  it('latestWithPeer picks the most recently active conversation with that peer', () => {
    repo.createConversation(conversation('old', 'sip:bob@example.org', 100));
    repo.createConversation(conversation('new', 'sip:bob@example.org', 300));
    repo.createConversation(conversation('other', 'sip:carol@example.org', 999));
    expect(repo.latestWithPeer('sip:bob@example.org')?.id).toBe('new');
    repo.touch('old', 500, 0);
    expect(repo.latestWithPeer('sip:bob@example.org')?.id).toBe('old');
    expect(repo.latestWithPeer('sip:nobody@example.org')).toBeUndefined();
  });

  it('touch never moves last activity backwards and adds to unread', () => {
    repo.createConversation(conversation('c1', 'sip:bob@example.org', 1000));
    repo.touch('c1', 2000, 1);
    repo.touch('c1', 1500, 2);
    expect(repo.conversation('c1')).toMatchObject({ lastActivity: 2000, unread: 3 });
  });

  it('lists conversations most recent first', () => {
    repo.createConversation(conversation('a', 'sip:a@x', 10));
    repo.createConversation(conversation('b', 'sip:b@x', 30));
    repo.createConversation(conversation('c', 'sip:c@x', 20));
    expect(repo.conversations().map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });
});

describe('MessagesRepo messages', () => {
  beforeEach(() => {
    repo.createConversation(conversation('c1'));
    repo.createConversation(conversation('c2', 'sip:carol@example.org'));
  });

  it('stores a message and reads it back, without reason/code when they are unset', () => {
    const m = message('c1', 100);
    expect(repo.insert(m)).toBe(true);
    expect(repo.page('c1', undefined, 10)).toEqual([m]);
    expect('reason' in repo.page('c1', undefined, 10)[0]!).toBe(false);
  });

  it('clears the history of a conversation, or all, keeping what the outbox still holds', () => {
    const kept = message('c1', 100, { state: 'queued' });
    repo.insert(kept);
    repo.insert(message('c1', 110, { state: 'delivered' }));
    repo.insert(message('c1', 120, { direction: 'in', state: 'received', callId: 'theirs', cseq: 3 }), 'tag');
    repo.touch('c1', 120, 1);
    repo.insert(message('c2', 130, { state: 'delivered' }));
    expect(repo.clearMessages('c1')).toBe(2);
    expect(repo.page('c1', undefined, 10)).toEqual([kept]);
    expect(repo.conversation('c1')?.unread).toBe(0);
    expect(repo.page('c2', undefined, 10)).toHaveLength(1);
    expect(repo.clearMessages()).toBe(1);
    expect(repo.page('c2', undefined, 10)).toEqual([]);
    expect(repo.outbox().map((row) => row.message.id)).toEqual([kept.id]);
  });

  /** Matching as a receiver does at `now` (epoch ms) with the 32 s window. */
  const at = (now: number, samePerTag = false, messageRef?: string) => ({ samePerTag, since: now - 32_000, messageRef });

  it('knows a copy of an incoming message: same Call-ID, CSeq, From tag and text, within the window', () => {
    const first = message('c1', 100_000, { direction: 'in', state: 'received', callId: 'their-call', cseq: 7 });
    const again = { ...first, id: 'another-id' };
    expect(repo.isDuplicate(first, 'ftag', at(100_000))).toBe(false);
    expect(repo.insert(first, 'ftag')).toBe(true);
    expect(repo.isDuplicate(again, 'ftag', at(100_000))).toBe(true);
    expect(repo.isDuplicate(again, 'ftag', at(132_000))).toBe(true);
    // A sender that restarted its CSeq may reuse all three for a new text: not a copy.
    expect(repo.isDuplicate({ ...again, body: 'something new' }, 'ftag', at(100_001))).toBe(false);
  });

  it('after the window the same Call-ID, CSeq, From tag and text are a new message (a restarted sender said it again)', () => {
    const first = message('c1', 100_000, { direction: 'in', state: 'received', callId: 'their-call', cseq: 1, body: 'hi' });
    repo.insert(first, 'ftag');
    expect(repo.isDuplicate({ ...first, id: 'later' }, 'ftag', at(132_001))).toBe(false);
    expect(repo.isDuplicate({ ...first, id: 'later' }, 'ftag', at(137_000))).toBe(false);
  });

  it('is not fooled by a different CSeq, Call-ID or From tag', () => {
    const base = message('c1', 100, { direction: 'in', state: 'received', callId: 'their-call', cseq: 7 });
    expect(repo.insert(base, 'ftag')).toBe(true);
    expect(repo.isDuplicate({ ...base, id: 'x1', cseq: 8 }, 'ftag', at(100))).toBe(false);
    expect(repo.isDuplicate({ ...base, id: 'x2', callId: 'other-call' }, 'ftag', at(100))).toBe(false);
    expect(repo.isDuplicate({ ...base, id: 'x3' }, 'other-tag', at(100))).toBe(false);
    // An outgoing message is never a copy of an incoming one.
    repo.insert(message('c1', 100, { callId: 'mine', cseq: 3 }), 'mytag');
    expect(repo.isDuplicate(message('c1', 100, { direction: 'in', callId: 'mine', cseq: 3 }), 'mytag', at(100))).toBe(false);
  });

  it('with a tag that names one message: a copy one CSeq away (a digest retry) is the same message, and so is one a day later', () => {
    const first = message('c1', 100, { direction: 'in', state: 'received', callId: 'their-call', cseq: 7 });
    repo.insert(first, 'parley-x');
    expect(repo.isDuplicate({ ...first, cseq: 8 }, 'parley-x', at(100, true))).toBe(true);
    expect(repo.isDuplicate({ ...first, cseq: 8 }, 'parley-x', at(100))).toBe(false);
    expect(repo.isDuplicate({ ...first, cseq: 9 }, 'parley-x', at(100, true))).toBe(false);
    // an outbox resend after a crash and a restart, whenever it comes
    expect(repo.isDuplicate({ ...first, id: 'resent' }, 'parley-x', at(100 + 86_400_000, true))).toBe(true);
  });

  it('a message the sender named (CPIM/IMDN Message-ID) is known by that name, at any time, whatever its Call-ID', () => {
    const first = message('c1', 100, { direction: 'in', state: 'received', from: 'sip:carol@example.org', callId: 'call-1', cseq: 1 });
    repo.insert(first, 'tag-1', 0, 'imdn-42');
    const copy = { ...first, id: 'copy', callId: 'call-2', cseq: 5 };
    expect(repo.isDuplicate(copy, 'tag-2', at(100 + 86_400_000, false, 'imdn-42'))).toBe(true);
    // another name, or the same name from someone else, is another message
    expect(repo.isDuplicate(copy, 'tag-2', at(100 + 86_400_000, false, 'imdn-43'))).toBe(false);
    expect(repo.isDuplicate({ ...copy, from: 'sip:mallory@example.org' }, 'tag-2', at(100 + 86_400_000, false, 'imdn-42'))).toBe(false);
    // an outgoing message keeps no name of this kind
    repo.insert(message('c1', 100, { from: 'sip:carol@example.org', callId: 'call-3' }), 'mytag', undefined, 'imdn-99');
    expect(repo.isDuplicate(copy, 'tag-2', at(100, false, 'imdn-99'))).toBe(false);
  });

  it('knows a copy of an incoming message without a From tag', () => {
    const first = message('c1', 100, { direction: 'in', state: 'received', callId: 'rfc2543-call', cseq: 3 });
    expect(repo.insert(first)).toBe(true);
    expect(repo.isDuplicate({ ...first, id: 'dup-without-tag' }, '', at(100))).toBe(true);
  });

  it('appends at the next whole order when none is given, and keeps a given one', () => {
    const a = message('c1', 100);
    repo.insert(a);
    const { order: _, ...b } = message('c1', 100);
    repo.insert(b);
    expect(repo.message(b.id)!.order).toBe(a.order! + 1);
    repo.insert(message('c1', 100, { order: a.order! + 0.5 }));
    expect(repo.nextOrder('c1')).toBe(a.order! + 2);
    expect(repo.nextOrder('c2')).toBe(1);
  });

  it('tells the latest CSeq run of a sender on a Call-ID, and the slot of a late message in it', () => {
    const incoming = (cseq: number, order: number, epoch: number) => {
      const m = message('c1', 100, { direction: 'in', state: 'received', callId: 'run-call', cseq, order, from: 'sip:bob@example.org' });
      repo.insert(m, 'tag', epoch);
    };
    expect(repo.incomingRun('run-call', 'sip:bob@example.org')).toBeUndefined();
    incoming(1, 10, 0);
    incoming(5, 11, 0);
    incoming(2, 12, 1);
    incoming(6, 14, 1);
    expect(repo.incomingRun('run-call', 'sip:bob@example.org')).toEqual({ epoch: 1, minCSeq: 2, maxCSeq: 6 });
    expect(repo.runHas('run-call', 'sip:bob@example.org', 1, 6)).toBe(true);
    expect(repo.runHas('run-call', 'sip:bob@example.org', 1, 5)).toBe(false);
    expect(repo.slotInRun('c1', 'run-call', 'sip:bob@example.org', 1, 4)).toEqual({ previous: 12, next: 14 });
    expect(repo.slotInRun('c1', 'run-call', 'sip:bob@example.org', 1, 9)).toEqual({});
    expect(repo.incomingRun('run-call', 'sip:carol@example.org')).toBeUndefined();
  });

  it('keeps the outbox: undelivered outgoing messages with their From tags, by conversation and CSeq', () => {
    const late = message('c1', 100, { cseq: 9 });
    const early = message('c1', 100, { cseq: 3, state: 'sending' });
    const failed = message('c2', 100, {
      state: 'failed',
      code: 480,
      reason: { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } },
    });
    const done = message('c1', 100, { state: 'delivered' });
    for (const [m, tag] of [
      [late, 't-late'],
      [early, 't-early'],
      [failed, 't-failed'],
      [done, 't-done'],
    ] as const)
      repo.insert(m, tag);
    expect(repo.outbox().map((r) => [r.message.id, r.fromTag])).toEqual([
      [early.id, 't-early'],
      [late.id, 't-late'],
      [failed.id, 't-failed'],
    ]);
    expect(repo.outgoing(done.id)).toEqual({ message: done, fromTag: 't-done' });
    repo.setStateSoon(late.id, 'delivered');
    expect(repo.outbox().map((r) => r.message.id)).toEqual([early.id, failed.id]);
  });

  it('keeps sentAt and the text rendering of a message', () => {
    const m = message('c1', 100, {
      direction: 'in',
      state: 'received',
      contentType: 'text/html',
      body: '<b>hi</b>',
      text: 'hi',
      sentAt: 50,
    });
    repo.insert(m, 'tag');
    expect(repo.message(m.id)).toEqual(m);
  });

  it('markRead sets unread to 0', () => {
    repo.touch('c1', 100, 3);
    expect(repo.markRead('c1')).toMatchObject({ id: 'c1', unread: 0 });
    expect(repo.markRead('ghost')).toBeUndefined();
  });

  it('does not deduplicate outgoing messages by Call-ID and CSeq', () => {
    const out = message('c1', 100, { callId: 'mine', cseq: 1 });
    expect(repo.insert(out)).toBe(true);
    expect(repo.insert({ ...out, id: 'resend' })).toBe(true);
  });

  it('refuses a second message with the same id', () => {
    const m = message('c1', 100);
    expect(repo.insert(m)).toBe(true);
    expect(repo.insert({ ...m, body: 'changed' })).toBe(false);
    expect(repo.page('c1', undefined, 10)[0]!.body).toBe(m.body);
  });

  it('setState updates the message, and clears reason/code when not given', () => {
    const m = message('c1', 100);
    repo.insert(m);
    const offline = { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } } as const;
    expect(repo.setState(m.id, 'failed', offline, 480)).toBe(true);
    expect(repo.message(m.id)).toEqual({ ...m, state: 'failed', reason: offline, code: 480 });
    expect(repo.setState(m.id, 'delivered')).toBe(true);
    expect(repo.message(m.id)).toEqual({ ...m, state: 'delivered' });
    expect(repo.page('c1', undefined, 10)).toEqual([{ ...m, state: 'delivered' }]);
    expect(repo.setState('missing', 'delivered')).toBe(false);
  });

  it('page orders by order, not by arrival', () => {
    const first = message('c1', 100, { order: 2 });
    const late = message('c1', 200, { order: 1.5 });
    repo.insert(first);
    repo.insert(late);
    expect(repo.page('c1', undefined, 10).map((m) => m.id)).toEqual([late.id, first.id]);
  });

  it('page returns the latest messages before a time, oldest first, ties in insertion order', () => {
    const ms = [message('c1', 100), message('c1', 200), message('c1', 200), message('c1', 300), message('c1', 400), message('c2', 250)];
    for (const m of ms) repo.insert(m);
    const ids = (list: ChatMessage[]) => list.map((m) => m.id);
    expect(ids(repo.page('c1', undefined, 10))).toEqual(ids(ms.slice(0, 5)));
    expect(ids(repo.page('c1', undefined, 2))).toEqual(ids([ms[3]!, ms[4]!]));
    expect(ids(repo.page('c1', 300, 10))).toEqual(ids(ms.slice(0, 3)));
    expect(ids(repo.page('c1', 300, 2))).toEqual(ids([ms[1]!, ms[2]!]));
    expect(ids(repo.page('c1', 100, 10))).toEqual([]);
    expect(ids(repo.page('c2', undefined, 10))).toEqual([ms[5]!.id]);
    expect(repo.page('nope', undefined, 10)).toEqual([]);
  });

  it('recent returns the latest N of each conversation, oldest first overall', () => {
    const a1 = message('c1', 100);
    const a2 = message('c1', 300);
    const a3 = message('c1', 500);
    const b1 = message('c2', 200);
    const b2 = message('c2', 400);
    const b3 = message('c2', 400);
    for (const m of [a1, a2, a3, b1, b2, b3]) repo.insert(m);
    expect(repo.recent(2, 10).map((m) => m.id)).toEqual([a2.id, b2.id, b3.id, a3.id]);
    expect(repo.recent(1, 10).map((m) => m.id)).toEqual([b3.id, a3.id]);
    expect(repo.recent(10, 10)).toHaveLength(6);
    expect(repo.recent(2, 10)[0]).toEqual(a2);
  });

  it('recent gives the latest N only to the most recently active conversations, the latest one to the others', () => {
    const a = [message('c1', 100), message('c1', 300), message('c1', 500)];
    const b = [message('c2', 200), message('c2', 400)];
    for (const m of [...a, ...b]) repo.insert(m);
    repo.touch('c1', 5000, 0);
    repo.touch('c2', 4000, 0);
    expect(repo.recent(2, 1).map((m) => m.id)).toEqual([a[1]!.id, b[1]!.id, a[2]!.id]);
    repo.touch('c2', 9000, 0); // c2 is now the most recent
    expect(repo.recent(2, 1).map((m) => m.id)).toEqual([b[0]!.id, b[1]!.id, a[2]!.id]);
    expect(repo.recent(2, 0).map((m) => m.id)).toEqual([b[1]!.id, a[2]!.id]);
  });
});

describe('openDatabase / migrate', () => {
  it('applies the migrations once, in WAL mode, and reopening keeps the data', () => {
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    repo.createConversation(conversation('c1'));
    repo.insert(message('c1', 1));
    reopen();
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(repo.conversation('c1')?.id).toBe('c1');
    expect(repo.page('c1', undefined, 10)).toHaveLength(1);
    reopen();
    expect(repo.conversations()).toHaveLength(1);
  });

  it('migrate on an up-to-date database changes nothing', () => {
    repo.createConversation(conversation('c1'));
    expect(() => migrate(db)).not.toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(repo.conversations()).toHaveLength(1);
  });

  it('creates the data directory when it is missing', () => {
    const nested = path.join(dir, 'deep', 'er');
    const other = openDatabase(nested, 'other.sqlite');
    try {
      expect(fs.existsSync(path.join(nested, 'other.sqlite'))).toBe(true);
      expect(other.pragma('user_version', { simple: true })).toBe(migrations.length);
    } finally {
      other.close();
    }
  });
});

describe('MessagesRepo copies of sent messages and read marks of other devices', () => {
  it('knows a copy by the Call-ID, CSeq and From tag it came with, and places a late one before the later copies', () => {
    repo.createConversation(conversation('c1'));
    repo.insert(message('c1', 1000, { callId: 'other-device', cseq: 4, order: 1, state: 'delivered' }), 'tag-4');
    repo.insert(message('c1', 1001, { direction: 'in', callId: 'x', cseq: 1, order: 2, state: 'received' }), 'peer');
    repo.insert(message('c1', 1002, { callId: 'other-device', cseq: 8, order: 3, state: 'delivered' }), 'tag-8');
    expect(repo.hasSentCopy('other-device', 4, 'tag-4')).toBe(true);
    expect(repo.hasSentCopy('other-device', 4, 'tag-8')).toBe(false);
    expect(repo.hasSentCopy('other-device', 6, 'tag-6')).toBe(false);
    // CSeq 6 came after 8: before 8, after whatever stands before 8
    expect(repo.slotBeforeLaterCopy('c1', 'other-device', 6)).toEqual({ previous: 2, next: 3 });
    // a later one than all: appended
    expect(repo.slotBeforeLaterCopy('c1', 'other-device', 10)).toEqual({});
  });

  it('marks read up to the message another device read: unread counts what came after it, owed displays up to it are dropped', () => {
    repo.createConversation(conversation('c1'));
    const incoming = (cseq: number, order: number) =>
      message('c1', 1000 + order, { direction: 'in', from: 'sip:bob@example.org', callId: 'bob-call', cseq, order, state: 'received' });
    repo.insert(incoming(1, 1), 'bob-tag', 0, 'ref-1', true);
    repo.insert(incoming(3, 2), 'bob-tag', 0, 'ref-3', true);
    repo.insert(incoming(5, 3), 'bob-tag', 0, 'ref-5', true);
    repo.touch('c1', 2000, 3);
    expect(repo.latestIncoming('c1')).toEqual({ callId: 'bob-call', cseq: 5, fromTag: 'bob-tag' });

    expect(repo.markReadUpTo('bob-call', 3, 'bob-tag')?.unread).toBe(1);
    expect(repo.takeOwedDisplays('c1').map((owed) => owed.messageRef)).toEqual(['ref-5']);
    // a mark never raises unread, and one for a message not here changes nothing
    repo.markRead('c1');
    expect(repo.markReadUpTo('bob-call', 1, 'bob-tag')?.unread).toBe(0);
    expect(repo.markReadUpTo('bob-call', 7, 'bob-tag')).toBeUndefined();
  });
});
