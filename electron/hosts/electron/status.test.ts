import { describe, expect, it } from 'vitest';
import { statusLine } from './status.js';

describe('status', () => {
  it('says what the registration state means', () => {
    expect(statusLine({ state: 'registered' }, 'sip:alice@example.org')).toBe('Online as alice@example.org');
    expect(statusLine({ state: 'direct' })).toBe('Online (direct)');
    expect(statusLine({ state: 'failed', reason: { code: 'register.bad-password', params: { user: 'alice' } } })).toBe(
      'Offline: The server refused the password for alice. Check the password and the authentication user name.',
    );
    expect(statusLine({ state: 'retrying', reason: { code: 'register.timeout' } })).toBe(
      'Reconnecting… (The server did not answer in time. Parley keeps trying.)',
    );
    expect(statusLine({ state: 'retrying' })).toBe('Reconnecting…');
  });
});
