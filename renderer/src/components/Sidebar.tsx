import { useId, useMemo, useState, type FormEvent } from 'react';
import { formatTime } from '../store/format.js';
import { byActivity, shownUnread } from '../store/selectors.js';
import { useApp } from '../store/context.js';
import { useNow } from './useNow.js';

/** Who I am, and the buttons to change the account or its registration. */
export function AccountSummary() {
  const account = useApp((s) => s.account);
  const state = useApp((s) => s.registration.state);
  const error = useApp((s) => s.accountError);
  const editAccount = useApp((s) => s.editAccount);
  const register = useApp((s) => s.register);
  const unregister = useApp((s) => s.unregister);
  if (!account) return null;
  const canRegister = Boolean(account.proxy) && (state === 'failed' || state === 'unregistered' || state === 'retrying');
  const canUnregister = Boolean(account.proxy) && (state === 'registered' || state === 'registering');
  return (
    <section className="account-summary" aria-label="Account">
      <p className="me" data-testid="account-aor-display">
        {account.displayName ? (
          <>
            <strong>{account.displayName}</strong> <span className="muted">{account.aor}</span>
          </>
        ) : (
          <strong>{account.aor}</strong>
        )}
      </p>
      <div className="actions compact">
        <button type="button" className="secondary" onClick={() => editAccount(true)} data-testid="edit-account">
          Edit account
        </button>
        {canRegister && (
          <button type="button" className="secondary" onClick={() => void register()} data-testid="register">
            Register
          </button>
        )}
        {canUnregister && (
          <button type="button" className="secondary" onClick={() => void unregister()} data-testid="unregister">
            Unregister
          </button>
        )}
      </div>
      {error && (
        <p className="form-error" role="alert" data-testid="account-error">
          {error}
        </p>
      )}
    </section>
  );
}

/** "Chat with…": an address or a bare user name; the core opens (or finds) that conversation. */
export function NewChatForm() {
  const startChat = useApp((s) => s.startChat);
  const opening = useApp((s) => s.opening);
  const [address, setAddress] = useState('');
  const id = useId();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await startChat(address)) setAddress('');
  };
  return (
    <form className="new-chat" onSubmit={(e) => void onSubmit(e)}>
      <label htmlFor={id}>Chat with…</label>
      <div className="inline">
        <input
          id={id}
          type="text"
          placeholder="bob or sip:bob@example.org"
          spellCheck={false}
          autoComplete="off"
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          data-testid="new-chat-address"
        />
        <button type="submit" className="primary" disabled={opening} data-testid="new-chat-open">
          Open
        </button>
      </div>
    </form>
  );
}

/** Conversations, most recent activity first, with their unread counts. */
export function ConversationList() {
  const conversations = useApp((s) => s.conversations);
  const selected = useApp((s) => s.selectedConversationId);
  const focused = useApp((s) => s.focused);
  const select = useApp((s) => s.selectConversation);
  const now = useNow(true, 60_000);
  const ordered = useMemo(() => byActivity(conversations), [conversations]);
  return (
    <nav className="conversation-list" aria-label="Conversations">
      {ordered.length === 0 ? (
        <p className="muted empty">No conversations yet.</p>
      ) : (
        <ul data-testid="conversation-list">
          {ordered.map((c) => {
            const unread = shownUnread({ selectedConversationId: selected, focused }, c);
            return (
              <li key={c.id}>
                <button
                  type="button"
                  className="conversation-item"
                  aria-current={c.id === selected ? 'true' : undefined}
                  onClick={() => select(c.id)}
                  data-testid="conversation"
                  data-peer={c.peer}
                  data-id={c.id}
                >
                  <span className="peer">{c.peer}</span>
                  <span className="when">{formatTime(c.lastActivity, now)}</span>
                  {unread > 0 && (
                    <span className="unread" aria-label={`${unread} unread`} data-testid="unread">
                      {unread}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </nav>
  );
}
