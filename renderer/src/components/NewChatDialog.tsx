import { useId, useState, type FormEvent } from 'react';
import { useApp } from '../store/context.js';
import { Dialog } from './Dialog.js';

/** "New chat": an address or a bare user name (the account's domain is added); the core opens or finds the conversation. */
export function NewChatDialog({ onClose }: { onClose(): void }) {
  const startChat = useApp((s) => s.startChat);
  const opening = useApp((s) => s.opening);
  const error = useApp((s) => s.chatError);
  const [address, setAddress] = useState('');
  const id = useId();
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await startChat(address)) onClose();
  };
  return (
    <Dialog title="New chat" onClose={onClose} testId="new-chat-dialog">
      <form className="new-chat" onSubmit={(e) => void onSubmit(e)}>
        <label htmlFor={id}>Chat with…</label>
        <input
          id={id}
          type="text"
          placeholder="bob or sip:bob@example.org"
          spellCheck={false}
          autoComplete="off"
          // A dialog moves focus into itself (the WAI-ARIA dialog pattern): here, its one field.
          // eslint-disable-next-line jsx-a11y/no-autofocus
          autoFocus
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          aria-describedby={error ? `${id}-error` : `${id}-hint`}
          aria-invalid={Boolean(error)}
          data-testid="new-chat-address"
        />
        {error ? (
          <p className="field-error" id={`${id}-error`} role="alert">
            {error}
          </p>
        ) : (
          <p className="hint" id={`${id}-hint`}>
            A contact’s user name, or a full SIP address such as sip:bob@192.0.2.7:5060.
          </p>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={opening} data-testid="new-chat-open">
            Open
          </button>
        </div>
      </form>
    </Dialog>
  );
}
