// dnsmasq as a DNS server on loopback for tests: A and SRV records from the command line, nothing
// read from the machine (no resolv.conf, no hosts file), on a free port. Run detached in its own
// process group like Kamailio (exit-guard.ts), so a crashed test run leaves nothing behind.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import dns from 'node:dns/promises';
import { killGroupOnExit, release } from './exit-guard.js';
import { freePort } from './free-port.js';

export const DNSMASQ = ['/usr/sbin/dnsmasq', '/usr/bin/dnsmasq'].find((path) => existsSync(path));

export interface DnsRecords {
  /** name → IPv4 address */
  hosts: Record<string, string>;
  /** SRV records: `_sip._udp.domain` → targets (lower priority first, RFC 2782) */
  srv?: Record<string, { target: string; port: number; priority: number; weight: number }[]>;
}

export interface RunningDns {
  /** "127.0.0.1:port", as DnsResolver's `servers` and PARLEY_DNS_SERVERS take it. */
  server: string;
  stop(): Promise<void>;
}

/** Start dnsmasq serving `records`; resolves once it answers. Needs Debian's dnsmasq-base. */
export async function startDnsmasq(records: DnsRecords): Promise<RunningDns> {
  if (!DNSMASQ) throw new Error('dnsmasq was not found (Debian package dnsmasq-base)');
  const port = await freePort();
  const args = [
    '--keep-in-foreground',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--bind-interfaces',
    '--listen-address=127.0.0.1',
    `--port=${port}`,
    '--user=root',
    '--pid-file=',
    ...Object.entries(records.hosts).map(([name, ip]) => `--host-record=${name},${ip}`),
    ...Object.entries(records.srv ?? {}).flatMap(([name, targets]) =>
      targets.map((t) => `--srv-host=${name},${t.target},${t.port},${t.priority},${t.weight}`),
    ),
  ];
  const child = spawn(DNSMASQ, args, { detached: true, stdio: 'ignore' });
  const pid = child.pid;
  let exited = false;
  const gone = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  if (pid === undefined) throw new Error('could not run dnsmasq');
  killGroupOnExit(pid, 'dnsmasq');
  const stop = async (): Promise<void> => {
    if (!exited) {
      try {
        process.kill(-pid, 'SIGTERM');
      } catch {
        // already gone
      }
      await gone;
    }
    release(pid);
  };
  const server = `127.0.0.1:${port}`;
  const probe = new dns.Resolver({ timeout: 200, tries: 1 });
  probe.setServers([server]);
  const [someName] = Object.keys(records.hosts);
  for (let i = 0; i < 100 && !exited; i++) {
    if (
      !someName ||
      (await probe.resolve4(someName).then(
        () => true,
        () => false,
      ))
    )
      return { server, stop };
    await delay(50);
  }
  await stop();
  throw new Error('dnsmasq did not start');
}
