/** A chat message for renderer unit tests: a plain outgoing text, changed by `overrides`. */
import type { ChatMessage } from '../../../shared/ipc.js';

export function testMessage(overrides: Partial<ChatMessage> = {}): ChatMessage {
  return {
    id: 'm1',
    conversationId: 'c1',
    direction: 'out',
    from: 'sip:alice@example.org',
    to: 'sip:bob@example.org',
    callId: 'call-1',
    cseq: 1,
    contentType: 'text/plain',
    body: 'hello',
    at: 1000,
    state: 'sending',
    ...overrides,
  };
}
