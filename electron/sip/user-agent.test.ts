import { describe, expect, it } from 'vitest';
import { silentLogger } from '../support/logger.js';
import { buildUserAgent, contactShape } from './user-agent.js';

describe('contactShape', () => {
  it('sips: Contact when the proxy or the address of record is sips: (RFC 3261 §8.1.1.8)', () => {
    expect(contactShape('tls', 'sip:alice@example.org', 'sips:sip.example.org')).toEqual({ scheme: 'sips', params: {} });
    expect(contactShape('tls', 'sips:alice@example.org')).toEqual({ scheme: 'sips', params: {} });
  });

  it('else a sip: Contact naming the transport (none for UDP)', () => {
    expect(contactShape('tls', 'sip:alice@example.org', 'sip:127.0.0.1:5061;transport=tls')).toEqual({
      scheme: 'sip',
      params: { transport: 'tls' },
    });
    expect(contactShape('tcp', 'sip:alice@example.org', 'sip:sip.example.org')).toEqual({ scheme: 'sip', params: { transport: 'tcp' } });
    expect(contactShape('udp', 'sip:alice@example.org')).toEqual({ scheme: 'sip', params: {} });
  });
});

describe('buildUserAgent over TLS', () => {
  const base = {
    aor: 'sip:alice@example.org',
    transport: 'tls' as const,
    listenHost: '127.0.0.1',
    listenPort: 0,
    advertisedHost: '127.0.0.1',
    userAgentString: 'test',
    logger: silentLogger,
  };

  it('gives the transport our Contact user and the Contact the TLS shape', () => {
    const built = buildUserAgent({ ...base, proxy: 'sip:127.0.0.1:5061;transport=tls' });
    const contact = built.ua.contact.uri;
    expect(contact.scheme).toBe('sip');
    expect(contact.getParam('transport')).toBe('tls');
    expect((built.transport as unknown as { options: { contactUser?: string } }).options.contactUser).toBe(contact.user);
  });

  it('a sips: proxy gets a sips: Contact', () => {
    const built = buildUserAgent({ ...base, proxy: 'sips:127.0.0.1:5061' });
    expect(built.ua.contact.toString()).toMatch(/^<sips:[0-9a-f]{12}@127\.0\.0\.1>$/);
  });
});
