import { describe, expect, it } from 'vitest';
import { AccountConfig, MAX_TLS_TRUST_CHARS, MsrpRelay, TlsTrust } from './account.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBwDCCAWagAwIBAgIU\nbBGs+BlUIoMkzTkzxkyjmEMv2eQ=\n-----END CERTIFICATE-----';

describe('TlsTrust', () => {
  it('accepts one or more PEM certificates, trimmed', () => {
    expect(TlsTrust.parse(`\n${PEM}\n`)).toBe(PEM);
    expect(TlsTrust.safeParse(`${PEM}\n\n${PEM}\r\n`).success).toBe(true);
  });

  it('refuses anything else: keys, text, a certificate cut short, too much', () => {
    expect(TlsTrust.safeParse('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----').success).toBe(false);
    expect(TlsTrust.safeParse('trust me').success).toBe(false);
    expect(TlsTrust.safeParse(PEM.slice(0, -10)).success).toBe(false);
    expect(TlsTrust.safeParse(`${PEM}\n-----BEGIN CERTIFICATE-----\nA*A\n-----END CERTIFICATE-----`).success).toBe(false);
    const huge = `-----BEGIN CERTIFICATE-----\n${'A'.repeat(MAX_TLS_TRUST_CHARS)}\n-----END CERTIFICATE-----`;
    expect(TlsTrust.safeParse(huge).success).toBe(false);
  });

  it('is optional on an account', () => {
    expect(AccountConfig.parse({ aor: 'sip:alice@example.org', transport: 'tls', proxy: 'sip:example.org', tlsTrust: PEM }).tlsTrust).toBe(
      PEM,
    );
    expect(AccountConfig.parse({ aor: 'sip:alice@example.org' }).tlsTrust).toBeUndefined();
  });

  it('stays fast on a long near-miss', () => {
    const nearMiss = `-----BEGIN CERTIFICATE-----\n${'A\n'.repeat(15_000)}-----END CERTIFICATE----`;
    const started = performance.now();
    expect(TlsTrust.safeParse(nearMiss).success).toBe(false);
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe('MsrpRelay', () => {
  it('takes msrp: and msrps: host:port, with or without ;tcp, trimmed', () => {
    expect(MsrpRelay.parse(' msrps://sip.example.org:2856 ')).toBe('msrps://sip.example.org:2856');
    expect(MsrpRelay.safeParse('msrp://192.0.2.7:2855;tcp').success).toBe(true);
    expect(MsrpRelay.safeParse('msrp://[2001:db8::1]:2855').success).toBe(true);
  });

  it('refuses what is not a relay address: no port, a session-id, another scheme, a transport other than tcp', () => {
    for (const text of [
      'msrp://relay.example.org',
      'msrp://relay.example.org:2855/abc;tcp',
      'sip:relay.example.org:2855',
      'msrp://r:2855;udp',
      'msrp://a b:1',
    ])
      expect(MsrpRelay.safeParse(text).success).toBe(false);
  });

  it('is optional on an account', () => {
    expect(AccountConfig.parse({ aor: 'sip:alice@example.org', msrpRelay: 'msrp://example.org:2855' }).msrpRelay).toBe(
      'msrp://example.org:2855',
    );
    expect(AccountConfig.parse({ aor: 'sip:alice@example.org' }).msrpRelay).toBeUndefined();
  });
});
