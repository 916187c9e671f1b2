import { useId, useLayoutEffect, useRef, type FormEvent, type KeyboardEvent } from 'react';
import type { ChatMessage } from '../../../shared/ipc.js';
import { MAX_MESSAGE_BYTES } from '../../../shared/ipc.js';
import { deliveryLabel, formatTime, utf8Length } from '../store/format.js';
import { useApp } from '../store/context.js';
import { draftKey } from '../store/store.js';
import { useNow } from './useNow.js';

const EMPTY: ChatMessage[] = [];

/** One message. The body is a React text child, so markup in it is shown, never interpreted. */
export function MessageItem({ message, now }: { message: ChatMessage; now: number }) {
  const state = message.direction === 'out' ? deliveryLabel(message) : null;
  return (
    <li
      className={`message message-${message.direction} state-${message.state}`}
      data-testid="message"
      data-direction={message.direction}
      data-state={message.state}
    >
      <p className="body" data-testid="message-body">
        {message.body}
      </p>
      <p className="meta">
        <time dateTime={new Date(message.at).toISOString()}>{formatTime(message.at, now)}</time>
        {state && (
          <>
            {' · '}
            <span className="delivery" data-testid="message-state">
              {state}
            </span>
          </>
        )}
      </p>
    </li>
  );
}

export function MessageList({ conversationId, peer }: { conversationId: string | null; peer: string }) {
  const messages = useApp((s) => (conversationId ? (s.messages[conversationId] ?? EMPTY) : EMPTY));
  // undefined: not looked yet; false: the last page was full, so there may be more.
  const complete = useApp((s) => (conversationId ? s.historyComplete[conversationId] : true));
  const loading = useApp((s) => (conversationId ? (s.historyLoading[conversationId] ?? false) : false));
  const loadOlder = useApp((s) => s.loadOlder);
  const now = useNow(true, 60_000);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // Stay at the bottom when new messages arrive, unless the person scrolled up to read.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && pinned.current) el.scrollTop = el.scrollHeight;
  }, [messages, conversationId]);

  return (
    <div
      className="message-scroller"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {conversationId && complete === false && (
        <button type="button" className="link-button load-older" disabled={loading} onClick={() => void loadOlder(conversationId)}>
          {loading ? 'Loading…' : 'Load earlier messages'}
        </button>
      )}
      {messages.length === 0 && <p className="muted empty">No messages with {peer} yet. Say hello.</p>}
      <ol className="messages" role="log" aria-live="polite" aria-label={`Messages with ${peer}`} data-testid="message-list">
        {messages.map((m) => (
          <MessageItem key={m.id} message={m} now={now} />
        ))}
      </ol>
    </div>
  );
}

/** Enter sends, Shift+Enter starts a new line (and Enter while an IME is composing does nothing). */
export function Composer({ peer }: { peer: string }) {
  const text = useApp((s) => {
    const key = draftKey(s);
    return key ? (s.drafts[key] ?? '') : '';
  });
  const setDraft = useApp((s) => s.setDraft);
  const send = useApp((s) => s.sendMessage);
  const error = useApp((s) => s.chatError);
  const id = useId();
  const bytes = utf8Length(text);
  const nearLimit = bytes > MAX_MESSAGE_BYTES * 0.8;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label={`Write to ${peer}`}>
      {error && (
        <p className="form-error" role="alert" data-testid="chat-error">
          {error}
        </p>
      )}
      <label htmlFor={id} className="sr-only">
        Message to {peer}
      </label>
      <div className="inline">
        <textarea
          id={id}
          rows={2}
          placeholder="Write a message. Enter sends, Shift+Enter adds a line."
          value={text}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          aria-describedby={nearLimit ? `${id}-count` : undefined}
          data-testid="composer-input"
        />
        <button type="submit" className="primary" disabled={text.trim() === ''} data-testid="composer-send">
          Send
        </button>
      </div>
      {nearLimit && (
        <p id={`${id}-count`} className={`hint${bytes > MAX_MESSAGE_BYTES ? ' field-error' : ''}`}>
          {Math.ceil(bytes / 1024)} of {MAX_MESSAGE_BYTES / 1024} KiB
        </p>
      )}
    </form>
  );
}

/** The open conversation (or the new one being started), or a hint when none is open. */
export function ConversationView() {
  const selected = useApp((s) => (s.selectedConversationId ? s.conversations[s.selectedConversationId] : undefined));
  const draftPeer = useApp((s) => s.draftPeer);
  const peer = selected?.peer ?? draftPeer;
  if (!peer) {
    return (
      <section className="conversation conversation-empty" aria-label="Conversation">
        <p className="muted">Pick a conversation, or type an address under “New chat”.</p>
      </section>
    );
  }
  return (
    <section className="conversation" aria-label={`Conversation with ${peer}`} data-testid="conversation-view" data-peer={peer}>
      <header className="conversation-header">
        <h2>{peer}</h2>
      </header>
      <MessageList conversationId={selected?.id ?? null} peer={peer} />
      <Composer peer={peer} />
    </section>
  );
}
