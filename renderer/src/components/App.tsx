import { useApp } from '../store/context.js';
import { AccountForm } from './AccountForm.js';
import { ConnectionBanner } from './ConnectionBanner.js';
import { ConversationView } from './Conversation.js';
import { Notices } from './Notices.js';
import { RegistrationBadge } from './RegistrationBadge.js';
import { AccountSummary, ConversationList, NewChatForm } from './Sidebar.js';

export function App() {
  const loaded = useApp((s) => s.snapshotLoaded);
  const showForm = useApp((s) => s.account === null || s.editingAccount);

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
        ) : showForm ? (
          <AccountForm />
        ) : (
          <div className="chat">
            <aside className="sidebar">
              <AccountSummary />
              <NewChatForm />
              <ConversationList />
            </aside>
            <ConversationView />
          </div>
        )}
      </main>
    </div>
  );
}
