import { describe, expect, it } from 'vitest';
import { silentLogger } from '../support/logger.js';
import { UserAgent } from 'sip.js';
import { buildUserAgent, contactShape, PRESENCE_FEATURE_TAG } from './user-agent.js';

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

const SETTINGS = {
  aor: 'sip:alice@example.org',
  listenHost: '127.0.0.1',
  listenPort: 0,
  advertisedHost: '127.0.0.1',
  userAgentString: 'test',
  logger: silentLogger,
};

describe('buildUserAgent over TLS', () => {
  const base = { ...SETTINGS, transport: 'tls' as const };

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

describe('our Contact outside REGISTER', () => {
  const settings = { ...SETTINGS, transport: 'udp' as const, servesPresence: true };
  const PUB = 'sip:alice@example.org;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
  const TEMP = 'sip:uloc-1-2-3-4@example.org;gr';

  it('is the temp-gruu when the registrar gave one, the pub-gruu without it, the URI without either', () => {
    const { ua } = buildUserAgent(settings);
    const uri = ua.contact.uri.toString();
    expect(ua.contact.toString()).toBe(`<${uri}>`);
    ua.contact.pubGruu = UserAgent.makeURI(PUB);
    expect(ua.contact.toString()).toBe(`<${PUB}>`);
    ua.contact.tempGruu = UserAgent.makeURI(TEMP);
    expect(ua.contact.toString()).toBe(`<${TEMP}>`);
    // the form an INVITE asks for (sip.js's Inviter) gets it too
    expect(ua.contact.toString({ outbound: false })).toBe(`<${TEMP}>`);
    // REGISTER names the device itself, with the feature tag of the binding
    expect(ua.contact.toString({ register: true })).toBe(`<${uri}>;${PRESENCE_FEATURE_TAG}`);
  });
});
