import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../../shared/ipc.js';
import { fakeClient } from '../testing/fake-client.js';
import { StoreProvider } from '../store/context.js';
import { applyEvent } from '../store/model.js';
import { createAppStore } from '../store/store.js';
import { ConversationDetails } from './ConversationDetails.js';

const conversation = { id: 'c1', peer: 'sip:bob@example.org', callId: 'call-1', lastActivity: 1, unread: 0 };

/** A conversation's Details after the core's `relay` events. */
function details(...events: Extract<SequencedEvent, { type: 'relay' }>[]): string {
  const store = createAppStore(fakeClient().api);
  for (const event of events) store.setState((s) => applyEvent(s, event));
  return renderToStaticMarkup(
    <StoreProvider store={{ ...store, getInitialState: store.getState }}>
      <ConversationDetails conversation={conversation} />
    </StoreProvider>,
  );
}

describe('a relay that carries no chat session', () => {
  const refused = { code: 'relay.bad-credentials' as const, params: { relay: 'msrp://relay.example.org:2855' } };

  it('is said in the Details, in words, until the relay works again', () => {
    expect(details({ type: 'relay', problem: refused, seq: 1 })).toContain(
      'The MSRP relay msrp://relay.example.org:2855 refused the user name or password (401): chats go by paging mode.',
    );
    const again = details({ type: 'relay', problem: refused, seq: 1 }, { type: 'relay', problem: null, seq: 2 });
    expect(again).not.toContain('relay-problem');
    expect(details()).not.toContain('relay-problem');
  });
});
