import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { MessageItem } from './Conversation.js';

describe('MessageItem', () => {
  it('renders a hostile body as text, never as markup', () => {
    const message: ChatMessage = {
      id: 'm1',
      conversationId: 'c1',
      direction: 'in',
      from: 'sip:mallory@example.org',
      to: 'sip:alice@example.org',
      callId: 'x',
      cseq: 1,
      contentType: 'text/html',
      body: '<img src=x onerror=alert(1)><script>alert(2)</script>',
      at: 0,
      state: 'received',
    };
    const html = renderToStaticMarkup(<MessageItem message={message} now={0} />);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('shows the delivery state of my own messages', () => {
    const html = renderToStaticMarkup(
      <MessageItem
        message={{
          id: 'm2',
          conversationId: 'c1',
          direction: 'out',
          from: 'sip:alice@example.org',
          to: 'sip:bob@example.org',
          callId: 'x',
          cseq: 2,
          contentType: 'text/plain',
          body: 'hi',
          at: 0,
          state: 'failed',
          reason: 'Bob is offline',
        }}
        now={0}
      />,
    );
    expect(html).toContain('Not delivered: Bob is offline');
    expect(html).toContain('data-state="failed"');
  });
});
