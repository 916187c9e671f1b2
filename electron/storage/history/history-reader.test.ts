import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { tempDir } from '../../testing/cores.js';
import { migrate, openDatabase, type Db } from '../database.js';
import { migrations } from '../migrations.js';
import { EXPORT_JSON_FORMAT, EXPORT_JSON_VERSION } from './export-format.js';
import { databaseBefore, indexQueued, seedConversation, seedMessages, type SeedMessage } from './testing/history-fixture.js';
import { EXPORT_BATCH, HistoryError, HistoryReader } from './history-reader.js';

// Transcript times are local: a fixed zone with a half-hour offset makes them exact.
process.env.TZ = 'Asia/Kolkata';

let dir: string;
let db: Db;
let reader: HistoryReader;

beforeEach(() => {
  dir = tempDir('parley-history-');
  db = openDatabase(dir);
  reader = new HistoryReader(db);
});

afterEach(() => {
  if (db.open) db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const ids = (items: readonly { id: string }[]) => items.map((m) => m.id);
/** A search as the worker answers it: what is queued for the index is indexed first. */
const search = (...args: Parameters<HistoryReader['search']>) => {
  indexQueued(db);
  return reader.search(...args);
};
const hitIds = (hits: readonly { message: ChatMessage }[]) => hits.map((h) => h.message.id);
const exported = (conversationId: string, format: 'text' | 'json', at = Date.UTC(2026, 10, 27, 8)) => {
  const start = reader.exportConversation(conversationId, format, at);
  return { ...start, content: [...start.pieces].join('') };
};

describe('the search index migration', () => {
  it('indexes the messages a database already holds', () => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    // A database as the release before the index left it: every earlier migration, and messages.
    db = databaseBefore(dir, 'CREATE VIRTUAL TABLE message_words');
    seedConversation(db, { id: 'c1' });
    seedMessages(db, [
      { id: 'old1', conversationId: 'c1', body: 'Rendez-vous à la gare' },
      { id: 'old2', conversationId: 'c1', body: '<b>Fête</b>', contentType: 'text/html', text: 'Fête ce soir' },
      { id: 'old3', conversationId: 'c1', body: '明天东京塔见' },
    ]);

    migrate(db);
    reader = new HistoryReader(db);

    expect(db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(hitIds(search('GARE', undefined, 10))).toEqual(['old1']);
    // An HTML message is found by its text, not by its markup.
    expect(hitIds(search('fete soir', undefined, 10))).toEqual(['old2']);
    expect(hitIds(search('b', undefined, 10))).toEqual([]);
    expect(hitIds(search('东京塔', undefined, 10))).toEqual(['old3']);
  });

  it('keeps the index in step with inserts, changes and deletes (also by cascade)', () => {
    seedConversation(db, { id: 'c1' });
    seedConversation(db, { id: 'c2' });
    seedMessages(db, [
      { id: 'a', conversationId: 'c1', body: 'zebra crossing' },
      { id: 'b', conversationId: 'c2', body: 'zebra stripes' },
    ]);
    expect(hitIds(search('zebra', undefined, 10))).toEqual(['b', 'a']);

    db.prepare("UPDATE messages SET text_body = 'giraffe crossing' WHERE id = 'a'").run();
    expect(hitIds(search('zebra', undefined, 10))).toEqual(['b']);
    expect(hitIds(search('giraffe', undefined, 10))).toEqual(['a']);
    // A change of delivery state is not a change of text: the index is not touched.
    db.prepare("UPDATE messages SET state = 'failed' WHERE id = 'b'").run();
    expect(hitIds(search('zebra', undefined, 10))).toEqual(['b']);

    db.prepare("DELETE FROM conversations WHERE id = 'c2'").run();
    expect(hitIds(search('zebra', undefined, 10))).toEqual([]);
    expect(db.prepare(`SELECT count(*) AS n FROM message_words WHERE message_words MATCH '"zebra"'`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM message_grams WHERE message_grams MATCH '"zebra"'`).get()).toEqual({ n: 0 });
  });
});

describe('search', () => {
  beforeEach(() => {
    seedConversation(db, { id: 'c1' });
    seedConversation(db, { id: 'c2', peer: 'sip:carol@example.org' });
  });

  it('treats hostile query text as plain words and never fails', () => {
    const body = 'he wrote "NEAR(x y)" -- and *stars* col:value 100% a_b \'quoted\' \\ OR AND NOT ^caret';
    seedMessages(db, [
      { id: 'h', conversationId: 'c1', body },
      { id: 'other', conversationId: 'c1', body: 'nothing to see' },
    ]);
    const hostile = [
      '"',
      '""',
      '*',
      '-',
      'NEAR(',
      'NEAR(x y)',
      'a OR',
      ')',
      '(',
      "'",
      '\\',
      '%',
      '_',
      '^',
      ':',
      'col:value',
      '"unterminated',
      'x AND',
      'NOT',
      '{col}: x',
      '\u0000',
      '\u202e',
      'x'.repeat(256),
      '-- ;DROP TABLE messages;',
    ];
    for (const query of hostile) expect(() => search(query, undefined, 50), query).not.toThrow();
    expect(hitIds(search('NEAR(x y)', undefined, 50))).toEqual(['h']);
    expect(hitIds(search('"stars"*', undefined, 50))).toEqual(['h']);
    expect(hitIds(search('col:value', undefined, 50))).toEqual(['h']);
    expect(hitIds(search('-- OR', undefined, 50))).toEqual(['h']);
    // Wildcards of LIKE and FTS5 are not wildcards: punctuation alone finds nothing, not everything.
    expect(hitIds(search('%', undefined, 50))).toEqual([]);
    expect(hitIds(search('*', undefined, 50))).toEqual([]);
    expect(hitIds(search('-- ;DROP TABLE messages;', undefined, 50))).toEqual([]);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 2 });
  });

  it('ignores case and diacritics and matches word starts', () => {
    seedMessages(db, [
      { id: 'e', conversationId: 'c1', body: "À l'École, CAFÉ crème" },
      { id: 'n', conversationId: 'c1', body: 'encafe is not a word start' },
    ]);
    expect(hitIds(search('ecole', undefined, 10))).toEqual(['e']);
    expect(hitIds(search('Cafe CREME', undefined, 10))).toEqual(['e']);
    expect(hitIds(search('écol', undefined, 10))).toEqual(['e']);
    expect(hitIds(search('cafe', undefined, 10))).toEqual(['e']);
  });

  // Newest is most recently stored: x2 was stored before x3 and x4 though its time is later (a
  // clock that was ahead, then set right), and it comes after them.
  it('needs every term, most recently stored first, in one conversation or all, up to the limit', () => {
    seedMessages(db, [
      { id: 'x1', conversationId: 'c1', body: 'lunch today?', at: 1000, order: 1 },
      { id: 'x2', conversationId: 'c2', body: 'lunch tomorrow', at: 3000, order: 1 },
      { id: 'x3', conversationId: 'c1', body: 'no lunch today', at: 2000, order: 2 },
      { id: 'x4', conversationId: 'c2', body: 'LUNCH at noon today', at: 2000, order: 2 },
    ]);
    expect(hitIds(search('lunch', undefined, 10))).toEqual(['x4', 'x3', 'x2', 'x1']);
    expect(hitIds(search('lunch today', undefined, 10))).toEqual(['x4', 'x3', 'x1']);
    expect(hitIds(search('lunch', 'c1', 10))).toEqual(['x3', 'x1']);
    expect(hitIds(search('lunch', undefined, 2))).toEqual(['x4', 'x3']);
    expect(hitIds(search('lunch', 'nope', 10))).toEqual([]);
  });

  it('finds Chinese, Japanese and Thai words inside unbroken text', () => {
    seedMessages(db, [
      { id: 'zh', conversationId: 'c1', body: '我们明天在东京塔见面' },
      { id: 'ja', conversationId: 'c1', body: '明日は東京タワーで会いましょう' },
      { id: 'th', conversationId: 'c1', body: 'พรุ่งนี้เจอกันที่สถานีรถไฟ' },
    ]);
    expect(hitIds(search('东京', undefined, 10))).toEqual(['zh']);
    expect(hitIds(search('東京タワー', undefined, 10))).toEqual(['ja']);
    expect(hitIds(search('明', undefined, 10)).sort()).toEqual(['ja', 'zh']);
    expect(hitIds(search('สถานี', undefined, 10))).toEqual(['th']);
  });

  it('gives each hit an excerpt with the terms as ranges into it', () => {
    const body = `${'filler words here '.repeat(20)}the Meeting moved\nto Friday, meet me there`;
    seedMessages(db, [{ id: 'm', conversationId: 'c1', body }]);
    const [hit] = search('meet friday', undefined, 10);
    expect(hit!.message.body).toBe(body);
    expect(hit!.snippet).not.toContain('\n');
    expect(hit!.ranges.map(([a, b]) => hit!.snippet.slice(a, b))).toEqual(['Meet', 'Friday', 'meet']);
  });
});

describe('page', () => {
  beforeEach(() => seedConversation(db, { id: 'c1' }));

  it('pages back by message through equal times and orders without skipping or repeating', () => {
    // 23 messages at the same millisecond; some share an order too (late arrivals slotted alike).
    const seeds: SeedMessage[] = Array.from({ length: 23 }, (_, i) => ({
      id: `t${String(i).padStart(2, '0')}`,
      conversationId: 'c1',
      body: `m${i}`,
      at: 5000,
      order: Math.floor(i / 3),
    }));
    seedMessages(db, seeds);
    const all = reader.page('c1', {}, 500);
    expect(ids(all)).toEqual(ids(seeds));

    const seen: string[] = [];
    let page = reader.page('c1', {}, 4);
    while (page.length > 0) {
      seen.unshift(...ids(page));
      page = reader.page('c1', { beforeId: page[0]!.id }, 4);
    }
    expect(seen).toEqual(ids(seeds));
  });

  it('shows messages in their on-screen order, not by time', () => {
    seedMessages(db, [
      { id: 'late', conversationId: 'c1', body: 'overtaken', at: 9000, order: 1.5 },
      { id: 'one', conversationId: 'c1', body: 'first', at: 1000, order: 1 },
      { id: 'two', conversationId: 'c1', body: 'second', at: 2000, order: 2 },
    ]);
    expect(ids(reader.page('c1', {}, 10))).toEqual(['one', 'late', 'two']);
    expect(reader.page('c1', {}, 10)[1]).toMatchObject({ order: 1.5, at: 9000, state: 'received' });
  });

  it('pages back from a time, and tells an unknown message', () => {
    seedMessages(
      db,
      [1, 2, 3, 4].map((n) => ({ id: `p${n}`, conversationId: 'c1', body: `${n}`, at: n * 1000 })),
    );
    expect(ids(reader.page('c1', { beforeAt: 3000 }, 10))).toEqual(['p1', 'p2']);
    expect(ids(reader.page('c1', { beforeAt: 3000 }, 1))).toEqual(['p2']);
    expect(ids(reader.page('c1', {}, 2))).toEqual(['p3', 'p4']);
    expect(() => reader.page('c1', { beforeId: 'nope' }, 10)).toThrow(HistoryError);
    expect(reader.page('unknown', {}, 10)).toEqual([]);
  });
});

describe('export', () => {
  const t0 = Date.UTC(2026, 10, 26, 8, 30, 5); // 14:00:05 in Kolkata

  beforeEach(() => {
    seedConversation(db, { id: 'c1', peer: 'sip:bob@example.org', callId: 'abc@host', lastActivity: t0 + 60_000 }, ['alias-1@peer']);
    seedMessages(db, [
      { id: 'e1', conversationId: 'c1', direction: 'out', body: 'Hello Bob', at: t0, state: 'delivered' },
      { id: 'e2', conversationId: 'c1', body: 'Hi!\nTwo lines\r\nand three', at: t0 + 10_000 },
      {
        id: 'e3',
        conversationId: 'c1',
        direction: 'out',
        body: 'ping',
        at: t0 + 20_000,
        state: 'failed',
        reason: { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } },
        code: 480,
      },
      { id: 'e4', conversationId: 'c1', body: 'sent while you were away', at: t0 + 60_000, sentAt: t0 - 3_600_000 },
      { id: 'e5', conversationId: 'c1', body: '<i>x</i>', contentType: 'text/html', text: 'x', at: t0 + 60_000 },
    ]);
  });

  it('writes a readable transcript', () => {
    const result = exported('c1', 'text');
    expect(result.fileName).toBe('parley-bob@example.org-2026-11-27.txt');
    expect(result.mimeType).toBe('text/plain');
    expect(result.content).toBe(
      [
        'Parley conversation with sip:bob@example.org',
        'Call-ID: abc@host',
        'Also Call-IDs: alias-1@peer',
        'Messages: 5, from 2026-11-26 14:00:05 +05:30 to 2026-11-26 14:01:05 +05:30',
        'Exported: 2026-11-27 13:30:00 +05:30',
        '',
        '[2026-11-26 14:00:05 +05:30] sip:alice@example.org (delivered): Hello Bob',
        '[2026-11-26 14:00:15 +05:30] sip:bob@example.org: Hi!',
        '    Two lines',
        '    and three',
        '[2026-11-26 14:00:25 +05:30] sip:alice@example.org (failed: bob@example.org is offline and the server could not keep the message.): ping',
        '[2026-11-26 14:01:05 +05:30] sip:bob@example.org (written 2026-11-26 13:00:05 +05:30): sent while you were away',
        '[2026-11-26 14:01:05 +05:30] sip:bob@example.org: x',
        '',
      ].join('\n'),
    );
  });

  it('writes a versioned JSON document with the conversation and its messages', () => {
    const result = exported('c1', 'json');
    expect(result.fileName).toBe('parley-bob@example.org-2026-11-27.json');
    expect(result.mimeType).toBe('application/json');
    const document = JSON.parse(result.content) as Record<string, unknown>;
    expect(document).toEqual({
      format: EXPORT_JSON_FORMAT,
      version: EXPORT_JSON_VERSION,
      exportedAt: '2026-11-27T08:00:00.000Z',
      conversation: {
        id: 'c1',
        peer: 'sip:bob@example.org',
        callId: 'abc@host',
        lastActivity: t0 + 60_000,
        unread: 0,
        aliases: ['alias-1@peer'],
      },
      count: 5,
      messages: reader.page('c1', {}, 500),
    });
    expect((document.messages as ChatMessage[])[2]!.reason).toEqual({ code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } });
  });

  it('writes an empty conversation as valid JSON, and tells an unknown one', () => {
    seedConversation(db, { id: 'empty' });
    expect(JSON.parse(exported('empty', 'json').content)).toMatchObject({ count: 0, messages: [] });
    expect(exported('empty', 'text').content).toContain('Messages: 0\n');
    expect(() => reader.exportConversation('nope', 'text', 0)).toThrow(HistoryError);
  });

  it('reads a long conversation in batches, in order, leaving out what arrives meanwhile', () => {
    seedConversation(db, { id: 'big' });
    const count = EXPORT_BATCH * 2 + 7;
    seedMessages(
      db,
      Array.from({ length: count }, (_, i) => ({ id: `b${i}`, conversationId: 'big', body: `line ${i}` })),
    );
    const start = reader.exportConversation('big', 'json', 0);
    const pieces = start.pieces[Symbol.iterator]();
    const head = pieces.next().value as string;
    seedMessages(db, [{ id: 'later', conversationId: 'big', body: 'arrived during the export', order: count + 1 }]);
    const document = JSON.parse(head + [...{ [Symbol.iterator]: () => pieces }].join('')) as { count: number; messages: ChatMessage[] };
    expect(document.count).toBe(count);
    expect(document.messages.map((m) => m.id)).toEqual(Array.from({ length: count }, (_, i) => `b${i}`));
  });
});
