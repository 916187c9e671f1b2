import { describe, expect, it } from 'vitest';
import { CliError, parseCli } from './options.js';

describe('--msrp-relay', () => {
  it('puts the relay in the account', () => {
    const args = parseCli(['listen', '--aor', 'sip:alice@example.org', '--msrp-relay', 'msrp://127.0.0.1:2855'], {});
    expect(args.options.account?.msrpRelay).toBe('msrp://127.0.0.1:2855');
  });

  it('refuses what is not an MSRP relay address', () => {
    expect(() => parseCli(['listen', '--aor', 'sip:alice@example.org', '--msrp-relay', 'http://relay'], {})).toThrow(CliError);
  });
});
