import { describe, expect, it } from 'vitest';
import { wordReason } from '../../../shared/words/word-reason.js';
import { explainRegisterFailure } from './registration-reasons.js';

describe('explainRegisterFailure', () => {
  it('blames the password for 401 and 407, names the user, and does not retry', () => {
    for (const status of [401, 407]) {
      const { reason, retry } = explainRegisterFailure(status, 'alice@example.org');
      expect(reason).toEqual({ code: 'register.bad-password', params: { user: 'alice@example.org' } });
      expect(wordReason(reason)).toMatch(/password/i);
      expect(wordReason(reason)).toContain('alice@example.org');
      expect(retry).toBe(false);
    }
  });

  it('does not retry problems the user must fix (403, 404)', () => {
    const forbidden = explainRegisterFailure(403, 'alice');
    expect(forbidden.retry).toBe(false);
    expect(forbidden.reason).toEqual({ code: 'register.forbidden', params: { user: 'alice' } });
    expect(wordReason(forbidden.reason)).toContain('403 Forbidden');
    const unknown = explainRegisterFailure(404, 'alice');
    expect(unknown.retry).toBe(false);
    expect(unknown.reason).toEqual({ code: 'register.unknown-user', params: { user: 'alice' } });
    expect(wordReason(unknown.reason)).toContain('404 Not Found');
    expect(wordReason(unknown.reason)).toContain('alice');
  });

  it('retries problems that may pass (408, 423, 480, 500, 502, 503, 504)', () => {
    for (const status of [408, 423, 480, 500, 502, 503, 504]) {
      const { reason, retry } = explainRegisterFailure(status, 'alice');
      expect(retry, String(status)).toBe(true);
      expect(wordReason(reason).length).toBeGreaterThan(10);
    }
    expect(explainRegisterFailure(408, 'alice').reason).toEqual({ code: 'register.timeout' });
    expect(wordReason(explainRegisterFailure(408, 'alice').reason)).toMatch(/keeps trying/);
    expect(explainRegisterFailure(423, 'alice').reason).toEqual({ code: 'register.interval-too-short' });
    expect(explainRegisterFailure(503, 'alice').reason).toEqual({ code: 'register.unreachable' });
    expect(wordReason(explainRegisterFailure(503, 'alice').reason)).toMatch(/unavailable/);
  });

  it('includes the status and reason phrase for the server-side errors', () => {
    const busy = explainRegisterFailure(500, 'alice', 'Server Internal Error').reason;
    expect(busy).toEqual({ code: 'register.server-busy', params: { status: 500, phrase: 'Server Internal Error' } });
    expect(wordReason(busy)).toContain('(500 Server Internal Error)');
    expect(explainRegisterFailure(502, 'alice').reason).toEqual({ code: 'register.server-busy', params: { status: 502 } });
    expect(wordReason(explainRegisterFailure(502, 'alice').reason)).toContain('(502)');
  });

  it('falls back to the status and phrase: other 4xx are not retried, other 5xx are', () => {
    const other4xx = explainRegisterFailure(488, 'alice', 'Not Acceptable Here');
    expect(other4xx).toEqual({ reason: { code: 'register.failed', params: { status: 488, phrase: 'Not Acceptable Here' } }, retry: false });
    expect(wordReason(other4xx.reason)).toBe('Registration failed: 488 Not Acceptable Here.');
    const bare = explainRegisterFailure(420, 'alice');
    expect(bare).toEqual({ reason: { code: 'register.failed', params: { status: 420 } }, retry: false });
    expect(wordReason(bare.reason)).toBe('Registration failed: 420.');
    expect(explainRegisterFailure(580, 'alice', 'Precondition Failure').retry).toBe(true);
  });

  it('does not retry 6xx global failures such as 603 Decline and 604 Does Not Exist Anywhere', () => {
    expect(explainRegisterFailure(603, 'alice', 'Decline').retry).toBe(false);
    expect(explainRegisterFailure(604, 'alice', 'Does Not Exist Anywhere').retry).toBe(false);
  });
});
