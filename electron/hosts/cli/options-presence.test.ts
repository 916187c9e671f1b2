import { describe, expect, it } from 'vitest';
import { CliError, parseCli } from './options.js';

describe('--presence', () => {
  it('puts the presence mode in the account; without it the account leaves it automatic', () => {
    const args = parseCli(['listen', '--aor', 'sip:alice@example.org', '--proxy', 'sip:127.0.0.1', '--presence', 'server'], {});
    expect(args.options.account?.presenceMode).toBe('server');
    const plain = parseCli(['listen', '--aor', 'sip:alice@example.org', '--proxy', 'sip:127.0.0.1'], {});
    expect(plain.options.account?.presenceMode).toBeUndefined();
  });

  it('refuses a mode that does not exist, naming the option', () => {
    expect(() => parseCli(['listen', '--aor', 'sip:alice@example.org', '--presence', 'everyone'], {})).toThrow(/^--presence: /);
    expect(() => parseCli(['listen', '--aor', 'sip:alice@example.org', '--presence', 'everyone'], {})).toThrow(CliError);
  });
});
