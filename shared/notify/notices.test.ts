import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../domain/message.js';
import { createNoticeBook, MAX_NOTICE_TEXT, noticeText, wantsMessageNotice, watcherNotice, type AttentionState } from './notices.js';

const message: ChatMessage = {
  id: 'm',
  conversationId: 'c',
  direction: 'in',
  from: 'sips:bob@example.org',
  to: 'sip:alice@example.org',
  callId: 'x',
  cseq: 1,
  contentType: 'text/html',
  body: '<p>a <i>b</i></p>\n\nc',
  text: 'a b\n\nc',
  at: 0,
  state: 'received',
  order: 1,
} as ChatMessage;
const away: AttentionState = { focusedConversationId: null, availability: 'online', quietWhenBusy: true };

describe('notices', () => {
  it('say an HTML message as its plain text, on one line, cut short', () => {
    expect(noticeText(message)).toBe('a b c');
    expect(noticeText({ body: 'x'.repeat(1000) })).toHaveLength(MAX_NOTICE_TEXT);
  });

  it('say a file offer as one, not as the bare name its message holds', () => {
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
    expect(noticeText({ body: 'Q3 report.pdf', file })).toBe('Sends you a file: Q3 report.pdf');
  });

  it('stay quiet about our own messages, the conversation on screen and while busy', () => {
    expect(wantsMessageNotice(message, away)).toBe(true);
    expect(wantsMessageNotice({ ...message, direction: 'out' }, away)).toBe(false);
    expect(wantsMessageNotice(message, { ...away, focusedConversationId: 'c' })).toBe(false);
    expect(wantsMessageNotice(message, { ...away, focusedConversationId: 'other' })).toBe(true);
    expect(wantsMessageNotice(message, { ...away, availability: 'busy' })).toBe(false);
    expect(wantsMessageNotice(message, { ...away, availability: 'busy', quietWhenBusy: false })).toBe(true);
  });

  it('coalesce per conversation until it is read', () => {
    const book = createNoticeBook();
    expect(book.message(message, 'Bob')).toMatchObject({ key: 'conversation:c', title: 'Bob', body: 'a b c' });
    book.message(message, 'Bob');
    expect(book.message({ ...message, text: 'third' }, 'Bob').body).toBe('3 new messages\nthird');
    expect(book.message({ ...message, conversationId: 'd' }, 'Carol').body).toBe('a b c');
    book.seen('c');
    expect(book.message(message, 'Bob').body).toBe('a b c');
  });

  it('word a watcher request by name', () => {
    expect(watcherNotice('sip:carol@example.org', 'Carol')).toMatchObject({
      kind: 'request',
      title: 'Carol',
      body: 'Carol wants to see your status',
    });
  });
});
