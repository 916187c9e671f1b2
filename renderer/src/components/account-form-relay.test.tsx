import { describe, expect, it } from 'vitest';
import { buildAccount, formFromAccount } from '../store/account-form.js';

const RELAY = 'msrps://sip.example.org:2856';
/** The form as a new account fills it: an address and a server, the rest as the form starts. */
const filled = (msrpRelay: string) => ({ ...formFromAccount(null), aor: 'alice@example.org', proxy: 'sip.example.org', msrpRelay });

describe('account form: the MSRP relay', () => {
  it('is kept trimmed, left out when empty, and shown again from the saved account', () => {
    const built = buildAccount(filled(` ${RELAY} `), null);
    expect(built.ok && built.account.msrpRelay).toBe(RELAY);
    const empty = buildAccount(filled(' '), null);
    expect(empty.ok && 'msrpRelay' in empty.account).toBe(false);
    expect(
      formFromAccount({ aor: 'sip:alice@example.org', transport: 'udp', registerExpires: 600, hasPassword: true, msrpRelay: RELAY })
        .msrpRelay,
    ).toBe(RELAY);
  });

  it('reports something that is not an MSRP relay address on the field itself', () => {
    expect(buildAccount(filled('sip:relay.example.org'), null)).toMatchObject({
      ok: false,
      fieldErrors: { msrpRelay: expect.stringMatching(/msrp:\/\/host:port/) },
    });
  });
});
