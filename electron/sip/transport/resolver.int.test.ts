/**
 * Server lookup against a real DNS server (dnsmasq on loopback): SRV first when the URI has no
 * port, A otherwise, and a clear error for a name that does not exist.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../server/free-port.js';
import { DnsResolver } from './resolver.js';

const dnsmasq = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((p) => fs.existsSync(p));

describe.skipIf(!dnsmasq)('DnsResolver with dnsmasq (needs Debian package dnsmasq-base)', () => {
  let server: ChildProcess;
  let resolver: DnsResolver;
  beforeAll(async () => {
    const port = await freePort();
    server = spawn(
      dnsmasq!,
      [
        '--keep-in-foreground',
        '--no-resolv',
        '--no-hosts',
        '--no-poll',
        '--bind-interfaces',
        '--listen-address=127.0.0.1',
        `--port=${port}`,
        '--user=root',
        '--pid-file=',
        '--host-record=sip1.parley.test,127.0.0.11',
        '--host-record=sip2.parley.test,127.0.0.12',
        '--host-record=plain.parley.test,127.0.0.13',
        '--srv-host=_sip._udp.parley.test,sip2.parley.test,5062,20,10',
        '--srv-host=_sip._udp.parley.test,sip1.parley.test,5061,10,10',
        '--srv-host=_sip._tcp.parley.test,sip1.parley.test,5070,10,10',
        '--srv-host=_sips._tcp.parley.test,sip2.parley.test,5071,10,10',
      ],
      { stdio: 'ignore' },
    );
    resolver = new DnsResolver({ servers: [`127.0.0.1:${port}`] });
    // Ready when it answers.
    for (let i = 0; i < 100; i++) {
      try {
        await new DnsResolver({ servers: [`127.0.0.1:${port}`] }).resolve('plain.parley.test', 5060, 'udp');
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    throw new Error('dnsmasq did not start');
  });
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('uses the best SRV record per transport when the URI has no port (RFC 3263)', async () => {
    expect(await resolver.resolve('parley.test', undefined, 'udp')).toEqual({ host: '127.0.0.11', port: 5061 });
    expect(await resolver.resolve('parley.test', undefined, 'tcp')).toEqual({ host: '127.0.0.11', port: 5070 });
    expect(await resolver.resolve('parley.test', undefined, 'tls')).toEqual({ host: '127.0.0.12', port: 5071 });
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
