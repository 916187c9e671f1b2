import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { ParleyClient } from '../api.js';
import { AccountForm } from './AccountForm.js';
import { buildAccount, formFromAccount } from '../store/account-form.js';
import { StoreProvider } from '../store/context.js';
import { createAppStore } from '../store/store.js';

const values = {
  aor: 'alice@example.org',
  displayName: '',
  password: '',
  authUser: '',
  proxy: 'sip.example.org',
  transport: 'udp' as const,
};
const ROOT = 'http://127.0.0.1:5060/xcap-root';

describe('account form: contact list on the server (XCAP root)', () => {
  it('keeps the XCAP root, trimmed, and none when left empty', () => {
    const built = buildAccount({ ...values, xcapRoot: ` ${ROOT} ` }, null);
    expect(built.ok && built.account.xcapRoot).toBe(ROOT);
    const none = buildAccount({ ...values, xcapRoot: '  ' }, null);
    expect(none.ok && 'xcapRoot' in none.account).toBe(false);
  });

  it('reports something that is not an http(s) URL on the field itself', () => {
    expect(buildAccount({ ...values, xcapRoot: 'ftp://example.org/xcap' }, null)).toMatchObject({
      ok: false,
      fieldErrors: { xcapRoot: expect.stringMatching(/http: or https: URL/) },
    });
  });

  it('shows the saved root, so saving the form again keeps it', () => {
    const account = { aor: 'sip:alice@example.org', transport: 'udp' as const, registerExpires: 600, hasPassword: true, xcapRoot: ROOT };
    expect(formFromAccount(account).xcapRoot).toBe(ROOT);
    const store = createAppStore({ connection: () => ({ status: 'open', attempt: 0 }) } as unknown as ParleyClient);
    store.setState({ account });
    // A server render reads the store's initial state (zustand's server snapshot): make that this one.
    const view = { ...store, getInitialState: store.getState };
    const html = renderToStaticMarkup(
      <StoreProvider store={view}>
        <AccountForm />
      </StoreProvider>,
    );
    expect(html).toContain('data-testid="account-xcap-root"');
    expect(html).toContain(`value="${ROOT}"`);
  });
});
