import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../../shared/ipc.js';
import { textMessage } from './export-format.js';

const mine: ChatMessage = {
  id: 'm1',
  conversationId: 'c1',
  direction: 'out',
  from: 'sip:alice@example.org',
  to: 'sip:bob@example.org',
  callId: 'abc@host',
  cseq: 1,
  contentType: 'text/plain',
  body: 'Hello Bob',
  at: Date.UTC(2026, 10, 26, 8, 30, 5),
  state: 'delivered',
};

describe('textMessage', () => {
  it("notes the recipient's receipt beside the delivery state, and nothing without one", () => {
    expect(textMessage({ ...mine, receipt: 'read' })).toMatch(/ sip:alice@example\.org \(delivered, read\): Hello Bob\n$/);
    expect(textMessage({ ...mine, state: 'stored', receipt: 'on-device' })).toContain('(stored, on-device): Hello Bob');
    expect(textMessage(mine)).toContain('(delivered): Hello Bob');
  });
});
