import { describe, expect, it } from 'vitest';
import { messageTimes, outboxActions, peerName } from './format.js';
import { highlightSegments } from './highlight.js';
import { conversationHash, parseRoute } from './route.js';
import { byActivity, readMarkDue, shownUnread, totalUnread } from './selectors.js';

const conversation = (id: string, lastActivity: number, unread: number, peer = `sip:${id}@example.org`) => ({
  id,
  peer,
  callId: `call-${id}`,
  lastActivity,
  unread,
});

describe('highlightSegments', () => {
  it('cuts a snippet into plain and highlighted text', () => {
    expect(
      highlightSegments('say hello to bob', [
        [4, 9],
        [13, 16],
      ]),
    ).toEqual([
      { text: 'say ', hit: false },
      { text: 'hello', hit: true },
      { text: ' to ', hit: false },
      { text: 'bob', hit: true },
    ]);
  });

  it('survives ranges it cannot trust: out of bounds, reversed, overlapping, unsorted, empty', () => {
    expect(
      highlightSegments('abcdef', [
        [4, 99],
        [-5, 2],
        [1, 3],
        [3, 3],
        [5, 2],
      ]),
    ).toEqual([
      { text: 'abc', hit: true },
      { text: 'd', hit: false },
      { text: 'ef', hit: true },
    ]);
    expect(highlightSegments('', [[0, 4]])).toEqual([]);
    expect(highlightSegments('plain', [])).toEqual([{ text: 'plain', hit: false }]);
  });
});

describe('route', () => {
  it('reads #/conversation/<id> and writes it back', () => {
    expect(parseRoute('')).toEqual({ kind: 'main' });
    expect(parseRoute('#/elsewhere')).toEqual({ kind: 'main' });
    const hash = conversationHash('c 1/2');
    expect(parseRoute(hash)).toEqual({ kind: 'conversation', conversationId: 'c 1/2' });
  });

  it('refuses ids the contract would refuse, and broken escapes', () => {
    expect(parseRoute('#/conversation/')).toEqual({ kind: 'main' });
    expect(parseRoute(`#/conversation/${'x'.repeat(129)}`)).toEqual({ kind: 'main' });
    expect(parseRoute('#/conversation/%E0%A4%A')).toEqual({ kind: 'main' });
  });
});

describe('selectors', () => {
  const conversations = { a: conversation('a', 10, 2), b: conversation('b', 30, 1), c: conversation('c', 20, 0) };

  it('orders conversations by last activity', () => {
    expect(byActivity(conversations).map((c) => c.id)).toEqual(['b', 'c', 'a']);
  });

  it('hides the badge of the conversation being read, only while the window has focus', () => {
    expect(shownUnread({ selectedConversationId: 'a', focused: true }, conversations.a)).toBe(0);
    expect(shownUnread({ selectedConversationId: 'a', focused: false }, conversations.a)).toBe(2);
    expect(totalUnread({ selectedConversationId: 'a', focused: true, conversations })).toBe(1);
  });

  it('asks for a read mark only for an open, focused conversation with unread messages', () => {
    expect(readMarkDue({ selectedConversationId: 'a', focused: true, conversations })).toBe('a');
    expect(readMarkDue({ selectedConversationId: 'a', focused: false, conversations })).toBeNull();
    expect(readMarkDue({ selectedConversationId: 'c', focused: true, conversations })).toBeNull();
    expect(readMarkDue({ selectedConversationId: null, focused: true, conversations })).toBeNull();
  });
});

describe('message words', () => {
  it('shows both dates of a message stored for later delivery, one otherwise', () => {
    const at = new Date(2026, 2, 3, 10, 40).getTime();
    expect(messageTimes({ at, sentAt: new Date(2026, 2, 3, 10, 2).getTime(), direction: 'in' }, at)).toMatch(
      /^sent 10.02( AM)?, received 10.40/,
    );
    expect(messageTimes({ at, sentAt: at - 20_000, direction: 'in' }, at)).toMatch(/^10.40/);
    expect(messageTimes({ at, direction: 'in' }, at)).toMatch(/^10.40/);
  });

  it('names a peer by its user part', () => {
    expect(peerName('sip:bob@example.org;transport=tcp')).toBe('bob');
    expect(peerName('sip:192.0.2.7:5070')).toBe('192.0.2.7:5070');
  });

  it('offers retry and cancel for my queued or failed messages only', () => {
    expect(outboxActions({ direction: 'out', state: 'failed' })).toEqual({ retry: true, cancel: true });
    expect(outboxActions({ direction: 'out', state: 'queued' })).toEqual({ retry: true, cancel: true });
    for (const state of ['sending', 'delivered', 'stored', 'cancelled'] as const) {
      expect(outboxActions({ direction: 'out', state })).toEqual({ retry: false, cancel: false });
    }
    expect(outboxActions({ direction: 'in', state: 'failed' })).toEqual({ retry: false, cancel: false });
  });
});
