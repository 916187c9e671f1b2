import { describe, expect, it } from 'vitest';
import { proxyRoute, proxyTransport } from './proxy.js';

describe('proxyTransport', () => {
  it('sips: means TLS, a transport parameter wins over the menu, else the menu', () => {
    expect(proxyTransport('sips:sip.example.org', 'udp')).toBe('tls');
    expect(proxyTransport('sip:127.0.0.1:5061;transport=TLS', 'udp')).toBe('tls');
    expect(proxyTransport('sip:sip.example.org;transport=tcp', 'tls')).toBe('tcp');
    expect(proxyTransport('sip:sip.example.org', 'tls')).toBe('tls');
    expect(proxyTransport(undefined, 'tcp')).toBe('tcp');
    expect(proxyTransport('not a uri', 'udp')).toBe('udp');
  });
});

describe('proxyRoute', () => {
  it('makes the transport explicit for sip: and leaves sips: alone', () => {
    expect(proxyRoute('sip:sip.example.org', 'tls')).toBe('<sip:sip.example.org;lr;transport=tls>');
    expect(proxyRoute('sips:sip.example.org:5061', 'tls')).toBe('<sips:sip.example.org:5061;lr>');
    expect(proxyRoute('sip:[2001:db8::1]:5061;transport=tls', 'udp')).toBe('<sip:[2001:db8::1]:5061;lr;transport=tls>');
  });
});
