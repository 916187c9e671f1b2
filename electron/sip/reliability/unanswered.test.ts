import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../testing/fake-timers.js';
import { TRANSACTION_TIMEOUT } from './timers.js';
import { UnansweredRequests } from './unanswered.js';

describe('UnansweredRequests', () => {
  it('a flow that closes loses what it carried unanswered, and nothing of other flows', () => {
    const requests = new UnansweredRequests(new FakeTimers());
    requests.written('tcp:a', 'z9hG4bK1', 'MESSAGE');
    requests.written('tcp:a', 'z9hG4bK2', 'subscribe');
    requests.written('tcp:b', 'z9hG4bK3', 'MESSAGE');
    requests.written('tcp:a', 'z9hG4bK4', 'ACK'); // never answered, never kept
    requests.answered('z9hG4bK1', 'MESSAGE', 100); // provisional: still waiting
    requests.answered('z9hG4bK2', 'SUBSCRIBE', 200);
    expect(requests.closed('tcp:a')).toEqual([{ branch: 'z9hG4bK1', method: 'MESSAGE' }]);
    expect(requests.closed('tcp:a')).toEqual([]);
    expect(requests.size).toBe(1);
    expect(requests.closed('tcp:b')).toEqual([{ branch: 'z9hG4bK3', method: 'MESSAGE' }]);
    expect(requests.size).toBe(0);
  });

  it('forgets a request after Timer F (its transaction has ended by then)', () => {
    const timers = new FakeTimers();
    const requests = new UnansweredRequests(timers);
    requests.written('tls:a', 'z9hG4bK1', 'MESSAGE');
    timers.advance(TRANSACTION_TIMEOUT - 1);
    expect(requests.size).toBe(1);
    timers.advance(1);
    expect(requests.size).toBe(0);
    expect(timers.pending).toBe(0);
    expect(requests.closed('tls:a')).toEqual([]);
  });

  it('stopAll clears every entry and its timer', () => {
    const timers = new FakeTimers();
    const requests = new UnansweredRequests(timers);
    requests.written('tcp:a', 'z9hG4bK1', 'MESSAGE');
    requests.written('tcp:b', 'z9hG4bK2', 'MESSAGE');
    requests.stopAll();
    expect([requests.size, timers.pending]).toEqual([0, 0]);
  });
});
