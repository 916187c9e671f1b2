import { useLayoutEffect, useRef } from 'react';
import type { ChatMessage } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { MessageItem } from './MessageItem.js';
import { useNow } from './useNow.js';

const EMPTY: ChatMessage[] = [];
/** Scrolled this close to the top, the next older page is asked for. */
const LOAD_OLDER_AT_PX = 80;

/** The messages of a conversation, newest at the bottom; scrolling to the top pages back in history. */
export function MessageList({ conversationId, peer }: { conversationId: string | null; peer: string }) {
  const messages = useApp((s) => (conversationId ? (s.messages[conversationId] ?? EMPTY) : EMPTY));
  // undefined: not looked yet; false: the last page was full, so there may be more.
  const complete = useApp((s) => (conversationId ? s.historyComplete[conversationId] : true));
  const loading = useApp((s) => (conversationId ? (s.historyLoading[conversationId] ?? false) : false));
  const focusMessageId = useApp((s) => s.focusMessageId);
  const loadOlder = useApp((s) => s.loadOlder);
  const now = useNow(true, 60_000);
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  // Height before older messages went in on top, to keep the reader's place.
  const heightBefore = useRef<number | null>(null);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (heightBefore.current !== null) {
      el.scrollTop += el.scrollHeight - heightBefore.current;
      heightBefore.current = null;
    } else if (pinned.current) {
      // Stay at the bottom when new messages arrive, unless the person scrolled up to read.
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, conversationId]);

  useLayoutEffect(() => {
    if (!focusMessageId) return;
    const item = scroller.current?.querySelector(`[data-id="${CSS.escape(focusMessageId)}"]`);
    if (item) {
      pinned.current = false;
      item.scrollIntoView({ block: 'center' });
    }
  }, [focusMessageId, messages]);

  const older = () => {
    if (!conversationId || complete !== false || loading) return;
    const el = scroller.current;
    // Only an actual page keeps the place; a cached "complete" answer changes nothing.
    heightBefore.current = el && !pinned.current ? el.scrollHeight : null;
    void loadOlder(conversationId);
  };

  return (
    <div
      className="message-scroller"
      ref={scroller}
      onScroll={(e) => {
        const el = e.currentTarget;
        pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        if (el.scrollTop < LOAD_OLDER_AT_PX && el.scrollHeight > el.clientHeight) older();
      }}
      data-testid="message-scroller"
    >
      {conversationId && complete === false && (
        <button type="button" className="link-button load-older" disabled={loading} onClick={older} data-testid="load-older">
          {loading ? 'Loading…' : 'Load earlier messages'}
        </button>
      )}
      {messages.length === 0 && <p className="muted empty">No messages with {peer} yet. Say hello.</p>}
      <ol className="messages" role="log" aria-live="polite" aria-label={`Messages with ${peer}`} data-testid="message-list">
        {messages.map((m) => (
          <MessageItem key={m.id} message={m} now={now} focused={m.id === focusMessageId} />
        ))}
      </ol>
    </div>
  );
}
