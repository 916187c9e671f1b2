import { useId, useMemo, useState } from 'react';
import type { Watcher } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { pendingWatchers } from '../store/presence-selectors.js';
import { FormError } from './FormError.js';

/** People who asked to see my presence and wait for an answer: allow (into a group) or block. */
export function WatcherRequests() {
  const watchers = useApp((s) => s.presence.watchers);
  const error = useApp((s) => s.presenceErrors.watcher);
  const pending = useMemo(() => pendingWatchers({ watchers }), [watchers]);
  if (pending.length === 0) return null;
  return (
    <section className="watcher-requests" aria-label="Presence requests" role="region" data-testid="watcher-requests">
      <h2 className="section-title">
        {pending.length === 1 ? 'Someone wants to see your presence' : `${pending.length} people want to see your presence`}
      </h2>
      <p className="hint">They see you as offline until you answer.</p>
      <ul>
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
  const busy = useApp((s) => Boolean(s.presenceBusy.watcher));
  const [group, setGroup] = useState('');
  const id = useId();
  return (
    <li className="watcher-request" data-testid="watcher-request" data-aor={watcher.aor}>
      <strong className="watcher-aor">{watcher.aor}</strong>
      {groups.length > 0 && (
        <div className="inline">
          <label htmlFor={id}>Into group</label>
          <select id={id} value={group} onChange={(e) => setGroup(e.target.value)} data-testid="watcher-request-group">
            <option value="">No group (everyone else)</option>
            {groups.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="actions compact">
        <button type="button" className="primary" disabled={busy} onClick={() => void answer(watcher.aor, 'allow', group || undefined)} data-testid="watcher-allow">
          Allow
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => void answer(watcher.aor, 'block')} data-testid="watcher-block">
          Block
        </button>
      </div>
    </li>
  );
}
