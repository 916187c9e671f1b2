import { useApp } from '../store/context.js';
import { AccountForm } from './AccountForm.js';
import { CopyField } from './CopyField.js';

/** The addresses others can use to reach this Parley directly, UDP first. */
function DirectAddresses() {
  const listening = useApp((s) => s.listening);
  if (listening.length === 0) return <p className="muted">Waiting for a listening address…</p>;
  const seen = new Set<string>();
  const uris = [...listening]
    .sort((a, b) => (a.transport === 'udp' ? -1 : b.transport === 'udp' ? 1 : 0))
    .filter((l) => !seen.has(l.uri) && seen.add(l.uri));
  return (
    <>
      {uris.map((l) => (
        <CopyField key={l.uri} label={`Your address (${l.transport.toUpperCase()})`} value={l.uri} testId="direct-address" />
      ))}
    </>
  );
}

/**
 * First start: Parley already works peer to peer, so the address others can reach is shown (with
 * Copy) beside the form to sign in to a server.
 */
export function FirstStart() {
  return (
    <div className="first-start" data-testid="first-start">
      <section className="card welcome-card" aria-labelledby="welcome-title">
        <h2 id="welcome-title">Welcome to Parley</h2>
        <p className="lead">
          You can chat right away, without a server: anyone who can reach this computer can message you at this address.
        </p>
        <DirectAddresses />
      </section>
      <AccountForm />
    </div>
  );
}

/** The main area when no conversation is open. */
export function NothingOpen() {
  const direct = useApp((s) => s.registration.state === 'direct');
  const hasConversations = useApp((s) => Object.keys(s.conversations).length > 0);
  return (
    <div className="nothing-open" data-testid="nothing-open">
      <p className="muted">
        {hasConversations
          ? 'Pick a conversation on the left, or start a new chat.'
          : 'No conversation yet. Start a new chat, or pick a contact.'}
      </p>
      {direct && (
        <section className="card" aria-label="Your direct address">
          <DirectAddresses />
        </section>
      )}
    </div>
  );
}
