import { useEffect, useId } from 'react';
import type { Conversation } from '../../../shared/ipc.js';
import { useApp } from '../store/context.js';
import { RelayProblem } from './RelayProblem.js';

/** The conversation's identity on the wire (its Call-ID, the peer) and the per-peer sending option. */
export function ConversationDetails({ conversation }: { conversation: Conversation }) {
  const options = useApp((s) => s.peerOptions[conversation.peer]);
  const inSession = useApp((s) => s.sessionPeers[conversation.peer] === true);
  const error = useApp((s) => s.peerOptionsError);
  const load = useApp((s) => s.loadPeerOptions);
  const setNewCallId = useApp((s) => s.setNewCallIdPerMessage);
  const toggleId = useId();

  useEffect(() => {
    void load(conversation.peer);
  }, [load, conversation.peer]);

  return (
    <section className="details" aria-label="Conversation details" data-testid="conversation-details">
      <dl>
        <dt>Peer</dt>
        <dd className="mono" data-testid="details-peer">
          {conversation.peer}
        </dd>
        <dt>Call-ID</dt>
        <dd className="mono" data-testid="details-call-id">
          {conversation.callId}
        </dd>
        <dt>Mode</dt>
        <dd data-testid="details-mode">{inSession ? 'Session mode (MSRP)' : 'Paging mode (a MESSAGE each)'}</dd>
      </dl>
      <RelayProblem />
      <div className="check">
        <input
          id={toggleId}
          type="checkbox"
          checked={options?.newCallIdPerMessage ?? false}
          disabled={!options}
          onChange={(e) => void setNewCallId(conversation.peer, e.target.checked)}
          data-testid="details-new-call-id"
        />
        <label htmlFor={toggleId}>New Call-ID per message</label>
      </div>
      <p className="hint">
        {options ? decidedByText(options.decidedBy) : 'Loading…'} Some clients drop a MESSAGE whose Call-ID they have seen before.
      </p>
      {error && (
        <p className="form-error" role="alert" data-testid="details-error">
          {error}
        </p>
      )}
    </section>
  );
}

function decidedByText(decidedBy: 'auto' | 'user' | 'default'): string {
  if (decidedBy === 'auto') return 'Chosen from the peer’s software.';
  if (decidedBy === 'user') return 'Set by you.';
  return 'Default.';
}
