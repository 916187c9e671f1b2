import { useId, useMemo, useState, type FormEvent } from 'react';
import { MAX_NOTE_CHARS, type Availability } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { AVAILABILITIES, STATUS_CHOICES } from '../store/presence-format.js';
import { manualView } from '../store/presence-forms.js';
import { activeStatusText } from '../store/presence-selectors.js';
import { useNow } from './useNow.js';
import { FormError } from './FormError.js';

/** Our status as watchers get it now, and the menu to set one by hand or go back to the schedule. */
export function StatusMenu() {
  const presence = useApp((s) => s.presence);
  const error = useApp((s) => s.presenceErrors.status);
  const now = useNow(true, 30_000);
  const active = useMemo(() => activeStatusText(presence, now), [presence, now]);
  return (
    <section className="status-menu" aria-label="My status">
      <p className="status-active" data-testid="status-active" data-availability={active.availability} data-manual={active.manual}>
        <span className={`presence-dot presence-${active.availability}`} aria-hidden="true" />
        <strong data-testid="status-label">{active.label}</strong>
        {active.note && (
          <span className="status-note" data-testid="status-note">
            {active.note}
          </span>
        )}
      </p>
      <p className="hint">
        <span data-testid="status-source">{active.source}</span>, <span data-testid="status-until">{active.until}</span>
      </p>
      {active.manual && <ClearStatus />}
      <FormError error={error} testId="status-error" />
      <StatusForm />
    </section>
  );
}

function ClearStatus() {
  const clearStatus = useApp((s) => s.clearStatus);
  const busy = useApp((s) => Boolean(s.presenceBusy.status));
  return (
    <button type="button" className="link-button" disabled={busy} onClick={() => void clearStatus()} data-testid="status-clear">
      Clear: back to my schedule
    </button>
  );
}

function StatusForm() {
  const setStatus = useApp((s) => s.setStatus);
  const busy = useApp((s) => Boolean(s.presenceBusy.status));
  const [availability, setAvailability] = useState<Availability>('online');
  const [note, setNote] = useState('');
  const [until, setUntil] = useState<'next-boundary' | 'cleared'>('next-boundary');
  const [open, setOpen] = useState(false);
  const base = useId();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await setStatus(manualView(availability, note), until)) setOpen(false);
  };

  return (
    <details className="status-change" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary data-testid="status-menu">Set my status…</summary>
      <form onSubmit={(e) => void onSubmit(e)} data-testid="status-form">
        <div className="choice-row" role="radiogroup" aria-label="Status">
          {AVAILABILITIES.map((a) => (
            <label key={a} className={`choice presence-choice-${a}`}>
              <input type="radio" name={`${base}-availability`} checked={availability === a} onChange={() => setAvailability(a)} data-testid={`status-choice-${a}`} />
              <span className={`presence-dot presence-${a}`} aria-hidden="true" /> {STATUS_CHOICES[a]}
            </label>
          ))}
        </div>
        <label htmlFor={`${base}-note`}>Note (optional)</label>
        <input id={`${base}-note`} type="text" maxLength={MAX_NOTE_CHARS} value={note} onChange={(e) => setNote(e.target.value)} placeholder="In a meeting until 3" data-testid="status-note-input" />
        <label htmlFor={`${base}-until`}>How long</label>
        <select id={`${base}-until`} value={until} onChange={(e) => setUntil(e.target.value as typeof until)} data-testid="status-until-select">
          <option value="next-boundary">Until the schedule next changes</option>
          <option value="cleared">Until I clear it</option>
        </select>
        <div className="actions compact">
          <button type="submit" className="primary" disabled={busy} data-testid="status-set">
            Set status
          </button>
        </div>
      </form>
    </details>
  );
}
