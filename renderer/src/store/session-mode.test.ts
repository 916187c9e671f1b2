import { describe, expect, it } from 'vitest';
import { EMPTY_PRESENCE } from '../../../shared/contract/presence.js';
import { MAX_MESSAGE_BYTES, MAX_SESSION_MESSAGE_BYTES, type Snapshot } from '../../../shared/ipc.js';
import { composerLimit } from './message-limit.js';
import { applyEvent, fromSnapshot } from './model.js';

const snapshot: Snapshot = {
  seq: 10,
  account: null,
  registration: { state: 'registered' },
  listening: [],
  conversations: [{ id: 'c1', peer: 'sip:bob@example.org', callId: 'call-1', lastActivity: 1000, unread: 0 }],
  messages: [],
  presence: EMPTY_PRESENCE,
  drafts: {},
  sessionPeers: ['sip:carol@example.org'],
};

describe('session mode in the read model', () => {
  it('the snapshot and chat-mode events say which peers are in a session', () => {
    let model = fromSnapshot(snapshot);
    expect(model.sessionPeers).toEqual({ 'sip:carol@example.org': true });
    model = applyEvent(model, { type: 'chat-mode', peer: 'sip:bob@example.org', mode: 'session', seq: 11 });
    model = applyEvent(model, { type: 'chat-mode', peer: 'sip:carol@example.org', mode: 'paging', seq: 12 });
    expect(model.sessionPeers).toEqual({ 'sip:bob@example.org': true });
    // An old snapshot without the field: nobody is.
    const { sessionPeers: _omitted, ...older } = snapshot;
    expect(fromSnapshot(older).sessionPeers).toEqual({});
  });

  it('the composer allows more only to a peer in a session, for an open conversation or a new chat', () => {
    const model = applyEvent(fromSnapshot(snapshot), { type: 'chat-mode', peer: 'sip:bob@example.org', mode: 'session', seq: 11 });
    expect(composerLimit({ ...model, selectedConversationId: 'c1', draftPeer: null })).toBe(MAX_SESSION_MESSAGE_BYTES);
    expect(composerLimit({ ...model, selectedConversationId: null, draftPeer: 'sip:bob@EXAMPLE.org;transport=tcp' })).toBe(
      MAX_SESSION_MESSAGE_BYTES,
    );
    expect(composerLimit({ ...model, selectedConversationId: null, draftPeer: 'sip:dave@example.org' })).toBe(MAX_MESSAGE_BYTES);
    expect(composerLimit({ ...model, selectedConversationId: null, draftPeer: null })).toBe(MAX_MESSAGE_BYTES);
  });
});
