import { useMemo } from 'react';
import type { Watcher } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { answeredWatchers } from '../store/presence-selectors.js';
import { FormError } from './FormError.js';
import { PersonLabel } from './PersonLabel.js';

const STATUS_WORDS: Record<Watcher['status'], string> = {
  pending: 'Waiting for your answer',
  allowed: 'Allowed',
  blocked: 'Blocked (sees you offline)',
};

/** Everyone who watches (or asked to watch) me, with their authorization and a way to change it. */
export function WatcherList() {
  const watchers = useApp((s) => s.presence.watchers);
  const answer = useApp((s) => s.answerWatcher);
  const busy = useApp((s) => Boolean(s.presenceBusy.watcher));
  const error = useApp((s) => s.presenceErrors.watcher);
  const answered = useMemo(() => answeredWatchers({ watchers }), [watchers]);
  return (
    <div className="watcher-list" data-testid="watcher-list">
      {answered.length === 0 ? (
        <p className="muted empty">Nobody yet. New requests appear at the top of the left column.</p>
      ) : (
        <ul className="rows">
          {answered.map((watcher) => (
            <li key={watcher.aor} className="row" data-testid="watcher" data-aor={watcher.aor} data-status={watcher.status}>
              <PersonLabel address={watcher.aor} />
              <span data-testid="watcher-status">{STATUS_WORDS[watcher.status]}</span>
              <span className="muted">
                {watcher.subscribed ? 'watching now' : 'not watching now'}
                {watcher.source === 'server' ? ' (told by the server)' : ''}
              </span>
              <button
                type="button"
                className="secondary"
                disabled={busy}
                onClick={() => void answer(watcher.aor, watcher.status === 'blocked' ? 'allow' : 'block')}
                aria-label={`${watcher.status === 'blocked' ? 'Allow' : 'Block'} ${watcher.aor}`}
                data-testid="watcher-toggle"
              >
                {watcher.status === 'blocked' ? 'Allow' : 'Block'}
              </button>
            </li>
          ))}
        </ul>
      )}
      <FormError error={error} testId="watcher-list-error" />
    </div>
  );
}
