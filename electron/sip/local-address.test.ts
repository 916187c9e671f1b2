import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { SipTransport } from './transport/sip-transport.js';
import { advertisedHost, firstExternalIPv4, listeningAddresses, localAddressTowards } from './local-address.js';

function externalIPv4s(): string[] {
  return Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((entry) => entry.family === 'IPv4' && !entry.internal)
    .map((entry) => entry.address);
}

describe('advertisedHost', () => {
  it('returns a specific listen host as is, without looking at the proxy', async () => {
    expect(await advertisedHost('192.0.2.10')).toBe('192.0.2.10');
    expect(await advertisedHost('127.0.0.1', { host: '198.51.100.1', port: 5060 })).toBe('127.0.0.1');
    expect(await advertisedHost('2001:db8::5')).toBe('2001:db8::5');
    expect(await advertisedHost('parley.example.org')).toBe('parley.example.org');
  });

  it('for a wildcard listen host, gives the address that routes to the proxy (127.0.0.1 towards 127.0.0.1)', async () => {
    expect(await advertisedHost('0.0.0.0', { host: '127.0.0.1', port: 5060 })).toBe('127.0.0.1');
    expect(await advertisedHost('::', { host: '127.0.0.1', port: 5060 })).toBe('127.0.0.1');
  });

  it('for a wildcard listen host without a proxy, gives the first external IPv4 address or loopback', async () => {
    const host = await advertisedHost('0.0.0.0');
    const candidates = externalIPv4s();
    if (candidates.length > 0) expect(host).toBe(candidates[0]);
    else expect(host).toBe('127.0.0.1');
  });
});

describe('localAddressTowards', () => {
  it('finds 127.0.0.1 towards 127.0.0.1 (a connected UDP socket sends nothing)', async () => {
    expect(await localAddressTowards('127.0.0.1', 9)).toBe('127.0.0.1');
  });

  it('returns undefined when the kernel cannot pick a route', async () => {
    expect(await localAddressTowards('127.0.0.1', 0)).toBeUndefined();
  });
});

describe('firstExternalIPv4', () => {
  it('is a non-internal IPv4 interface address, or undefined when there is none', () => {
    const first = firstExternalIPv4();
    const all = externalIPv4s();
    expect(first).toBe(all[0]);
    if (first !== undefined) expect(first).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });
});

describe('listeningAddresses', () => {
  it('one URI per transport listened on: sips: for TLS, transport=tcp for TCP, an IPv6 host in brackets', () => {
    const transport = { listening: { udp: 5060, tls: 5061 } } as unknown as SipTransport;
    expect(listeningAddresses(transport, '2001:db8::1', 'alice')).toEqual([
      { transport: 'udp', host: '2001:db8::1', port: 5060, uri: 'sip:alice@[2001:db8::1]:5060' },
      { transport: 'tls', host: '2001:db8::1', port: 5061, uri: 'sips:alice@[2001:db8::1]:5061' },
    ]);
    const tcp = { listening: { tcp: 5070 } } as unknown as SipTransport;
    expect(listeningAddresses(tcp, '192.0.2.1', 'bob')).toEqual([
      { transport: 'tcp', host: '192.0.2.1', port: 5070, uri: 'sip:bob@192.0.2.1:5070;transport=tcp' },
    ]);
  });
});
