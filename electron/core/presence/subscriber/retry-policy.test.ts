import { describe, expect, it } from 'vitest';
import { wordReason } from '../../../../shared/words/word-reason.js';
import { afterFailure, afterTermination, presenceBackoff } from './retry-policy.js';

describe('presence retry policy (RFC 6665 §4.1.3)', () => {
  it('subscribes again at once after deactivated and timeout', () => {
    expect(afterTermination('bob@example.org', 'deactivated')).toEqual({ kind: 'now' });
    expect(afterTermination('bob@example.org', 'timeout')).toEqual({ kind: 'now' });
  });

  it('waits after probation and giveup, honouring retry-after', () => {
    expect(afterTermination('bob@example.org', 'probation', 90)).toMatchObject({
      kind: 'later',
      delayMs: 90_000,
      reason: { code: 'subscription.paused' },
    });
    const giveup = afterTermination('bob@example.org', 'giveup');
    expect(giveup).toMatchObject({ kind: 'later', reason: { code: 'subscription.paused', params: { peer: 'bob@example.org' } } });
    expect(giveup).not.toHaveProperty('delayMs');
  });

  it('never retries rejected or noresource by itself, and says why', () => {
    const rejected = afterTermination('sip:bob@example.org', 'rejected');
    expect(rejected).toEqual({ kind: 'never', reason: { code: 'subscription.rejected', params: { peer: 'sip:bob@example.org' } } });
    expect(rejected.kind === 'never' && wordReason(rejected.reason)).toMatch(/bob@example\.org did not allow you/);
    const none = afterTermination('sip:bob@example.org', 'noresource');
    expect(none).toEqual({ kind: 'never', reason: { code: 'subscription.no-resource', params: { peer: 'sip:bob@example.org' } } });
    expect(none.kind === 'never' && wordReason(none.reason)).toMatch(/does not exist/);
  });

  it('481 starts a new subscription at once; 408, 480 and 5xx retry later; 403/404/489 fail', () => {
    expect(afterFailure('bob', 481)).toEqual({ kind: 'now' });
    for (const status of [408, 480, 500, 503, 504]) expect(afterFailure('bob', status).kind).toBe('later');
    expect(afterFailure('bob', 503, 'Service Unavailable', 30)).toMatchObject({ kind: 'later', delayMs: 30_000 });
    for (const status of [403, 404, 489, 603]) expect(afterFailure('bob', status).kind).toBe('never');
    expect(afterFailure('bob', 404, 'Not Found')).toEqual({
      kind: 'never',
      reason: { code: 'subscription.unknown-user', params: { peer: 'bob', status: 404, phrase: 'Not Found' } },
    });
    expect(afterFailure('bob', 500)).toMatchObject({ reason: { code: 'subscription.server-error', params: { peer: 'bob', status: 500 } } });
  });

  it('501 is final: a server that does not implement SUBSCRIBE is not asked again', () => {
    expect(afterFailure('bob@example.org', 501, 'Not Implemented')).toEqual({
      kind: 'never',
      reason: { code: 'subscription.not-offered', params: { peer: 'bob@example.org', status: 501, phrase: 'Not Implemented' } },
    });
    // its neighbours still pass with time
    for (const status of [500, 502, 504]) expect(afterFailure('bob', status).kind).toBe('later');
  });

  it('backs off exponentially with jitter, capped at five minutes', () => {
    expect(presenceBackoff(0, () => 0.5)).toBe(1000);
    expect(presenceBackoff(3, () => 0.5)).toBe(8000);
    expect(presenceBackoff(30, () => 0.5)).toBe(300_000);
    expect(presenceBackoff(2, () => 0)).toBe(3000);
    expect(presenceBackoff(2, () => 1)).toBe(5000);
  });
});
