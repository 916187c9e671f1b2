import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, SearchHit } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { testMessage } from '../testing/messages.js';
import { StoreProvider } from '../store/context.js';
import { createAppStore, type AppState } from '../store/store.js';
import { MessageItem } from './MessageItem.js';
import { SearchPanel } from './SearchPanel.js';
import { TypingIndicator } from './TypingIndicator.js';

/** Renders with a store that has no core behind it (these components only read). */
function render(node: ReactNode, state: Partial<AppState> = {}): string {
  const store = createAppStore(fakeClient().api);
  store.setState(state);
  // Server rendering reads a store's initial state; let it read this one.
  return renderToStaticMarkup(<StoreProvider store={{ ...store, getInitialState: store.getState }}>{node}</StoreProvider>);
}

function message(overrides: Partial<ChatMessage> = {}): ChatMessage {
  const incoming = { direction: 'in', from: 'sip:mallory@example.org', to: 'sip:alice@example.org', state: 'received' } as const;
  return testMessage({ ...incoming, callId: 'x', body: 'hi', at: 0, ...overrides });
}

describe('MessageItem', () => {
  it('renders a hostile body as text, never as markup', () => {
    const body = '<img src=x onerror=alert(1)><script>alert(2)</script>';
    const html = render(<MessageItem message={message({ contentType: 'text/html', body })} day={null} groupStart groupEnd now={0} />);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
  });

  it('keeps replacement characters from invalid UTF-8 as they are', () => {
    const html = render(<MessageItem message={message({ body: 'a\uFFFDb\uFFFD' })} day={null} groupStart groupEnd now={0} />);
    expect(html).toContain('a\uFFFDb\uFFFD');
  });

  it('shows the delivery state of my own messages, and offers retry and cancel while it is in the outbox', () => {
    const failed = message({
      direction: 'out',
      to: 'sip:bob@example.org',
      state: 'failed',
      reason: { code: 'delivery.offline', params: { peer: 'sip:bob@example.org' } },
    });
    const html = render(<MessageItem message={failed} day={null} groupStart groupEnd now={0} />);
    expect(html).toContain('Not delivered: bob is offline and the server could not keep the message.');
    expect(html).toContain('data-state="failed"');
    expect(html).toContain('data-testid="message-retry"');
    expect(html).toContain('data-testid="message-cancel"');
    const delivered = render(
      <MessageItem message={{ ...failed, state: 'delivered', reason: undefined }} day={null} groupStart groupEnd now={0} />,
    );
    expect(delivered).toContain('Sent');
    expect(delivered).not.toContain('message-retry');
    const read = render(
      <MessageItem
        message={{ ...failed, state: 'delivered', reason: undefined, receipt: 'read' }}
        day={null}
        groupStart
        groupEnd
        now={0}
      />,
    );
    expect(read).toContain('class="delivery delivery-read"');
    expect(read).toContain('title="Read. Shown to them"');
    expect(read).toContain('<span class="sr-only">Read</span>');
    expect(render(<MessageItem message={{ ...failed, state: 'cancelled' }} day={null} groupStart groupEnd now={0} />)).toContain(
      'Cancelled',
    );
    // The reason names the peer as the contact list does.
    const presence = {
      ...createAppStore(fakeClient().api).getState().presence,
      contacts: [{ aor: 'sip:bob@example.org', name: 'Bob Keller', groups: [] }],
    };
    expect(render(<MessageItem message={failed} day={null} groupStart groupEnd now={0} />, { presence })).toContain(
      'Not delivered: Bob Keller is offline and the server could not keep the message.',
    );
  });

  it('shows the original date of a message stored for later delivery', () => {
    const at = new Date(2026, 2, 3, 10, 40).getTime();
    const sentAt = new Date(2026, 2, 3, 10, 2).getTime();
    const html = render(<MessageItem message={message({ at, sentAt })} day={null} groupStart groupEnd now={at} />);
    expect(html).toMatch(/sent 10.02( AM)?, received 10.40/);
  });
});

describe('MessageItem links, days and delivery words', () => {
  it('makes http(s) and mailto links anchors that open outside, and leaves the rest text', () => {
    const html = render(
      <MessageItem
        message={message({ body: 'see https://example.org/x and javascript:alert(1) or bob@example.org' })}
        day={null}
        groupStart
        groupEnd
        now={0}
      />,
    );
    expect(html).toContain(
      '<a href="https://example.org/x" target="_blank" rel="noopener noreferrer" data-testid="message-link">https://example.org/x</a>',
    );
    expect(html).toContain('<a href="mailto:bob@example.org"');
    expect(html).not.toContain('href="javascript');
  });

  it('shows the day separator above the first message of a day, and the time only at the end of a group', () => {
    const first = render(<MessageItem message={message()} day="Today" groupStart groupEnd={false} now={0} />);
    expect(first).toContain('data-testid="day-separator"');
    expect(first).toContain('Today');
    expect(first).not.toContain('message-time');
    expect(render(<MessageItem message={message()} day={null} groupStart={false} groupEnd now={0} />)).toContain('message-time');
  });

  it('says every delivery state in words, and what happens to a stored message', () => {
    const stored = render(<MessageItem message={message({ direction: 'out', state: 'stored' })} day={null} groupStart groupEnd now={0} />);
    expect(stored).toContain('Stored for later');
    expect(stored).toContain('Will be delivered when they come online');
    const delivered = render(
      <MessageItem message={message({ direction: 'out', state: 'delivered' })} day={null} groupStart groupEnd now={0} />,
    );
    expect(delivered).toContain('<span class="sr-only">Sent</span>');
    const onDevice = render(
      <MessageItem
        message={message({ direction: 'out', state: 'delivered', receipt: 'on-device' })}
        day={null}
        groupStart
        groupEnd
        now={0}
      />,
    );
    expect(onDevice).toContain('<span class="sr-only">Delivered</span>');
    expect(onDevice).toContain('title="Delivered. Their app has it"');
  });
});

describe('SearchPanel', () => {
  it('highlights hit ranges with text nodes only, even when the snippet holds markup', () => {
    const hit: SearchHit = { message: message({ body: 'say <b>hello</b>' }), snippet: 'say <b>hello</b>', ranges: [[7, 12]] };
    const html = render(<SearchPanel />, { search: { query: 'hello', status: 'done', hits: [hit], error: null } });
    expect(html).toContain('<mark>hello</mark>');
    expect(html).toContain('<span>say &lt;b&gt;</span>');
    expect(html).not.toContain('<b>');
  });
});

describe('TypingIndicator', () => {
  it('names the typing peer by contact name', () => {
    const state = {
      composing: { c1: { peer: 'sip:bob@example.org', lapseMs: 15_000, seq: 3 } },
    } as Partial<AppState>;
    const store = createAppStore(fakeClient().api);
    const presence = { ...store.getState().presence, contacts: [{ aor: 'sip:bob@example.org', name: 'Bob Keller', groups: [] }] };
    expect(render(<TypingIndicator conversationId="c1" />, { ...state, presence })).toContain('Bob Keller is typing…');
  });

  it('names the typing peer, and is empty otherwise', () => {
    const typing = render(<TypingIndicator conversationId="c1" />, {
      composing: { c1: { peer: 'sip:bob@example.org', lapseMs: 15_000, seq: 3 } },
    });
    expect(typing).toContain('bob is typing…');
    expect(render(<TypingIndicator conversationId="c1" />)).not.toContain('typing…');
  });
});
