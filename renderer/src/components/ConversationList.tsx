import { memo, useMemo } from 'react';
import { normalizeAddress } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { conversationRows, type ConversationRow } from '../store/conversation-rows.js';
import { buddyOf } from '../store/buddy-map.js';
import { formatTime } from '../store/local-time.js';
import { contactIndex } from '../store/names.js';
import { buddyStatus } from '../store/presence-selectors.js';
import { shownUnread } from '../store/selectors.js';
import { Avatar } from './Avatar.js';
import { useNow } from './useNow.js';
import { VirtualRows } from './VirtualRows.js';

const conversationKey = (row: ConversationRow) => row.conversation.id;
/** A row's height before it is measured: avatar, name and preview (layout.css .conversation-item). */
const conversationHeight = () => 57;

/** Conversations, most recent activity first: name, presence, last message, time, unread count. */
export function ConversationList({ query }: { query: string }) {
  const conversations = useApp((s) => s.conversations);
  const messages = useApp((s) => s.messages);
  const contacts = useApp((s) => s.presence.contacts);
  const rows = useMemo(
    () => conversationRows(conversations, messages, contactIndex(contacts), query),
    [conversations, messages, contacts, query],
  );
  const now = useNow(true, 60_000);
  if (rows.length === 0) {
    return (
      <p className="muted empty" data-testid="conversation-list-empty">
        {query ? 'No conversation matches.' : 'No conversations yet. Start one with New chat, or pick a contact.'}
      </p>
    );
  }
  return (
    <nav className="conversation-list" aria-label="Conversations">
      <VirtualRows
        rows={rows}
        keyOf={conversationKey}
        estimate={conversationHeight}
        render={(row) => <ConversationItem row={row} now={now} />}
        testId="conversation-list"
      />
    </nav>
  );
}

const ConversationItem = memo(function ConversationItem({ row, now }: { row: ConversationRow; now: number }) {
  const { conversation: c, name, preview } = row;
  const selected = useApp((s) => s.selectedConversationId === c.id && s.panel === null);
  const unread = useApp((s) => shownUnread(s, c));
  const presence = useApp((s) => buddyStatus(buddyOf(s.presence.buddies, normalizeAddress(c.peer))).shown);
  const select = useApp((s) => s.selectConversation);
  const typing = useApp((s) => Boolean(s.composing[c.id]));
  return (
    <button
      type="button"
      className={`conversation-item${unread > 0 ? ' has-unread' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onClick={() => select(c.id)}
      title={c.peer}
      data-testid="conversation"
      data-peer={c.peer}
      data-id={c.id}
    >
      <Avatar name={name} address={c.peer} presence={presence} />
      <span className="conversation-text">
        <span className="conversation-top">
          <span className="peer" data-testid="conversation-item-name">
            {name}
          </span>
          <span className="when">{formatTime(c.lastActivity, now)}</span>
        </span>
        <span className="conversation-bottom">
          <span className="preview" data-testid="conversation-preview">
            {typing ? 'typing…' : preview}
          </span>
          {unread > 0 && (
            <span className="unread" aria-label={`${unread} unread`} data-testid="unread">
              {unread}
            </span>
          )}
        </span>
      </span>
    </button>
  );
});
