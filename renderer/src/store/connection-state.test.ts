import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../shared/ipc.js';
import { serverLink } from './connection-state.js';

const account: AccountView = {
  aor: 'sip:alice@example.org',
  proxy: 'sip:example.org',
  transport: 'udp',
  registerExpires: 600,
  hasPassword: true,
};

describe('serverLink', () => {
  it('is connected in direct mode and while registered', () => {
    expect(serverLink({ ...account, proxy: undefined }, { state: 'direct' }, 0)).toEqual({ connected: true });
    expect(serverLink(account, { state: 'registered', expires: 600 }, 0)).toEqual({ connected: true });
    expect(serverLink(null, { state: 'unregistered' }, 0)).toEqual({ connected: true });
  });

  it('says why not with a server: connecting, signed out, or the failure and the next try', () => {
    expect(serverLink(account, { state: 'registering' }, 0)).toEqual({ connected: false, reason: 'Connecting to the server…' });
    expect(serverLink(account, { state: 'unregistered' }, 0)).toEqual({ connected: false, reason: 'Signed out of the server.' });
    const lost = serverLink(account, { state: 'retrying', reason: { code: 'connection.no-answer' }, retryAt: 5_000 }, 0);
    expect(lost.connected).toBe(false);
    expect(lost.reason).toContain('Connection to the server lost: the server does not answer. Parley is reconnecting.');
    expect(lost.reason).toContain('next try in 5 s');
    expect(serverLink(account, { state: 'failed', code: 401 }, 0).reason).toMatch(/refused the password/);
  });
});
