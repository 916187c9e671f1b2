import { useEffect, useState } from 'react';
import { useApp } from '../store/context.js';
import { totalUnread } from '../store/selectors.js';
import { AccountForm } from './AccountForm.js';
import { DevicesList } from './DevicesList.js';
import { ChatSettingsPanel } from './ChatSettings.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ConversationView } from './Conversation.js';
import { LeftColumn } from './LeftColumn.js';
import { NewChatDialog } from './NewChatDialog.js';
import { Notices } from './Notices.js';
import { PresenceSettings } from './PresenceSettings.js';
import { SearchPanel } from './SearchPanel.js';
import { useShortcuts } from './useShortcuts.js';
import { useRoute } from './useRoute.js';
import { FirstStart, NothingOpen } from './WelcomeView.js';

export function App() {
  const loaded = useApp((s) => s.snapshotLoaded);
  const hasAccount = useApp((s) => s.account !== null);
  const route = useRoute();
  const unread = useApp(totalUnread);
  const [newChat, setNewChat] = useState(false);
  useShortcuts({ onNewChat: () => setNewChat(true) });

  // The window (and its taskbar entry) says how much is waiting.
  useEffect(() => {
    document.title = unread > 0 ? `(${unread}) Parley` : 'Parley';
  }, [unread]);

  return (
    <div className="app">
      <ConnectionBanner />
      <Notices />
      <main className="content" data-testid="app" data-ready={loaded ? 'true' : 'false'}>
        {!loaded ? (
          <p className="muted loading" role="status">
            Loading…
          </p>
        ) : route.kind === 'conversation' ? (
          <SingleConversation conversationId={route.conversationId} />
        ) : !hasAccount ? (
          <FirstStart />
        ) : (
          <ChatLayout onNewChat={() => setNewChat(true)} />
        )}
      </main>
      {newChat && <NewChatDialog onClose={() => setNewChat(false)} />}
    </div>
  );
}

/**
 * The left column beside the main area. In a narrow window only one of them shows: the list, or
 * what was opened from it with a way back (styles/layout.css).
 */
function ChatLayout({ onNewChat }: { onNewChat(): void }) {
  const mainOpen = useApp((s) => s.panel !== null || s.selectedConversationId !== null || s.draftPeer !== null);
  const back = useApp((s) => s.closeMain);
  return (
    <div className={`chat${mainOpen ? ' main-open' : ''}`}>
      <LeftColumn onNewChat={onNewChat} />
      <div className="main-area">
        {mainOpen && (
          <button type="button" className="link-button back-to-list" onClick={back} data-testid="back-to-list">
            ← Back to the list
          </button>
        )}
        <MainArea />
      </div>
    </div>
  );
}

/** The right-hand side: a settings view or the search when one is open, else the conversation. */
function MainArea() {
  const panel = useApp((s) => s.panel);
  const open = useApp((s) => s.selectedConversationId !== null || s.draftPeer !== null);
  const openPanel = useApp((s) => s.openPanel);
  switch (panel) {
    case 'presence':
      return <PresenceSettings />;
    case 'account':
      return (
        <div className="panel-view" data-testid="account-view">
          <AccountForm />
          <DevicesList />
        </div>
      );
    case 'chat-settings':
      return (
        <div className="panel-view">
          <ChatSettingsPanel onClose={() => openPanel(null)} />
        </div>
      );
    case 'search':
      return (
        <div className="panel-view">
          <SearchPanel />
        </div>
      );
    default:
      return open ? <ConversationView /> : <NothingOpen />;
  }
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
