import { forwardRef, useCallback, useEffect, useMemo, useRef, useState, type ComponentPropsWithoutRef } from 'react';
import { Virtuoso, type Components, type ListRange, type VirtuosoHandle } from 'react-virtuoso';
import type { ChatMessage } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { firstUnreadIndex, messageRows, type MessageRow } from '../store/message-rows.js';
import { MessageItem } from './MessageItem.js';
import { rememberedTop, rememberTop } from './scroll-memory.js';
import { useFirstItemIndex } from './useFirstItemIndex.js';
import { useNow } from './useNow.js';
import '../styles/chat.css';

const EMPTY: ChatMessage[] = [];

interface ListContext {
  conversationId: string;
  peerName: string;
  loadOlder: () => void;
}

/**
 * The messages of a conversation, newest at the bottom, virtualised (react-virtuoso): only the rows
 * in view are in the page, so a long history stays smooth. It opens at the latest message (or where
 * the reader left it), follows new messages while at the bottom, and loads older pages at the top
 * without moving what is on screen.
 */
export function MessageList({ conversationId, peerName }: { conversationId: string; peerName: string }) {
  const messages = useApp((s) => s.messages[conversationId] ?? EMPTY);
  // undefined: not looked yet; false: the last page was full, so there may be more.
  const complete = useApp((s) => s.historyComplete[conversationId]);
  const loading = useApp((s) => s.historyLoading[conversationId] ?? false);
  const focusMessageId = useApp((s) => s.focusMessageId);
  const loadOlderIn = useApp((s) => s.loadOlder);
  // Unread when the conversation was opened; reading it zeroes the count in the core at once.
  const unreadAtOpen = useApp((s) => s.conversations[conversationId]?.unread ?? 0);
  const [unread] = useState(unreadAtOpen);
  const now = useNow(true, 60_000);
  const rows = useMemo(() => messageRows(messages, now), [messages, now]);
  const firstItemIndex = useFirstItemIndex(messages);
  const virtuoso = useRef<VirtuosoHandle>(null);
  const [atBottom, setAtBottom] = useState(true);
  const [topIndex, setTopIndex] = useState<number | null>(null);
  const [unreadSeen, setUnreadSeen] = useState(unread === 0);

  const [initialIndex] = useState(() => {
    const remembered = rememberedTop(conversationId);
    const at = remembered ? messages.findIndex((m) => m.id === remembered) : -1;
    return at >= 0 ? { index: at, align: 'start' as const } : { index: Math.max(0, messages.length - 1), align: 'end' as const };
  });

  const loadOlder = useCallback(() => {
    if (complete === false && !loading) void loadOlderIn(conversationId);
  }, [complete, loading, loadOlderIn, conversationId]);

  const onRange = useCallback(
    (range: ListRange) => {
      const top = range.startIndex - firstItemIndex;
      setTopIndex(top);
      rememberTop(conversationId, range.endIndex - firstItemIndex >= rows.length - 1 ? null : (rows[top]?.message.id ?? null));
    },
    [conversationId, firstItemIndex, rows],
  );

  // Scroll to a search hit when the focus moves there, or once its message has arrived.
  const focusAt = focusMessageId ? rows.findIndex((r) => r.message.id === focusMessageId) : -1;
  const focusHeld = focusAt >= 0;
  const focusIndex = useRef(focusAt);
  focusIndex.current = focusAt;
  useEffect(() => {
    if (focusHeld) virtuoso.current?.scrollToIndex({ index: focusIndex.current, align: 'center' });
  }, [focusMessageId, focusHeld]);

  // Whether the reader wants the latest message in view: true on opening at the end and whenever
  // they reach the bottom, false once they scroll up themselves (wheel, keys, touch, the scroll
  // bar). A page of older messages landing on top, or rows changing height as they are measured,
  // must not move such a reader off the latest message. The scroll position alone cannot tell: the
  // list's own corrections move it too.
  const follow = useRef(initialIndex.align === 'end');
  const [scroller, setScroller] = useState<HTMLElement | null>(null);
  // Stable: a new ref callback each render is called again with null and the element every time.
  const scrollerRef = useCallback((el: HTMLElement | Window | null) => setScroller(el instanceof HTMLElement ? el : null), []);
  useEffect(() => {
    if (!scroller) return;
    const leave = () => {
      follow.current = false;
    };
    const onWheel = (event: WheelEvent) => event.deltaY < 0 && leave();
    const onKey = (event: KeyboardEvent) => ['PageUp', 'ArrowUp', 'Home'].includes(event.key) && leave();
    const onPointer = (event: PointerEvent) => event.target === scroller && leave();
    scroller.addEventListener('wheel', onWheel, { passive: true });
    scroller.addEventListener('keydown', onKey);
    scroller.addEventListener('touchmove', leave, { passive: true });
    scroller.addEventListener('pointerdown', onPointer);
    return () => {
      scroller.removeEventListener('wheel', onWheel);
      scroller.removeEventListener('keydown', onKey);
      scroller.removeEventListener('touchmove', leave);
      scroller.removeEventListener('pointerdown', onPointer);
    };
  }, [scroller]);
  const lastIndex = useRef(rows.length - 1);
  lastIndex.current = rows.length - 1;
  const keepLatest = useCallback(() => {
    if (follow.current) virtuoso.current?.scrollToIndex({ index: lastIndex.current, align: 'end' });
  }, []);
  useEffect(keepLatest, [firstItemIndex, keepLatest]);
  const onAtBottom = useCallback((bottom: boolean) => {
    setAtBottom(bottom);
    if (bottom) follow.current = true;
  }, []);

  const firstUnread = unreadSeen ? -1 : firstUnreadIndex(messages, unread);
  const showUnreadJump = firstUnread >= 0 && topIndex !== null && topIndex > firstUnread;
  const context = useMemo<ListContext>(() => ({ conversationId, peerName, loadOlder }), [conversationId, peerName, loadOlder]);

  if (messages.length === 0) {
    return (
      <div className="message-scroller" data-testid="message-scroller">
        <p className="muted chat-empty">No messages with {peerName} yet. Say hello.</p>
      </div>
    );
  }

  return (
    <div
      className="message-pane"
      role="log"
      aria-live="polite"
      aria-label={`Conversation with ${peerName}`}
      data-count={messages.length}
      data-testid="message-pane"
    >
      <Virtuoso<MessageRow, ListContext>
        ref={virtuoso}
        className="message-virtuoso"
        data={rows}
        context={context}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={initialIndex}
        computeItemKey={(_, row) => row.message.id}
        itemContent={(_, row) => (
          <MessageItem
            message={row.message}
            day={row.day}
            groupStart={row.groupStart}
            groupEnd={row.groupEnd}
            now={now}
            focused={row.message.id === focusMessageId}
          />
        )}
        followOutput={(bottom) => (bottom ? 'auto' : false)}
        atBottomStateChange={onAtBottom}
        totalListHeightChanged={keepLatest}
        scrollerRef={scrollerRef}
        atBottomThreshold={48}
        startReached={loadOlder}
        rangeChanged={onRange}
        // Rows rendered beyond the view: enough that scrolling up never shows a blank before they
        // are measured, few enough that opening a conversation builds only about two screens.
        increaseViewportBy={{ top: 600, bottom: 400 }}
        components={LIST_COMPONENTS}
      />
      <div className="jump-buttons">
        {showUnreadJump && (
          <button
            type="button"
            className="jump"
            onClick={() => {
              setUnreadSeen(true);
              virtuoso.current?.scrollToIndex({ index: firstUnread, align: 'start' });
            }}
            data-testid="jump-unread"
          >
            ↑ {unread} unread
          </button>
        )}
        {!atBottom && (
          <button
            type="button"
            className="jump"
            onClick={() => virtuoso.current?.scrollToIndex({ index: rows.length - 1, align: 'end' })}
            aria-label="Jump to the latest message"
            data-testid="jump-latest"
          >
            ↓ Latest
          </button>
        )}
      </div>
    </div>
  );
}

// Stable components (defined once): react-virtuoso remounts the list when these change.
const Scroller = forwardRef<HTMLDivElement, ComponentPropsWithoutRef<'div'>>(function Scroller(props, ref) {
  return <div {...props} ref={ref} className="message-scroller" data-testid="message-scroller" />;
});

const List = forwardRef<HTMLOListElement, ComponentPropsWithoutRef<'ol'> & { context?: ListContext }>(function List(
  { context, ...props },
  ref,
) {
  // A list of messages (role log on an ol would take away its list semantics); the pane around it announces.
  return (
    <ol {...props} ref={ref} className="messages" aria-label={`Messages with ${context?.peerName ?? ''}`} data-testid="message-list" />
  );
});

function Header({ context }: { context?: ListContext }) {
  return <LoadOlder conversationId={context!.conversationId} onLoad={context!.loadOlder} />;
}

/** "Load earlier messages" at the top, for keyboard users and while a page is on its way. */
function LoadOlder({ conversationId, onLoad }: { conversationId: string; onLoad: () => void }) {
  const complete = useApp((s) => s.historyComplete[conversationId]);
  const loading = useApp((s) => s.historyLoading[conversationId] ?? false);
  if (complete !== false) return <div className="list-top" />;
  return (
    <div className="list-top">
      <button type="button" className="link-button load-older" disabled={loading} onClick={onLoad} data-testid="load-older">
        {loading ? 'Loading…' : 'Load earlier messages'}
      </button>
    </div>
  );
}

const LIST_COMPONENTS = {
  Scroller,
  List,
  Header,
  Item: ({ context: _context, item: _item, ...props }: ComponentPropsWithoutRef<'li'> & { context?: unknown; item?: unknown }) => (
    <li {...props} className="message-row" />
  ),
} as unknown as Components<MessageRow, ListContext>;
