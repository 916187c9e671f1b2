import { describe, expect, it } from 'vitest';
import { buildAccount, formFromAccount } from './account-form.js';
import { describeRegistration, formatDuration } from './format.js';

describe('account form', () => {
  const values = {
    aor: 'alice@example.org',
    displayName: '',
    password: 'secret',
    authUser: '',
    proxy: '127.0.0.1:5060',
    transport: 'udp' as const,
  };

  it('adds sip: and drops empty optional fields', () => {
    const built = buildAccount(values, null);
    expect(built).toEqual({
      ok: true,
      account: { aor: 'sip:alice@example.org', proxy: 'sip:127.0.0.1:5060', transport: 'udp', registerExpires: 600 },
      password: 'secret',
    });
  });

  it('an empty proxy means direct mode; an empty password keeps the stored one', () => {
    const built = buildAccount({ ...values, proxy: '', password: '' }, null);
    expect(built.ok && built.account.proxy).toBe(undefined);
    expect(built.ok && built.password).toBe(undefined);
  });

  it('keeps settings the form does not show', () => {
    const existing = {
      aor: 'sip:alice@example.org',
      transport: 'udp' as const,
      registerExpires: 120,
      listen: '0.0.0.0:5070',
      hasPassword: true,
    };
    const built = buildAccount(values, existing);
    expect(built.ok && built.account).toMatchObject({ registerExpires: 120, listen: '0.0.0.0:5070' });
    expect(formFromAccount(existing)).toMatchObject({ aor: 'sip:alice@example.org', password: '' });
  });

  it('reports field errors with the contract schema', () => {
    expect(buildAccount({ ...values, aor: '' }, null)).toMatchObject({ ok: false, fieldErrors: { aor: expect.any(String) } });
    expect(buildAccount({ ...values, proxy: 'sip:bad proxy' }, null)).toMatchObject({
      ok: false,
      fieldErrors: { proxy: expect.any(String) },
    });
  });
});

describe('registration wording', () => {
  const now = 1_000_000;
  it('direct mode shows where others reach me', () => {
    const view = describeRegistration({ state: 'direct' }, now, [
      { transport: 'udp', host: '192.0.2.1', port: 5070, uri: 'sip:alice@192.0.2.1:5070' },
    ]);
    expect(view).toMatchObject({ label: 'Direct', tone: 'ok' });
    expect(view.detail).toContain('sip:alice@192.0.2.1:5070');
  });

  it('registered shows the time until the binding runs out', () => {
    const view = describeRegistration({ state: 'registered', expiresAt: now + 9 * 60_000 + 5000, publicAddress: '198.51.100.1:4000' }, now);
    expect(view.label).toBe('Registered');
    expect(view.detail).toContain('expires in 9 min 5 s');
    expect(view.detail).toContain('198.51.100.1:4000');
  });

  it('failed shows the human reason, or explains the status code', () => {
    expect(
      describeRegistration({ state: 'failed', reason: { code: 'register.bad-password', params: { user: 'alice' } }, code: 401 }, now)
        .detail,
    ).toBe('The server refused the password for alice. Check the password and the authentication user name. (SIP 401)');
    // A reason that already says its status is not told it twice.
    expect(
      describeRegistration({ state: 'failed', reason: { code: 'register.forbidden', params: { user: 'alice' } }, code: 403 }, now).detail,
    ).not.toContain('SIP 403');
    expect(describeRegistration({ state: 'failed', code: 407 }, now).detail).toMatch(/refused the password/);
  });

  it('retrying shows when the next attempt is', () => {
    const view = describeRegistration({ state: 'retrying', reason: { code: 'register.timeout' }, retryAt: now + 12_000 }, now);
    expect(view.detail).toBe('The server did not answer in time. Parley keeps trying. · next try in 12 s');
  });

  it('formats durations', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(-5)).toBe('0 s');
    expect(formatDuration(3 * 3600_000 + 5 * 60_000)).toBe('3 h 5 min');
  });
});
