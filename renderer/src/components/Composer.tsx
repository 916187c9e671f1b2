import { useId, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_MESSAGE_BYTES } from '../../../shared/ipc.js';
import { utf8Length } from '../store/format.js';
import { useApp } from '../store/context.js';
import { draftKey } from '../store/drafts.js';

/** Enter sends, Shift+Enter starts a new line (and Enter while an IME is composing does nothing). */
export function Composer({ peer }: { peer: string }) {
  const text = useApp((s) => {
    const key = draftKey(s);
    return key ? (s.drafts[key] ?? '') : '';
  });
  const setDraft = useApp((s) => s.setDraft);
  const send = useApp((s) => s.sendMessage);
  const stopTyping = useApp((s) => s.stopTyping);
  const error = useApp((s) => s.chatError);
  const id = useId();
  const bytes = utf8Length(text);
  const nearLimit = bytes > MAX_MESSAGE_BYTES * 0.8;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void send();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label={`Write to ${peer}`}>
      {error && (
        <p className="form-error" role="alert" data-testid="chat-error">
          {error}
        </p>
      )}
      <label htmlFor={id} className="sr-only">
        Message to {peer}
      </label>
      <div className="inline">
        <textarea
          id={id}
          rows={2}
          placeholder="Write a message. Enter sends, Shift+Enter adds a line."
          value={text}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={stopTyping}
          aria-describedby={nearLimit ? `${id}-count` : undefined}
          data-testid="composer-input"
        />
        <button type="submit" className="primary" disabled={text.trim() === ''} data-testid="composer-send">
          Send
        </button>
      </div>
      {nearLimit && (
        <p id={`${id}-count`} className={`hint${bytes > MAX_MESSAGE_BYTES ? ' field-error' : ''}`}>
          {Math.ceil(bytes / 1024)} of {MAX_MESSAGE_BYTES / 1024} KiB
        </p>
      )}
    </form>
  );
}
