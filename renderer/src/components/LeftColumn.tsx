import { useId } from 'react';
import { useApp } from '../store/context.js';
import type { LeftTab } from '../store/store.js';
import { ContactsPanel } from './ContactsPanel.js';
import { ConversationList } from './ConversationList.js';
import { SelfHeader } from './SelfHeader.js';
import { WatcherRequests } from './WatcherRequests.js';

const TABS: { id: LeftTab; label: string }[] = [
  { id: 'chats', label: 'Chats' },
  { id: 'contacts', label: 'Contacts' },
];

/** The left column: me and my status, watcher requests, then conversations or contacts with one filter box. */
export function LeftColumn({ onNewChat }: { onNewChat(): void }) {
  const tab = useApp((s) => s.leftTab);
  const setTab = useApp((s) => s.setLeftTab);
  const filter = useApp((s) => s.listFilter);
  const setFilter = useApp((s) => s.setListFilter);
  const unread = useApp((s) => Object.values(s.conversations).filter((c) => c.unread > 0).length);
  const base = useId();
  return (
    <aside className="left-column" aria-label="Conversations and contacts">
      <SelfHeader onNewChat={onNewChat} />
      <WatcherRequests />
      <div className="tabs-row">
        <div className="tabs" role="tablist" aria-label="Show">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              id={`${base}-${t.id}`}
              aria-selected={tab === t.id}
              aria-controls={`${base}-panel`}
              tabIndex={tab === t.id ? 0 : -1}
              onClick={() => setTab(t.id)}
              onKeyDown={(e) => {
                if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
                const next = TABS[(TABS.findIndex((x) => x.id === tab) + 1) % TABS.length]!;
                setTab(next.id);
                document.getElementById(`${base}-${next.id}`)?.focus();
              }}
              data-testid={`tab-${t.id}`}
            >
              {t.label}
              {t.id === 'chats' && unread > 0 && (
                <span className="tab-count" aria-label={`, ${unread} with unread messages`}>
                  {unread}
                </span>
              )}
            </button>
          ))}
        </div>
        <button
          type="button"
          className="icon-button new-chat-button"
          aria-label="New chat"
          title="New chat"
          onClick={onNewChat}
          data-testid="new-chat"
        >
          ✎
        </button>
      </div>
      <div className="filter">
        <input
          type="search"
          aria-label={tab === 'chats' ? 'Filter conversations' : 'Filter contacts'}
          placeholder={tab === 'chats' ? 'Filter conversations' : 'Filter contacts'}
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => e.key === 'Escape' && setFilter('')}
          spellCheck={false}
          data-testid="list-filter"
        />
      </div>
      <div className="tab-panel" role="tabpanel" id={`${base}-panel`} aria-labelledby={`${base}-${tab}`}>
        {tab === 'chats' ? <ConversationList query={filter} /> : <ContactsPanel query={filter} />}
      </div>
    </aside>
  );
}
