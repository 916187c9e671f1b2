import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { MAX_NOTE_CHARS, type Availability } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { AVAILABILITIES, STATUS_CHOICES, UNTIL_CHOICES, type UntilChoice } from '../store/presence-format.js';
import { manualView } from '../store/presence-forms.js';
import { serverLink } from '../store/connection-state.js';
import { activeStatusText, statusByAudience } from '../store/presence-selectors.js';
import { FormError } from './FormError.js';
import { useNow } from './useNow.js';
import { usePopover } from './usePopover.js';
import '../styles/presence.css';

/**
 * Our status at the top of the left column: a dot, the word and the note (and, when groups see
 * different states, who sees which); one click opens a popover to set a status by hand or clear it.
 */
export function StatusMenu() {
  const presence = useApp((s) => s.presence);
  const now = useNow(true, 30_000);
  const active = useMemo(() => activeStatusText(presence, now), [presence, now]);
  const split = useMemo(() => statusByAudience(presence), [presence]);
  const account = useApp((s) => s.account);
  const registration = useApp((s) => s.registration);
  // Without the server, watchers see us offline whatever we chose: say so, and why.
  const link = useMemo(() => serverLink(account, registration, now), [account, registration, now]);
  const popover = usePopover<HTMLButtonElement, HTMLDivElement>();
  const panelId = useId();
  const summary = link.connected
    ? [active.label, active.note, split.text, `${active.source}, ${active.until}`].filter(Boolean).join('. ')
    : `Offline. ${link.reason ?? ''}`;
  const availability = link.connected ? active.availability : 'offline';
  return (
    <section className="status-menu" aria-label="My status">
      <button
        ref={popover.trigger}
        type="button"
        className="status-trigger"
        aria-haspopup="dialog"
        aria-expanded={popover.open}
        aria-controls={panelId}
        title={summary}
        onClick={() => popover.setOpen(!popover.open)}
        data-testid="status-menu"
      >
        <span
          className="status-active"
          data-testid="status-active"
          data-availability={availability}
          data-manual={active.manual}
          data-connected={link.connected}
        >
          <span className={`presence-dot presence-${availability}`} aria-hidden="true" />
          <strong className="status-label" data-testid="status-label">
            {link.connected ? active.label : 'Offline'}
          </strong>
          {link.connected && active.note && (
            <span className="status-note" data-testid="status-note">
              {active.note}
            </span>
          )}
        </span>
        {!link.connected ? (
          <span className="status-line status-offline" data-testid="status-offline">
            {link.reason}
          </span>
        ) : (
          <>
            {split.text && (
              <span className="status-line status-split" data-testid="status-split">
                {split.text}
              </span>
            )}
            <span className="status-line">
              <span data-testid="status-source">{active.source}</span>, <span data-testid="status-until">{active.until}</span>
            </span>
          </>
        )}
        <span className="status-caret" aria-hidden="true">
          ▾
        </span>
      </button>
      <div
        ref={popover.panel}
        id={panelId}
        role="dialog"
        aria-label="Set my status"
        className="status-popover"
        hidden={!popover.open}
        data-testid="status-popover"
      >
        {popover.open && <StatusForm shown={active.availability} onDone={() => popover.close()} />}
        {active.manual && <ClearStatus onDone={() => popover.close()} />}
      </div>
    </section>
  );
}

function ClearStatus({ onDone }: { onDone: () => void }) {
  const clearStatus = useApp((s) => s.clearStatus);
  const busy = useApp((s) => Boolean(s.presenceBusy.status));
  return (
    <button
      type="button"
      className="secondary status-clear"
      disabled={busy}
      onClick={() => void clearStatus().then((ok) => ok && onDone())}
      data-testid="status-clear"
    >
      Clear status: back to my schedule
    </button>
  );
}

/**
 * The form starts from what is shown now (the status set by hand with its note, else what everyone
 * else sees), so changing only the note is one edit and the checked state is never a surprise.
 */
function StatusForm({ shown, onDone }: { shown: Availability; onDone: () => void }) {
  const manual = useApp((s) => s.presence.status.manual);
  const setStatus = useApp((s) => s.setStatus);
  const busy = useApp((s) => Boolean(s.presenceBusy.status));
  const error = useApp((s) => s.presenceErrors.status);
  const [availability, setAvailability] = useState<Availability>(manual?.view.availability ?? shown);
  const [note, setNote] = useState(manual?.view.note ?? '');
  const [until, setUntil] = useState<UntilChoice>(manual?.until ?? 'next-boundary');
  const base = useId();
  const [first] = useState(`${base}-${availability}`);
  useEffect(() => {
    // Only when the popover opens (this form mounts with it, and `first` never changes): later
    // choices keep focus where the user put it.
    document.getElementById(first)?.focus();
  }, [first]);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await setStatus(manualView(availability, note), until)) onDone();
  };

  return (
    <form className="status-form" onSubmit={(e) => void onSubmit(e)} data-testid="status-form">
      <fieldset className="status-choices">
        <legend>Show me as</legend>
        {AVAILABILITIES.map((a) => (
          <label key={a} className={`choice presence-choice-${a}`} htmlFor={`${base}-${a}`}>
            <input
              id={`${base}-${a}`}
              type="radio"
              name={`${base}-availability`}
              checked={availability === a}
              onChange={() => setAvailability(a)}
              data-testid={`status-choice-${a}`}
            />
            <span className={`presence-dot presence-${a}`} aria-hidden="true" /> {STATUS_CHOICES[a]}
          </label>
        ))}
      </fieldset>
      <label htmlFor={`${base}-note`}>Note (optional)</label>
      <input
        id={`${base}-note`}
        type="text"
        maxLength={MAX_NOTE_CHARS}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder="In a meeting until 3"
        data-testid="status-note-input"
      />
      <label htmlFor={`${base}-until`}>Keep it until</label>
      <select
        id={`${base}-until`}
        value={until}
        onChange={(e) => setUntil(e.target.value as UntilChoice)}
        data-testid="status-until-select"
      >
        {Object.entries(UNTIL_CHOICES).map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
      <FormError error={error} testId="status-error" />
      <div className="actions compact">
        <button type="submit" className="primary" disabled={busy} data-testid="status-set">
          Set status
        </button>
      </div>
    </form>
  );
}
