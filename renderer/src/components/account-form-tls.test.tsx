import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AccountView } from '../../../shared/ipc.js';
import type { ParleyClient } from '../api.js';
import { AccountForm } from './AccountForm.js';
import { buildAccount, formFromAccount, usesTls } from '../store/account-form.js';
import { StoreProvider } from '../store/context.js';
import { createAppStore } from '../store/store.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBwDCCAWagAwIBAgIU\nbBGs+BlUIoMkzTkzxkyjmEMv2eQ=\n-----END CERTIFICATE-----';
const values = {
  aor: 'alice@example.org',
  displayName: '',
  password: 'secret',
  authUser: '',
  proxy: 'sip.example.org',
  transport: 'tls' as const,
};

describe('account form: trusted certificate', () => {
  it('TLS applies with the TLS transport or a sips: server or address', () => {
    expect(usesTls(values)).toBe(true);
    expect(usesTls({ ...values, transport: 'udp' })).toBe(false);
    expect(usesTls({ ...values, transport: 'udp', proxy: 'sips:sip.example.org' })).toBe(true);
    expect(usesTls({ ...values, transport: 'tcp', aor: 'sips:alice@example.org' })).toBe(true);
  });

  it('keeps the pasted certificate over TLS, trimmed', () => {
    const built = buildAccount({ ...values, tlsTrust: `\n${PEM}\n` }, null);
    expect(built.ok && built.account.tlsTrust).toBe(PEM);
  });

  it('drops it when TLS is not used (the field is hidden then)', () => {
    const built = buildAccount({ ...values, transport: 'udp', tlsTrust: PEM }, null);
    expect(built.ok && 'tlsTrust' in built.account).toBe(false);
  });

  it('reports something that is not a PEM certificate on the field itself', () => {
    const built = buildAccount({ ...values, tlsTrust: 'please trust me' }, null);
    expect(built).toMatchObject({ ok: false, fieldErrors: { tlsTrust: expect.stringMatching(/PEM certificates/) } });
    expect(built.ok === false && built.fieldErrors.aor).toBeUndefined();
  });

  it('fills the field from the saved account', () => {
    const account: AccountView = { aor: 'sip:alice@example.org', transport: 'tls', registerExpires: 600, tlsTrust: PEM, hasPassword: true };
    expect(formFromAccount(account).tlsTrust).toBe(PEM);
    expect(formFromAccount(null).tlsTrust).toBe('');
  });
});

describe('AccountForm: the trusted-certificate field', () => {
  const render = (account: AccountView) => {
    const store = createAppStore({ connection: () => ({ status: 'open', attempt: 0 }) } as unknown as ParleyClient);
    store.setState({ account });
    // A server render reads the store's initial state (zustand's server snapshot): make that this one.
    const view = { ...store, getInitialState: store.getState };
    return renderToStaticMarkup(
      <StoreProvider store={view}>
        <AccountForm />
      </StoreProvider>,
    );
  };

  it('is shown, with its help, for a TLS account', () => {
    const html = render({
      aor: 'sip:alice@example.org',
      proxy: 'sip:sip.example.org',
      transport: 'tls',
      registerExpires: 600,
      tlsTrust: PEM,
      hasPassword: true,
    });
    expect(html).toContain('data-testid="account-tls-trust"');
    expect(html).toContain('Trusted certificate (PEM');
    expect(html).toContain('refuses a certificate it cannot verify');
    expect(html).toContain('MIIBwDCCAWagAwIBAgIU');
  });

  it('is not shown for UDP', () => {
    const html = render({
      aor: 'sip:alice@example.org',
      proxy: 'sip:sip.example.org',
      transport: 'udp',
      registerExpires: 600,
      hasPassword: true,
    });
    expect(html).not.toContain('account-tls-trust');
  });
});
