/**
 * Server lookup against a real DNS server (dnsmasq on loopback): SRV first when the URI has no
 * port, A otherwise, and a clear error for a name that does not exist.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNSMASQ, startDnsmasq, type RunningDns } from '../../../server/dnsmasq.js';
import { DnsResolver } from './resolver.js';

describe.skipIf(!DNSMASQ)('DnsResolver with dnsmasq (needs Debian package dnsmasq-base)', () => {
  let dns: RunningDns | undefined;
  let resolver: DnsResolver;
  beforeAll(async () => {
    dns = await startDnsmasq({
      hosts: { 'sip1.parley.test': '127.0.0.11', 'sip2.parley.test': '127.0.0.12', 'plain.parley.test': '127.0.0.13' },
      srv: {
        '_sip._udp.parley.test': [
          { target: 'sip2.parley.test', port: 5062, priority: 20, weight: 10 },
          { target: 'sip1.parley.test', port: 5061, priority: 10, weight: 10 },
        ],
        '_sip._tcp.parley.test': [{ target: 'sip1.parley.test', port: 5070, priority: 10, weight: 10 }],
        '_sips._tcp.parley.test': [{ target: 'sip2.parley.test', port: 5071, priority: 10, weight: 10 }],
      },
    });
    resolver = new DnsResolver({ servers: [dns.server] });
  });
  afterAll(async () => {
    await dns?.stop();
  });

  it('uses the best SRV record per transport when the URI has no port (RFC 3263)', async () => {
    expect(await resolver.resolve('parley.test', undefined, 'udp')).toEqual({ host: '127.0.0.11', port: 5061 });
    expect(await resolver.resolve('parley.test', undefined, 'tcp')).toEqual({ host: '127.0.0.11', port: 5070 });
    expect(await resolver.resolve('parley.test', undefined, 'tls')).toEqual({ host: '127.0.0.12', port: 5071 });
  });

  it('fails over to the next SRV target once the best is avoided, and back when every one was', async () => {
    const cluster = new DnsResolver({ servers: [dns!.server] });
    const best = await cluster.resolve('parley.test', undefined, 'udp');
    expect(best).toEqual({ host: '127.0.0.11', port: 5061 });
    cluster.avoid(best); // the flow monitor found it dead
    const next = await cluster.resolve('parley.test', undefined, 'udp');
    expect(next).toEqual({ host: '127.0.0.12', port: 5062 });
    // the other transports' records are their own (TCP has only the avoided one's twin: another port)
    expect(await cluster.resolve('parley.test', undefined, 'tcp')).toEqual({ host: '127.0.0.11', port: 5070 });
    cluster.avoid(next);
    expect(await cluster.resolve('parley.test', undefined, 'udp')).toEqual(best);
  });

  it('reads its DNS servers from PARLEY_DNS_SERVERS when it is given none', async () => {
    const before = process.env.PARLEY_DNS_SERVERS;
    process.env.PARLEY_DNS_SERVERS = dns!.server;
    try {
      expect(await new DnsResolver().resolve('parley.test', undefined, 'tls')).toEqual({ host: '127.0.0.12', port: 5071 });
    } finally {
      if (before === undefined) delete process.env.PARLEY_DNS_SERVERS;
      else process.env.PARLEY_DNS_SERVERS = before;
    }
  });

  it('falls back to A records on the default port, and skips SRV when a port is given', async () => {
    expect(await resolver.resolve('plain.parley.test', undefined, 'udp')).toEqual({ host: '127.0.0.13', port: 5060 });
    expect(await resolver.resolve('plain.parley.test', undefined, 'tls')).toEqual({ host: '127.0.0.13', port: 5061 });
    expect(await resolver.resolve('sip2.parley.test', 7000, 'udp')).toEqual({ host: '127.0.0.12', port: 7000 });
  });

  it('says clearly when a name does not exist', async () => {
    await expect(resolver.resolve('nowhere.parley.test', undefined, 'udp')).rejects.toThrow(
      /cannot find the SIP server "nowhere.parley.test"/,
    );
  });

  it('takes IP literals as they are', async () => {
    expect(await resolver.resolve('192.0.2.1', undefined, 'tls')).toEqual({ host: '192.0.2.1', port: 5061 });
  });
});
