import { describeRegistration } from '../store/format.js';
import { useApp } from '../store/context.js';
import { useNow } from './useNow.js';

/**
 * Where the account stands: direct (with the addresses others can reach), registering,
 * registered (time until the binding runs out), failed (why), retrying (when).
 * The visible badge ticks; a separate polite live region announces only state and reason changes.
 */
export function RegistrationBadge() {
  const registration = useApp((s) => s.registration);
  const listening = useApp((s) => s.listening);
  const hasAccount = useApp((s) => s.account !== null);
  // While the link to the core is down this is only the last known state.
  const stale = useApp((s) => s.connection.status !== 'open');
  const ticking = registration.state === 'registered' || registration.state === 'retrying';
  const now = useNow(ticking);
  const view = hasAccount
    ? describeRegistration(registration, now, listening)
    : { label: 'Not set up', detail: 'Add your SIP account to start', tone: 'idle' as const };
  const announcement =
    registration.state === 'failed' || registration.state === 'retrying'
      ? `${view.label}. ${registration.reason ?? ''}`
      : view.label;

  return (
    <section
      className={`badge tone-${view.tone}${stale ? ' badge-stale' : ''}`}
      data-testid="registration-badge"
      aria-label={stale ? 'Registration status (last known)' : 'Registration status'}
    >
      <span className="badge-dot" aria-hidden="true" />
      <span className="badge-text">
        <span className="badge-label" data-testid="registration-state" data-state={hasAccount ? registration.state : 'none'}>
          {view.label}
        </span>
        {view.detail && (
          <span className="badge-detail" data-testid="registration-detail">
            {view.detail}
          </span>
        )}
      </span>
      <span className="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </section>
  );
}
