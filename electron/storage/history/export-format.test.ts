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

describe('textMessage of a file transfer', () => {
  const transfer = {
    id: 'f1',
    peer: 'sip:bob@example.org',
    direction: 'in' as const,
    name: 'report.pdf',
    size: 1536,
    type: 'application/pdf',
    state: 'done' as const,
    transferred: 1536,
    savedAs: '/home/u/Downloads/Parley/report.pdf',
    startedAt: mine.at,
  };
  const received: ChatMessage = {
    ...mine,
    id: 'f1',
    direction: 'in',
    from: 'sip:bob@example.org',
    body: 'report.pdf',
    state: 'received',
    file: transfer,
  };

  it('lists the file by its name with its size and what became of it', () => {
    expect(textMessage(received)).toMatch(
      / sip:bob@example\.org \(file, 1\.5 KB, Received, saved as \/home\/u\/Downloads\/Parley\/report\.pdf\): report\.pdf\n$/,
    );
    const failed = {
      ...received,
      file: { ...transfer, state: 'failed' as const, savedAs: undefined, reason: 'Parley was closed during the transfer' },
    };
    expect(textMessage(failed)).toContain('(file, 1.5 KB, Not received: Parley was closed during the transfer): report.pdf');
    const sent: ChatMessage = { ...mine, body: 'report.pdf', file: { ...transfer, direction: 'out', savedAs: undefined } };
    // A file's delivery state says nothing (it is never in the outbox): the transfer's does.
    expect(textMessage(sent)).toContain('(file, 1.5 KB, Sent): report.pdf');
  });
});
