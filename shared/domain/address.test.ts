import { describe, expect, it } from 'vitest';
import { completeAddress, domainOf, normalizeAddress, samePeer } from './address.js';

describe('normalizeAddress', () => {
  it('lower-cases scheme and host, keeps the user part, drops the default port and URI parameters', () => {
    expect(normalizeAddress('SIP:Alice@Example.ORG:5060;transport=tcp')).toBe('sip:Alice@example.org');
    expect(normalizeAddress('sip:alice@example.org;gr=urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6')).toBe('sip:alice@example.org');
    expect(normalizeAddress('sip:alice@example.org?subject=hi')).toBe('sip:alice@example.org');
  });

  it('keeps a non-default port', () => {
    expect(normalizeAddress('sip:alice@example.org:5070')).toBe('sip:alice@example.org:5070');
  });

  it('treats sips: as the same peer as sip:, with 5061 as its default port', () => {
    expect(normalizeAddress('sips:alice@example.org')).toBe('sip:alice@example.org');
    expect(normalizeAddress('sips:alice@example.org:5061')).toBe('sip:alice@example.org');
    expect(normalizeAddress('sips:alice@example.org:5070')).toBe('sip:alice@example.org:5070');
  });

  it('takes the URI out of a name-addr with a display name and header parameters', () => {
    expect(normalizeAddress('"Alice Smith" <sip:alice@Example.org:5060;transport=udp>;tag=1928301774')).toBe('sip:alice@example.org');
    expect(normalizeAddress('  <sip:bob@example.org>  ')).toBe('sip:bob@example.org');
  });

  it('makes the same key of the spellings one peer uses', () => {
    const spellings = [
      'sip:bob@example.org',
      'SIP:bob@EXAMPLE.org',
      'sip:bob@example.org:5060',
      '<sip:bob@example.org;transport=tcp>',
      'Bob <sips:bob@example.org>',
      'sip:bob@example.org;gr',
    ];
    expect(new Set(spellings.map(normalizeAddress))).toEqual(new Set(['sip:bob@example.org']));
  });

  it('keeps different users and hosts apart', () => {
    expect(normalizeAddress('sip:Bob@example.org')).not.toBe(normalizeAddress('sip:bob@example.org'));
    expect(normalizeAddress('sip:bob@example.org')).not.toBe(normalizeAddress('sip:bob@example.net'));
    expect(normalizeAddress('sip:bob@example.org:5070')).not.toBe(normalizeAddress('sip:bob@example.org'));
  });

  it('handles IPv6 hosts and host-only URIs', () => {
    expect(normalizeAddress('sip:bob@[2001:DB8::1]:5060')).toBe('sip:bob@[2001:db8::1]');
    expect(normalizeAddress('sip:bob@[2001:db8::1]:5070')).toBe('sip:bob@[2001:db8::1]:5070');
    expect(normalizeAddress('sip:Proxy.Example.org;lr')).toBe('sip:proxy.example.org');
  });

  it('lower-cases anything that is not a sip:/sips: URI', () => {
    expect(normalizeAddress(' TEL:+1555 ')).toBe('tel:+1555');
    expect(normalizeAddress('Alice@Example.org')).toBe('alice@example.org');
  });
});

describe('completeAddress', () => {
  it('completes what people type into SIP URIs', () => {
    expect(completeAddress('sip:bob@example.org')).toBe('sip:bob@example.org');
    expect(completeAddress('SIP:bob@example.org')).toBe('sip:bob@example.org');
    expect(completeAddress(' bob@example.org ')).toBe('sip:bob@example.org');
    expect(completeAddress(' bob@192.0.2.4:5070 ')).toBe('sip:bob@192.0.2.4:5070');
    expect(completeAddress('bob', 'sip:alice@example.org')).toBe('sip:bob@example.org');
    expect(completeAddress('192.0.2.7:5070', 'sip:alice@example.org')).toBe('sip:192.0.2.7:5070');
    expect(completeAddress('localhost', 'sip:alice@example.org')).toBe('sip:localhost');
  });

  it('refuses empty input and input with spaces, quotes or angle brackets', () => {
    for (const bad of ['', '   ', 'bob <x>', 'bob smith', '"bob"@example.org'])
      expect(completeAddress(bad, 'sip:alice@example.org'), bad).toBeNull();
  });

  it('finds the domain of an AOR', () => {
    expect(domainOf('sip:alice@example.org;transport=tcp')).toBe('example.org');
    expect(domainOf('sip:example.org')).toBeNull();
    expect(domainOf(undefined)).toBeNull();
  });

  it('treats case, default port and parameters as the same peer', () => {
    expect(samePeer('sip:bob@Example.org:5060;transport=tcp', 'sip:bob@example.org')).toBe(true);
    expect(samePeer('sip:bob@example.org', 'sip:carol@example.org')).toBe(false);
  });
});
