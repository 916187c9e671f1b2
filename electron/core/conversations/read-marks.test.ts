import { describe, expect, it } from 'vitest';
import type { Conversation, ParleyEvent } from '../../../shared/ipc.js';
import { silentLogger } from '../../support/logger.js';
import type { IncomingChat } from './incoming-chat.js';
import { READ_MARK_TYPE, ReadMarks } from './read-marks.js';

const conversation: Conversation = { id: 'c1', peer: 'sip:bob@example.org', callId: 'call', lastActivity: 1, unread: 0 };

function setup(trusted: boolean) {
  const marked: unknown[][] = [];
  const sent: { to: string; contentType: string; body: string }[] = [];
  const events: ParleyEvent[] = [];
  const marks = new ReadMarks({
    repo: {
      latestIncoming: (id) => (id === 'c1' ? { callId: 'bob-call', cseq: 5, fromTag: 'bob-tag' } : undefined),
      markReadUpTo: (...args) => (marked.push(args), conversation),
    },
    logger: silentLogger,
    emit: (event) => events.push(event),
    accountAddress: () => 'sip:alice@example.org',
    fromOurselves: () => trusted,
    send: (to, contentType, body) => sent.push({ to, contentType, body }),
  });
  return { marks, marked, sent, events };
}

function incoming(body: string) {
  const answers: number[] = [];
  const chat: IncomingChat = {
    request: {
      getHeader: (name) => (name.toLowerCase() === 'content-type' ? READ_MARK_TYPE : undefined),
      body,
      from: { uri: { toString: () => 'sip:alice@example.org' }, displayName: '' },
      to: { uri: { toString: () => 'sip:alice@example.org' } },
      callId: 'mark-call',
      cseq: 1,
      fromTag: 'tag',
    },
    accept: async () => void answers.push(200),
    reject: async ({ statusCode }) => void answers.push(statusCode),
  };
  return { chat, answers };
}

describe('ReadMarks', () => {
  it('tells our own address which incoming message was read last', () => {
    const { marks, sent } = setup(true);
    marks.read('c1');
    marks.read('nothing-incoming');
    expect(sent).toEqual([{ to: 'sip:alice@example.org', contentType: READ_MARK_TYPE, body: expect.any(String) }]);
    expect(JSON.parse(sent[0]!.body)).toEqual({ v: 1, callId: 'bob-call', cseq: 5, fromTag: 'bob-tag' });
  });

  it('applies a mark from another device of ours and announces the conversation', () => {
    const { marks, marked, events } = setup(true);
    const { chat, answers } = incoming(JSON.stringify({ v: 1, callId: 'bob-call', cseq: 3, fromTag: 'bob-tag' }));
    marks.take(chat);
    expect(answers).toEqual([200]);
    expect(marked).toEqual([['bob-call', 3, 'bob-tag']]);
    expect(events).toEqual([{ type: 'conversation', conversation }]);
  });

  it('refuses a mark that is not ours (403) or not one (400), and changes nothing', () => {
    const good = JSON.stringify({ v: 1, callId: 'bob-call', cseq: 3, fromTag: 'bob-tag' });
    const cases: [boolean, string, number][] = [
      [false, good, 403],
      [true, 'not json', 400],
      [true, JSON.stringify({ v: 2, callId: 'bob-call', cseq: 3, fromTag: 'x' }), 400],
      [true, JSON.stringify({ v: 1, callId: 'x'.repeat(5000), cseq: 3, fromTag: 'x' }), 400],
    ];
    for (const [trusted, body, status] of cases) {
      const { marks, marked, events } = setup(trusted);
      const { chat, answers } = incoming(body);
      marks.take(chat);
      expect(answers).toEqual([status]);
      expect(marked).toEqual([]);
      expect(events).toEqual([]);
    }
  });
});
