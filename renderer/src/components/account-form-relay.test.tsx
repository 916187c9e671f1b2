import { describe, expect, it } from 'vitest';
import { buildAccount, formFromAccount } from '../store/account-form.js';

const values = {
  aor: 'alice@example.org',
  displayName: '',
  password: '',
  authUser: '',
  proxy: 'sip.example.org',
  transport: 'udp' as const,
};
const RELAY = 'msrps://sip.example.org:2856';

describe('account form: the MSRP relay', () => {
  it('keeps the relay, trimmed, none when left empty, and shows the saved one again', () => {
    const built = buildAccount({ ...values, msrpRelay: ` ${RELAY} ` }, null);
    expect(built.ok && built.account.msrpRelay).toBe(RELAY);
    const none = buildAccount({ ...values, msrpRelay: ' ' }, null);
    expect(none.ok && 'msrpRelay' in none.account).toBe(false);
    const account = { aor: 'sip:alice@example.org', transport: 'udp' as const, registerExpires: 600, hasPassword: true, msrpRelay: RELAY };
    expect(formFromAccount(account).msrpRelay).toBe(RELAY);
  });

  it('reports something that is not an MSRP relay address on the field itself', () => {
    expect(buildAccount({ ...values, msrpRelay: 'sip:relay.example.org' }, null)).toMatchObject({
      ok: false,
      fieldErrors: { msrpRelay: expect.stringMatching(/msrp:\/\/host:port/) },
    });
  });
});
