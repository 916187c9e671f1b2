import { wordReason } from '../../../shared/words/word-reason.js';
import { describeRegistration } from '../store/format.js';
import { useApp } from '../store/context.js';
import { useNow } from './useNow.js';

/**
 * Where the account stands, as a small indicator: a dot and a word; expiry, public address and the
 * reason of a failure in its tooltip and in text for screen readers. A separate polite live region
 * announces state and reason changes only (not the ticking countdown).
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
      ? `${view.label}. ${registration.reason ? wordReason(registration.reason) : ''}`
      : view.label;
  const tooltip = [view.label, view.detail, stale ? '(last known: Parley is reconnecting)' : ''].filter(Boolean).join('\n');

  return (
    <div
      className={`reg-indicator tone-${view.tone}${stale ? ' stale' : ''}`}
      data-testid="registration-badge"
      title={tooltip}
      // Focusable so a keyboard user reaches its tooltip (expiry, public address) too.
      // eslint-disable-next-line jsx-a11y/no-noninteractive-tabindex
      tabIndex={0}
      aria-label={`${stale ? 'Registration status (last known)' : 'Registration status'}: ${view.label}${view.detail ? `. ${view.detail}` : ''}`}
    >
      <span className="badge-dot" aria-hidden="true" />
      <span className="reg-label" data-testid="registration-state" data-state={hasAccount ? registration.state : 'none'}>
        {view.label}
      </span>
      {view.detail && (
        <span className="sr-only" data-testid="registration-detail">
          {view.detail}
        </span>
      )}
      <span className="sr-only" role="status" aria-live="polite" aria-atomic="true">
        {announcement}
      </span>
    </div>
  );
}
