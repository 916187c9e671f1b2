import { formatDuration } from '../store/format.js';
import { useApp } from '../store/context.js';
import { useNow } from './useNow.js';

/** Shown only while the link to the core is down (browser host), or the snapshot cannot be read. */
export function ConnectionBanner() {
  const connection = useApp((s) => s.connection);
  const loadError = useApp((s) => s.loadError);
  const reconnectNow = useApp((s) => s.reconnectNow);
  const now = useNow(connection.status === 'closed');

  if (connection.status === 'open') {
    if (!loadError) return null;
    return (
      <div className="banner banner-error" role="alert" data-testid="connection-state" data-status="error">
        Parley could not load its state: {loadError}
      </div>
    );
  }
  if (connection.status === 'connecting') {
    return (
      <div className="banner" role="status" data-testid="connection-state" data-status="connecting">
        Connecting to Parley…
      </div>
    );
  }
  const wait = connection.retryAt === null ? null : connection.retryAt - now < 1000 ? 'a moment' : formatDuration(connection.retryAt - now);
  return (
    <div className="banner banner-error" role="alert" data-testid="connection-state" data-status="closed">
      <span>
        {connection.reason}.{wait !== null && ` Trying again in ${wait}.`}
        {connection.attempt >= 4 && ' If Parley was restarted, open the new address it printed.'}
      </span>
      {connection.retryAt !== null && (
        <button type="button" className="link-button" onClick={reconnectNow}>
          Retry now
        </button>
      )}
    </div>
  );
}
