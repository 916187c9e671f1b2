import { describe, expect, it } from 'vitest';
import type { ChatMessage, Conversation } from '../../../shared/ipc.js';
import { testPresence } from '../testing/presence.js';
import { contactRows, foldForSearch } from './contact-rows.js';
import { conversationRows, previewText } from './conversation-rows.js';
import { contactIndex } from './names.js';
import { presenceFromSnapshot, type PresenceModel } from './presence-model.js';

function presence(): PresenceModel {
  return presenceFromSnapshot(
    testPresence({
      contacts: [
        { aor: 'sip:zoe@example.org', name: 'Zoë Adams', groups: ['friends'] },
        { aor: 'sip:bob@example.org', name: 'Bob Keller', groups: ['friends', 'work'] },
        { aor: 'sip:carol@example.org', groups: [] },
      ],
      buddies: [
        { aor: 'sip:zoe@example.org', view: { availability: 'online', activities: [] }, subscription: 'active', stale: false },
        { aor: 'sip:bob@example.org', view: { availability: 'offline', activities: [] }, subscription: 'active', stale: false },
      ],
    }),
  );
}

const names = (rows: ReturnType<typeof contactRows>) => rows.map((r) => (r.kind === 'group' ? `[${r.title} ${r.count}]` : r.entry.name));

describe('contact rows', () => {
  it('lists each group with its contacts, available first, then other contacts', () => {
    expect(names(contactRows(presence(), { query: '', sort: 'status', collapsed: {} }))).toEqual([
      '[Friends 2]',
      'Zoë Adams',
      'Bob Keller',
      '[Co-workers 1]',
      'Bob Keller',
      '[Other contacts 1]',
      'sip:carol@example.org',
    ]);
  });

  it('sorts by name, folds groups, and counts who is online', () => {
    const rows = contactRows(presence(), { query: '', sort: 'name', collapsed: { work: true } });
    expect(names(rows)).toEqual([
      '[Friends 2]',
      'Bob Keller',
      'Zoë Adams',
      '[Co-workers 1]',
      '[Other contacts 1]',
      'sip:carol@example.org',
    ]);
    expect(rows[0]).toMatchObject({ kind: 'group', online: 1, collapsed: false });
    expect(rows[3]).toMatchObject({ kind: 'group', collapsed: true });
  });

  it('filters by name without accents or by address, unfolding groups and hiding empty ones', () => {
    expect(names(contactRows(presence(), { query: 'zoe', sort: 'status', collapsed: { friends: true } }))).toEqual([
      '[Friends 1]',
      'Zoë Adams',
    ]);
    expect(names(contactRows(presence(), { query: 'CAROL@', sort: 'status', collapsed: {} }))).toEqual([
      '[Other contacts 1]',
      'sip:carol@example.org',
    ]);
    expect(contactRows(presence(), { query: 'nobody', sort: 'status', collapsed: {} })).toEqual([]);
  });

  it('sorts names as people do: numbers by value', () => {
    const numbered = presenceFromSnapshot(
      testPresence({
        contacts: ['Person10', 'person9', 'Person100'].map((name, i) => ({ aor: `sip:p${i}@example.org`, name, groups: [] })),
      }),
    );
    const rows = contactRows(numbered, { query: '', sort: 'name', collapsed: {} });
    expect(names(rows)).toEqual(['[Friends 0]', '[Co-workers 0]', '[Other contacts 3]', 'person9', 'Person10', 'Person100']);
  });

  it('gives every row a unique key', () => {
    const keys = contactRows(presence(), { query: '', sort: 'status', collapsed: {} }).map((r) => r.key);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('folds case and accents', () => {
    expect(foldForSearch('Zoë ÅSA')).toBe('zoe asa');
  });
});

describe('conversation rows', () => {
  const conversation = (id: string, peer: string, lastActivity: number): Conversation => ({
    id,
    peer,
    callId: id,
    lastActivity,
    unread: 0,
  });
  const message = (over: Partial<ChatMessage>): ChatMessage => ({
    id: 'm',
    conversationId: 'a',
    direction: 'in',
    from: 'sip:bob@example.org',
    to: 'sip:alice@example.org',
    callId: 'a',
    cseq: 1,
    contentType: 'text/plain',
    body: 'hello',
    at: 1,
    state: 'received',
    ...over,
  });

  it('shows names, newest activity first, with the last message as a preview', () => {
    const rows = conversationRows(
      { a: conversation('a', 'sip:bob@example.org', 1), b: conversation('b', 'sip:dan@example.org', 2) },
      { a: [message({ body: 'first' }), message({ body: 'see\nyou', direction: 'out' })] },
      contactIndex(presence().contacts),
      '',
    );
    expect(rows.map((r) => [r.name, r.preview])).toEqual([
      ['dan', ''],
      ['Bob Keller', 'You: see you'],
    ]);
  });

  it('filters by name or address', () => {
    const all = { a: conversation('a', 'sip:bob@example.org', 1), b: conversation('b', 'sip:dan@example.org', 2) };
    expect(conversationRows(all, {}, contactIndex(presence().contacts), 'kell').map((r) => r.name)).toEqual(['Bob Keller']);
    expect(conversationRows(all, {}, contactIndex(presence().contacts), 'dan@').map((r) => r.name)).toEqual(['dan']);
  });

  it('cuts a long preview on a code point, and prefers the text rendering of HTML', () => {
    expect(previewText(message({ body: '😀'.repeat(200) }), 10)).toBe(`${'😀'.repeat(9)}…`);
    expect(previewText(message({ body: '<b>hi</b>', text: 'hi' }))).toBe('hi');
    expect(previewText(undefined)).toBe('');
  });

  it('says a file message as a file', () => {
    const file = {
      id: 'f',
      peer: 'sip:bob@example.org',
      direction: 'in' as const,
      name: 'Q3 report.pdf',
      size: 1,
      type: 'application/pdf',
      state: 'offered' as const,
      transferred: 0,
      startedAt: 0,
    };
    expect(previewText(message({ body: 'Q3 report.pdf', file }))).toBe('📎 Q3 report.pdf');
    expect(previewText(message({ body: 'Q3 report.pdf', direction: 'out', file: { ...file, direction: 'out' } }))).toBe(
      'You: 📎 Q3 report.pdf',
    );
  });
});
