import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer, type Virtualizer } from '@tanstack/react-virtual';
import type { ChatMessage } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { estimateRowHeight, firstUnreadIndex, messageRows } from '../store/message-rows.js';
import { MessageItem } from './MessageItem.js';
import { rememberedTop, rememberTop } from './scroll-memory.js';
import { useNow } from './useNow.js';
import '../styles/chat.css';

const EMPTY: ChatMessage[] = [];

/** How close to the end (px) still counts as reading the latest message. */
const AT_END_PX = 48;
/** The strip above the first row: room for "Load earlier messages" while there may be more. */
const TOP_PX = { more: 44, none: 12 };
/**
 * Rows rendered beyond the view on each side: enough that scrolling never shows a blank before they
 * are measured, few enough that opening a conversation builds only about two screens.
 */
const OVERSCAN_ROWS = 10;

type ListVirtualizer = Virtualizer<HTMLDivElement, HTMLLIElement>;

/**
 * The messages of a conversation, newest at the bottom, virtualised (@tanstack/react-virtual): only
 * the rows in view are in the page, so a long history stays smooth. It opens at the latest message
 * (or where the reader left it), placed before the first paint; it follows new messages while at
 * the end, and keeps what is on screen in place while older pages load at the top (the list is
 * anchored to its end and keyed by message id, so a prepend moves the scroll position by exactly
 * what went in above).
 */
/** `quietWhenEmpty`: say nothing while there are no messages (file cards below the list stand for them). */
export function MessageList({
  conversationId,
  peerName,
  quietWhenEmpty = false,
}: {
  conversationId: string;
  peerName: string;
  quietWhenEmpty?: boolean;
}) {
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
  const [unreadSeen, setUnreadSeen] = useState(unread === 0);
  const top = complete === false ? TOP_PX.more : TOP_PX.none;

  const [initial] = useState(() => {
    const remembered = rememberedTop(conversationId);
    const at = remembered ? messages.findIndex((m) => m.id === remembered) : -1;
    return at >= 0 ? { index: at, atEnd: false } : { index: -1, atEnd: true };
  });

  const scroller = useRef<HTMLDivElement>(null);
  const self = useRef<ListVirtualizer | null>(null);
  const virtualizer = useVirtualizer<HTMLDivElement, HTMLLIElement>({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => estimateRowHeight(rows[index]!),
    // Sizes are kept per message, so rows measured once keep their height when a page lands above.
    getItemKey: useCallback((index: number) => rows[index]!.message.id, [rows]),
    overscan: OVERSCAN_ROWS,
    // The strip above the list, in the same scroller.
    scrollMargin: top,
    // A chat: a prepend keeps the rows on screen where they are, a row growing while the reader is
    // at the end keeps the end in view, and an append is followed while at the end.
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    // Read once, when the scroller is attached in the first layout effect (its size known, before
    // the first paint): the end, or the start of the row the reader left at the top.
    initialOffset: () => openingOffset(self.current, initial.index),
  });
  self.current = virtualizer;
  // The first render has no scroller yet: rows come in the re-render the attachment triggers, which
  // React commits before the browser paints.
  const attached = virtualizer.scrollElement !== null;
  const items = attached ? virtualizer.getVirtualItems() : [];
  const range = attached ? virtualizer.range : null;
  const atEnd = !attached || distanceFromEnd(virtualizer) <= AT_END_PX;

  const loadOlder = useCallback(() => {
    if (complete === false && !loading) void loadOlderIn(conversationId);
  }, [complete, loading, loadOlderIn, conversationId]);

  // The first row is rendered (in view or just above it): fetch the page before it.
  const firstRendered = items[0]?.index;
  useEffect(() => {
    if (firstRendered === 0) loadOlder();
  }, [firstRendered, loadOlder]);

  // Where the reader is, for coming back to this conversation: nothing while at the end.
  const topIndex = range?.startIndex ?? null;
  const topId = topIndex === null ? undefined : rows[topIndex]?.message.id;
  useEffect(() => {
    if (topId !== undefined) rememberTop(conversationId, atEnd ? null : topId);
  }, [conversationId, topId, atEnd]);

  // Scroll to a search hit when the focus moves there, or once its message has arrived. A page
  // landing above while the scroll is under way moves the hit to another index: aim again.
  const focusAt = focusMessageId ? rows.findIndex((r) => r.message.id === focusMessageId) : -1;
  const focusHeld = focusAt >= 0;
  const focusIndex = useRef(focusAt);
  focusIndex.current = focusAt;
  const focusAimedAt = useRef(-Infinity);
  useEffect(() => {
    if (!focusHeld) return;
    focusAimedAt.current = performance.now();
    virtualizer.scrollToIndex(focusIndex.current, { align: 'center' });
  }, [focusMessageId, focusHeld, virtualizer]);
  const firstId = rows[0]?.message.id;
  useEffect(() => {
    if (focusIndex.current >= 0 && performance.now() - focusAimedAt.current < 1000)
      virtualizer.scrollToIndex(focusIndex.current, { align: 'center' });
  }, [firstId, virtualizer]);

  const firstUnread = unreadSeen ? -1 : firstUnreadIndex(messages, unread);
  const showUnreadJump = firstUnread >= 0 && topIndex !== null && topIndex > firstUnread;

  if (messages.length === 0) {
    return (
      <div className="message-scroller" data-testid="message-scroller">
        {!quietWhenEmpty && <p className="muted chat-empty">No messages with {peerName} yet. Say hello.</p>}
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
      {/* Focusable, so the keys scroll it (a scrollable region must be reachable by keyboard). */}
      {/* eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex */}
      <div ref={scroller} className="message-scroller" tabIndex={0} data-testid="message-scroller">
        <LoadOlder conversationId={conversationId} onLoad={loadOlder} height={top} />
        {/* A list of messages (role log on an ol would take away its list semantics); the pane around it announces. */}
        <ol
          className="messages"
          aria-label={`Messages with ${peerName}`}
          data-testid="message-list"
          style={{ height: attached ? virtualizer.getTotalSize() : 0 }}
        >
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <li
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className="message-row"
                style={{ transform: `translateY(${item.start - top}px)` }}
              >
                <MessageItem
                  message={row.message}
                  day={row.day}
                  groupStart={row.groupStart}
                  groupEnd={row.groupEnd}
                  now={now}
                  focused={row.message.id === focusMessageId}
                />
              </li>
            );
          })}
        </ol>
      </div>
      <div className="jump-buttons">
        {showUnreadJump && (
          <button
            type="button"
            className="jump"
            onClick={() => {
              setUnreadSeen(true);
              virtualizer.scrollToIndex(firstUnread, { align: 'start' });
            }}
            data-testid="jump-unread"
          >
            ↑ {unread} unread
          </button>
        )}
        {!atEnd && (
          <button
            type="button"
            className="jump"
            onClick={() => virtualizer.scrollToEnd()}
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

/**
 * Where a conversation opens: the end, or the start of the remembered row (`index`, -1 for none).
 * Called once the scroller's size is known; nothing is measured yet, so this is the estimated
 * layout, the same the first rows are placed in.
 */
function openingOffset(virtualizer: ListVirtualizer | null, index: number): number {
  if (!virtualizer) return 0;
  const end = Math.max(0, virtualizer.getTotalSize() + virtualizer.options.scrollMargin - (virtualizer.scrollRect?.height ?? 0));
  if (index < 0) return end;
  return Math.min(end, virtualizer.measurementsCache[index]?.start ?? 0);
}

/** How far (px) the view is from the end of the list, in the layout the rows were placed in. */
function distanceFromEnd(virtualizer: ListVirtualizer): number {
  const { scrollRect, scrollOffset, options } = virtualizer;
  return virtualizer.getTotalSize() + options.scrollMargin - (scrollRect?.height ?? 0) - (scrollOffset ?? 0);
}

/** "Load earlier messages" at the top, for keyboard users and while a page is on its way. */
function LoadOlder({ conversationId, onLoad, height }: { conversationId: string; onLoad: () => void; height: number }) {
  const complete = useApp((s) => s.historyComplete[conversationId]);
  const loading = useApp((s) => s.historyLoading[conversationId] ?? false);
  return (
    <div className="list-top" style={{ height }}>
      {complete === false && (
        <button type="button" className="link-button load-older" disabled={loading} onClick={onLoad} data-testid="load-older">
          {loading ? 'Loading…' : 'Load earlier messages'}
        </button>
      )}
    </div>
  );
}
