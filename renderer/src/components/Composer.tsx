import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { composerLimit } from '../store/message-limit.js';
import { composerHeight } from '../store/composer-height.js';
import { utf8Length } from '../store/format.js';
import { useApp } from '../store/context.js';
import { draftKey } from '../store/drafts.js';
import { insertAt } from '../store/text-insert.js';
import { EmojiPicker } from './emoji/EmojiPicker.js';
import '../styles/chat.css';
import '../styles/files.css';

/** Show the size from this share of the limit on, so it is there before it matters. */
const SHOW_SIZE_FROM = 0.8;

/**
 * Enter sends, Shift+Enter starts a new line (and Enter while an IME is composing does nothing).
 * The box grows with the text up to 40 % of the conversation view, then scrolls.
 */
export function Composer({ peer, peerName }: { peer: string; peerName: string }) {
  const text = useApp((s) => {
    const key = draftKey(s);
    return key ? (s.drafts[key] ?? '') : '';
  });
  const setDraft = useApp((s) => s.setDraft);
  const send = useApp((s) => s.sendMessage);
  const stopTyping = useApp((s) => s.stopTyping);
  const error = useApp((s) => s.chatError);
  const sendFiles = useApp((s) => s.sendFiles);
  const filePicker = useRef<HTMLInputElement>(null);
  const id = useId();
  const box = useRef<HTMLTextAreaElement>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const [picking, setPicking] = useState(false);
  // Where the caret goes after the text changes from outside the box (an emoji picked).
  const caret = useRef<number | null>(null);
  const limit = useApp(composerLimit);
  const bytes = utf8Length(text);
  const nearLimit = bytes > limit * SHOW_SIZE_FROM;

  const fit = useCallback(() => {
    const el = box.current;
    if (!el) return;
    const view = el.closest('.conversation')?.clientHeight ?? window.innerHeight;
    el.style.height = '0px';
    const min = parseFloat(getComputedStyle(el).minHeight) || 0;
    const { height, scrolls } = composerHeight(el.scrollHeight, min, view);
    el.style.height = `${height}px`;
    el.style.overflowY = scrolls ? 'auto' : 'hidden';
  }, []);

  useLayoutEffect(() => {
    fit();
    if (caret.current !== null && box.current) {
      box.current.focus();
      box.current.setSelectionRange(caret.current, caret.current);
      caret.current = null;
    }
  }, [text, fit]);
  useEffect(() => {
    window.addEventListener('resize', fit);
    return () => window.removeEventListener('resize', fit);
  }, [fit]);

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
  const pick = (emoji: string) => {
    const el = box.current;
    const inserted = insertAt(text, el?.selectionStart ?? text.length, el?.selectionEnd ?? text.length, emoji);
    caret.current = inserted.caret;
    setPicking(false);
    setDraft(inserted.text);
  };
  const closePicker = () => {
    setPicking(false);
    emojiButton.current?.focus();
  };

  return (
    <form className="composer" onSubmit={onSubmit} aria-label={`Write to ${peerName}`} data-testid="composer">
      {error && (
        <p className="form-error" role="alert" data-testid="chat-error">
          {error}
        </p>
      )}
      {picking && <EmojiPicker onPick={pick} onClose={closePicker} />}
      <label htmlFor={id} className="sr-only">
        Message to {peerName}
      </label>
      <div className="composer-row">
        <button
          ref={emojiButton}
          type="button"
          className="icon-button"
          aria-label="Insert emoji"
          aria-expanded={picking}
          aria-haspopup="dialog"
          onClick={() => setPicking((p) => !p)}
          data-testid="emoji-button"
        >
          <span aria-hidden="true">🙂</span>
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Attach a file"
          title="Attach a file"
          onClick={() => filePicker.current?.click()}
          data-testid="attach-button"
        >
          <svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20" className="attach-icon">
            <path d="M16.5 6.5 8.6 14.4a2 2 0 0 0 2.8 2.8l8-8a4 4 0 0 0-5.6-5.6l-8 8a6 6 0 0 0 8.5 8.5l7.2-7.2" />
          </svg>
        </button>
        {/* The browser's own file chooser: the page gets the file's bytes, never its path (file-upload.ts). */}
        <input
          ref={filePicker}
          type="file"
          multiple
          hidden
          tabIndex={-1}
          onChange={(e) => {
            const files = [...(e.target.files ?? [])];
            e.target.value = '';
            if (files.length > 0) void sendFiles(peer, files);
          }}
          data-testid="attach-input"
        />
        <textarea
          id={id}
          ref={box}
          rows={1}
          className="composer-input"
          placeholder={`Message ${peerName}`}
          value={text}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={stopTyping}
          aria-describedby={`${id}-hint${nearLimit ? ` ${id}-count` : ''}`}
          data-testid="composer-input"
        />
        <button type="submit" className="primary" disabled={text.trim() === ''} data-testid="composer-send">
          Send
        </button>
      </div>
      <p id={`${id}-hint`} className="sr-only">
        Enter sends, Shift+Enter adds a line.
      </p>
      {nearLimit && (
        <p
          id={`${id}-count`}
          className={`hint composer-size${bytes > limit ? ' field-error' : ''}`}
          aria-live="polite"
          data-testid="composer-size"
        >
          {Math.ceil(bytes / 1024)} of {limit / 1024} KiB
        </p>
      )}
    </form>
  );
}
