import { useMemo, useState } from 'react';
import type { Watcher } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { groupChoice } from '../store/presence-forms.js';
import { pendingWatchers } from '../store/presence-selectors.js';
import { FormError } from './FormError.js';
import { GroupPicker } from './GroupPicker.js';
import { PersonLabel } from './PersonLabel.js';
import '../styles/presence.css';

/** People who asked to see my presence and wait for an answer: allow and add to contacts, allow, or block. */
export function WatcherRequests() {
  const watchers = useApp((s) => s.presence.watchers);
  const error = useApp((s) => s.presenceErrors.watcher);
  const pending = useMemo(() => pendingWatchers({ watchers }), [watchers]);
  if (pending.length === 0) return null;
  return (
    <section className="watcher-requests" aria-label="Presence requests" data-testid="watcher-requests">
      <h2 className="section-title">
        {pending.length === 1 ? 'Someone wants to see your presence' : `${pending.length} people want to see your presence`}
      </h2>
      <p className="hint">Until you answer, they see you as offline.</p>
      <ul className="watcher-request-list">
        {pending.map((watcher) => (
          <WatcherRequest key={watcher.aor} watcher={watcher} />
        ))}
      </ul>
      <FormError error={error} testId="watcher-error" />
    </section>
  );
}

function WatcherRequest({ watcher }: { watcher: Watcher }) {
  const groups = useApp((s) => s.presence.groups);
  const answer = useApp((s) => s.answerWatcher);
  const allowAndAdd = useApp((s) => s.allowAndAddContact);
  const setError = useApp((s) => s.setPresenceError);
  const busy = useApp((s) => Boolean(s.presenceBusy.watcher));
  const [group, setGroup] = useState('');
  const [newName, setNewName] = useState('');
  const onAllowAndAdd = () => {
    const choice = groupChoice(group, newName, groups);
    if (!choice.ok) return setError('watcher', choice.error);
    void allowAndAdd(watcher.aor, choice);
  };
  return (
    <li className="watcher-request" data-testid="watcher-request" data-aor={watcher.aor}>
      <PersonLabel address={watcher.aor} nameTestId="watcher-request-name" />
      <GroupPicker groups={groups} selected={group} newName={newName} onSelect={setGroup} onNewName={setNewName} label="Add to group" />
      <div className="actions compact">
        <button type="button" className="primary" disabled={busy} onClick={onAllowAndAdd} data-testid="watcher-allow-add">
          Allow and add to contacts
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void answer(watcher.aor, 'allow')}
          data-testid="watcher-allow"
        >
          Allow
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy}
          onClick={() => void answer(watcher.aor, 'block')}
          data-testid="watcher-block"
        >
          Block
        </button>
      </div>
    </li>
  );
}
