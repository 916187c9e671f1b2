import { useEffect } from 'react';
import { useApp } from '../store/context.js';
import { totalUnread } from '../store/selectors.js';
import { AccountForm } from './AccountForm.js';
import { ChatSettingsPanel } from './ChatSettings.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ConversationView } from './Conversation.js';
import { BuddyList } from './BuddyList.js';
import { Notices } from './Notices.js';
import { PresenceSettings, PresenceSettingsButton } from './PresenceSettings.js';
import { StatusMenu } from './StatusMenu.js';
import { WatcherRequests } from './WatcherRequests.js';
import { RegistrationBadge } from './RegistrationBadge.js';
import { SearchPanel } from './SearchPanel.js';
import { AccountSummary, ConversationList, NewChatForm } from './Sidebar.js';
import { useRoute } from './useRoute.js';

export function App() {
  const loaded = useApp((s) => s.snapshotLoaded);
  const showForm = useApp((s) => s.account === null || s.editingAccount);
  const route = useRoute();
  const unread = useApp(totalUnread);
  const presenceOpen = useApp((s) => s.presenceSettingsOpen);

  // The window (and its taskbar entry) says how much is waiting.
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  return (
    <div className="app">
      <header className="topbar">
        <h1 className="brand">Parley</h1>
        <RegistrationBadge />
      </header>
      <ConnectionBanner />
      <Notices />
      <main className="content" data-testid="app" data-ready={loaded ? 'true' : 'false'}>
        {!loaded ? (
          <p className="muted loading" role="status">
            Loading…
          </p>
        ) : route.kind === 'conversation' ? (
          <SingleConversation conversationId={route.conversationId} />
        ) : showForm ? (
          <AccountForm />
        ) : (
          <div className="chat">
            <aside className="sidebar">
              <AccountSummary />
              <StatusMenu />
              <WatcherRequests />
              <NewChatForm />
              <SearchPanel />
              <BuddyList />
              <ConversationList />
              <PresenceSettingsButton />
              <ChatSettingsPanel />
            </aside>
            {presenceOpen ? <PresenceSettings /> : <ConversationView />}
          </div>
        )}
      </main>
    </div>
  );
}

/** One conversation filling the window (#/conversation/<id>), for a shell that opens chats in their own windows. */
function SingleConversation({ conversationId }: { conversationId: string }) {
  const known = useApp((s) => Boolean(s.conversations[conversationId]));
  const selected = useApp((s) => s.selectedConversationId === conversationId);
  const select = useApp((s) => s.selectConversation);
  useEffect(() => {
    if (known && !selected) select(conversationId);
  }, [known, selected, select, conversationId]);
  if (!known) {
    return (
      <p className="muted empty" role="status" data-testid="conversation-missing">
        This conversation does not exist (any more).
      </p>
    );
  }
  return (
    <div className="chat chat-alone">
      <ConversationView alone />
    </div>
  );
}
