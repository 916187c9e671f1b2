/**
 * Receipts against a real SQLite file: which notifications change a message (only about a message
 * we sent, from the peer it went to, and only forward), what goes out for a message that asks, and
 * the read receipts setting. The wire is a recorder of what would be sent.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage, Receipt } from '../../../shared/ipc.js';
import { openDatabase, type Db } from '../../storage/database.js';
import { MessagesRepo } from '../../storage/messages-repo.js';
import { SettingsRepo } from '../../storage/settings-repo.js';
import { ReceiptsOwedRepo } from '../../storage/receipts-owed-repo.js';
import type { LogFields, Logger } from '../../support/logger.js';
import { systemClock } from '../../support/clock.js';
import { parseCpim } from './content/cpim.js';
import { parseImdn } from './content/imdn.js';
import { Receipts } from './receipts.js';

let dir: string;
let db: Db;
let repo: MessagesRepo;
let settings: SettingsRepo;
let sent: { to: string; contentType: string; body: string }[];
/** The final status each notification gets (200 unless a test says otherwise); undefined: cannot send now. */
let answer: number | undefined;
let announced: { id: string; state: string; receipt: Receipt }[];
let logged: string[];
let readReceipts: boolean;
let receipts: Receipts;

const logger: Logger = {
  debug() {},
  info: (message: string, _fields?: LogFields) => logged.push(message),
  warn: (message: string) => logged.push(message),
  error: (message: string) => logged.push(message),
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-receipts-'));
  db = openDatabase(dir);
  repo = new MessagesRepo(db);
  settings = new SettingsRepo(db);
  sent = [];
  announced = [];
  logged = [];
  readReceipts = true;
  answer = 200;
  receipts = makeReceipts();
  repo.createConversation({ id: 'c1', peer: 'sip:bob@parley.test', callId: 'call-1', lastActivity: 0, unread: 0 });
});

/** Receipts on this test's database (made again: a restart of Parley). */
function makeReceipts(): Receipts {
  return new Receipts({
    repo,
    settings,
    owed: new ReceiptsOwedRepo(db),
    clock: systemClock,
    logger,
    ourAddress: () => 'sip:alice@parley.test',
    readReceipts: () => readReceipts,
    sendNotification: (to, contentType, body, settled) => {
      if (answer === undefined) return false;
      sent.push({ to, contentType, body });
      settled(answer);
      return true;
    },
    announce: (message, receipt) => announced.push({ id: message.id, state: message.state, receipt }),
  });
}

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function message(extra: Partial<ChatMessage>): ChatMessage {
  return {
    id: 'm1',
    conversationId: 'c1',
    direction: 'out',
    from: 'sip:alice@parley.test',
    to: 'sip:bob@parley.test',
    callId: 'call-1',
    cseq: 1,
    contentType: 'text/plain;charset=UTF-8',
    body: 'hello',
    at: 1000,
    state: 'delivered',
    ...extra,
  };
}

describe('notifications about our messages', () => {
  it('move a message we sent to its sender forward only: on-device, read, never back or twice', () => {
    repo.insert(message({}), 'tag-1');
    receipts.noticed({ messageId: 'm1', status: 'delivered' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'm1', status: 'delivered' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'm1', status: 'displayed' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'm1', status: 'delivered' }, 'sip:bob@parley.test')?.();
    expect(announced).toEqual([
      { id: 'm1', state: 'delivered', receipt: 'on-device' },
      { id: 'm1', state: 'delivered', receipt: 'read' },
    ]);
    expect(repo.message('m1')).toMatchObject({ state: 'delivered', receipt: 'read' });
  });

  it('change nothing and log when unknown, not ours, from someone else, or a failure', () => {
    repo.insert(message({}), 'tag-1');
    repo.insert(
      message({ id: 'in-1', direction: 'in', from: 'sip:bob@parley.test', to: 'sip:alice@parley.test', state: 'received' }),
      'tag-2',
      0,
      'ref-1',
    );
    receipts.noticed({ messageId: 'no-such-id', status: 'displayed' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'in-1', status: 'displayed' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'm1', status: 'displayed' }, 'sip:mallory@elsewhere.test')?.();
    receipts.noticed({ messageId: "m1' OR 1=1 --", status: 'displayed' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'm1', status: 'not-delivered' }, 'sip:bob@parley.test')?.();
    expect(announced).toEqual([]);
    expect(repo.message('m1')).not.toHaveProperty('receipt');
    expect(repo.message('in-1')).not.toHaveProperty('receipt');
    expect(logged).toHaveLength(5);
    expect(sent).toEqual([]);
  });

  it('about no message here are kept a while for a copy of it from another device of ours, from its recipient only', () => {
    receipts.noticed({ messageId: 'copied', status: 'delivered' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'copied', status: 'displayed' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'copied', status: 'delivered' }, 'sip:bob@parley.test')?.();
    receipts.noticed({ messageId: 'to-carol', status: 'displayed' }, 'sip:bob@parley.test')?.();
    expect(announced).toEqual([]);
    // the copy comes: it takes the strongest receipt its recipient sent, once
    expect(receipts.claim(message({ id: 'copied' }))).toBe('read');
    expect(receipts.claim(message({ id: 'copied' }))).toBeUndefined();
    // a receipt from someone else than the copy's recipient is not its receipt
    expect(receipts.claim(message({ id: 'to-carol', to: 'sip:carol@parley.test' }))).toBeUndefined();
    expect(receipts.claim(message({ id: 'never-noticed' }))).toBeUndefined();
  });

  it('that overtake the 200 wait for the outbox: taken once it is done, stored at once', () => {
    repo.insert(message({ state: 'queued' }), 'tag-1');
    receipts.noticed({ messageId: 'm1', status: 'delivered' }, 'sip:bob@parley.test')?.();
    expect(announced).toEqual([]);
    expect(repo.message('m1')).toMatchObject({ state: 'queued', receipt: 'on-device' });
    expect(receipts.takeEarly('m1')).toBe('on-device');
    expect(receipts.takeEarly('m1')).toBeUndefined();
  });
});

describe('our notifications', () => {
  const incoming = (id: string, ref: string, owesDisplay: boolean) =>
    repo.insert(
      message({ id, direction: 'in', from: 'sip:bob@parley.test', to: 'sip:alice@parley.test', state: 'received', sentAt: 500 }),
      `tag-${id}`,
      0,
      ref,
      owesDisplay,
    );

  it("delivered once stored when asked, in CPIM, quoting the sender's Message-ID and asking for nothing", () => {
    const stored = message({ id: 'in-1', direction: 'in', from: 'sip:bob@parley.test', state: 'received', sentAt: 500 });
    receipts.stored(stored, 'ref-1', ['positive-delivery', 'display']);
    receipts.stored(stored, 'ref-2', ['display']);
    receipts.stored(stored, undefined, ['positive-delivery']);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ to: 'sip:bob@parley.test', contentType: 'message/cpim' });
    const cpim = parseCpim(sent[0]!.body)!;
    expect(cpim).toMatchObject({ contentType: 'message/imdn+xml' });
    expect(cpim).not.toHaveProperty('dispositions');
    expect(cpim.messageId).not.toBe('ref-1');
    expect(parseImdn(cpim.body)).toEqual({ messageId: 'ref-1', status: 'delivered' });
  });

  it('displayed on the read mark for each message that asked, once; with read receipts off, never for those', () => {
    incoming('in-1', 'ref-1', true);
    incoming('in-2', 'ref-2', false);
    incoming('in-3', 'ref-3', true);
    receipts.read('c1');
    receipts.read('c1');
    expect(sent.map((s) => parseImdn(parseCpim(s.body)!.body))).toEqual([
      { messageId: 'ref-1', status: 'displayed' },
      { messageId: 'ref-3', status: 'displayed' },
    ]);
    sent = [];
    readReceipts = false;
    incoming('in-4', 'ref-4', true);
    receipts.read('c1');
    readReceipts = true;
    receipts.read('c1');
    expect(sent).toEqual([]);
  });
});

describe('the form of our messages', () => {
  it('CPIM asking for receipts, until the peer refuses CPIM: plain from then on', () => {
    const m = message({ state: 'queued' });
    const cpim = receipts.outgoingForm(m);
    expect(cpim.contentType).toBe('message/cpim');
    expect(parseCpim(cpim.body)).toMatchObject({ messageId: 'm1', dispositions: ['positive-delivery', 'display'], body: 'hello' });
    expect(receipts.refusedForm(m, 'text/plain;charset=UTF-8', 415)).toBe(false);
    expect(receipts.refusedForm(m, 'message/cpim', 404)).toBe(false);
    expect(receipts.outgoingForm(m).contentType).toBe('message/cpim');
    expect(receipts.refusedForm(m, 'message/cpim', 488)).toBe(true);
    expect(receipts.outgoingForm(m)).toEqual({ contentType: 'text/plain;charset=UTF-8', body: 'hello' });
    // Per peer: someone else still gets CPIM.
    expect(receipts.outgoingForm(message({ to: 'sip:carol@parley.test' })).contentType).toBe('message/cpim');
  });
});

describe('receipts the peer could not take', () => {
  const delivered = (ref: string) =>
    receipts.stored(message({ id: `in-${ref}`, direction: 'in', from: 'sip:bob@parley.test', state: 'received', sentAt: 500 }), ref, [
      'positive-delivery',
    ]);
  const refs = () => sent.map((s) => parseImdn(parseCpim(s.body)!.body)!.messageId);

  it('are owed after 480 (or when nothing can be sent) and go again, once, when the peer is heard from, even after a restart', () => {
    answer = 480;
    delivered('ref-1');
    answer = undefined;
    delivered('ref-2');
    answer = 200;
    receipts.heardFrom('sip:carol@parley.test'); // someone else: nothing
    expect(refs()).toEqual(['ref-1']);
    receipts = makeReceipts();
    sent = [];
    receipts.heardFrom('Bob <sip:bob@parley.test>');
    expect(refs()).toEqual(['ref-1', 'ref-2']);
    sent = [];
    receipts.heardFrom('sip:bob@parley.test');
    expect(sent).toEqual([]);
  });

  it('a refusal of the notification itself is final: never sent again', () => {
    answer = 415;
    delivered('ref-1');
    answer = 200;
    sent = [];
    receipts.heardFrom('sip:bob@parley.test');
    expect(sent).toEqual([]);
  });

  it('owed again when the second try fails too', () => {
    answer = 408;
    delivered('ref-1');
    receipts.heardFrom('sip:bob@parley.test');
    answer = 200;
    sent = [];
    receipts.heardFrom('sip:bob@parley.test');
    expect(refs()).toEqual(['ref-1']);
  });
});
