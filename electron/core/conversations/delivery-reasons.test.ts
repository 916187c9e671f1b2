import { describe, expect, it } from 'vitest';
import { wordReason } from '../../../shared/words/word-reason.js';
import { explainConnectionLost, explainDeliveryFailure } from './delivery-reasons.js';

const bob = 'sip:bob@example.org';

describe('explainDeliveryFailure', () => {
  it('says which peer is unknown, offline, slow, picky or unwilling', () => {
    expect(explainDeliveryFailure(404, bob)).toEqual({ code: 'delivery.unknown-user', params: { peer: bob } });
    expect(explainDeliveryFailure(480, bob)).toEqual({ code: 'delivery.offline', params: { peer: bob } });
    expect(explainDeliveryFailure(408, bob)).toEqual({ code: 'delivery.timeout', params: { peer: bob } });
    expect(explainDeliveryFailure(415, bob)).toEqual({ code: 'delivery.unsupported', params: { peer: bob } });
    for (const status of [486, 600, 603])
      expect(explainDeliveryFailure(status, bob)).toEqual({ code: 'delivery.declined', params: { peer: bob } });
    expect(wordReason(explainDeliveryFailure(404, bob), () => 'Bob')).toBe('Bob is not a known user on that server.');
  });

  it('blames the server for refusals, size and reachability', () => {
    for (const status of [401, 403, 407]) expect(explainDeliveryFailure(status, bob)).toEqual({ code: 'delivery.refused' });
    for (const status of [413, 513]) expect(explainDeliveryFailure(status, bob)).toEqual({ code: 'delivery.too-large' });
    expect(explainDeliveryFailure(503, bob)).toEqual({ code: 'delivery.unreachable' });
  });

  it('a message the connection closed under: how often, and what may be the matter', () => {
    expect(explainConnectionLost(3)).toEqual({ code: 'delivery.connection-lost', params: { times: 3 } });
    expect(wordReason(explainConnectionLost(3))).toMatch(
      /^The server closed the connection each time this message was sent \(3 times\) without answering\. It may be too large/,
    );
  });

  it('falls back to the status and the phrase the server gave', () => {
    expect(explainDeliveryFailure(488, bob, 'Not Acceptable Here')).toEqual({
      code: 'delivery.failed',
      params: { status: 488, phrase: 'Not Acceptable Here' },
    });
    expect(explainDeliveryFailure(0, bob)).toEqual({ code: 'delivery.failed', params: { status: 0 } });
    expect(wordReason(explainDeliveryFailure(488, bob, 'Not Acceptable Here'))).toBe('Not delivered: 488 Not Acceptable Here.');
  });
});
