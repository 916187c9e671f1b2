/**
 * Server lookup (RFC 3263, simplified): an IP literal is used as is; a name with an explicit port
 * is resolved with A/AAAA; a name without a port is first tried as SRV (_sips._tcp, _sip._tcp or
 * _sip._udp for the chosen transport) and falls back to A/AAAA on the default port.
 * Answers are cached for a minute so a burst of MESSAGEs does not hit the resolver each time.
 *
 * Failover between SRV targets (RFC 3263 §4.3, RFC 2782): a server found dead (the flow monitor,
 * electron/core/account/flow-monitor.ts) is avoided from then on, and the next lookup of its name
 * gives the next target in SRV order. Once every target of a name has been avoided the marks are
 * forgotten and the lookups start again from the best one. A name given with a port, or an A
 * record, has one target only: avoiding it changes nothing.
 */
import dns from 'node:dns/promises';
import { isIP } from 'node:net';
import { defaultPort, type TransportKind } from './flow.js';

export interface Resolved {
  host: string;
  port: number;
}

export interface Resolver {
  resolve(host: string, port: number | undefined, transport: TransportKind): Promise<Resolved>;
  /** This address stopped answering: look past it to the next SRV target from now on. */
  avoid?(hop: Resolved): void;
}

const SRV_PREFIX: Record<TransportKind, string> = { tls: '_sips._tcp.', tcp: '_sip._tcp.', udp: '_sip._udp.' };

export interface DnsResolverOptions {
  /**
   * DNS servers ("ip" or "ip:port") to ask instead of the system's; names are then never looked up
   * in /etc/hosts. Default: the comma-separated list in the environment variable
   * PARLEY_DNS_SERVERS, if set (a test's dnsmasq, or a resolver the system does not use).
   */
  servers?: string[];
  ttlMs?: number;
}

export class DnsResolver implements Resolver {
  private readonly cache = new Map<string, { value: Resolved; until: number }>();
  private readonly dns: dns.Resolver;
  private readonly ttlMs: number;
  private readonly custom: boolean;
  /** Addresses ("host port") found dead: skipped among SRV targets while another is left. */
  private readonly avoided = new Set<string>();

  constructor(options: DnsResolverOptions = {}) {
    this.dns = new dns.Resolver({ timeout: 2000, tries: 2 });
    const servers =
      options.servers ??
      process.env.PARLEY_DNS_SERVERS?.split(',')
        .map((server) => server.trim())
        .filter(Boolean) ??
      [];
    this.custom = servers.length > 0;
    if (this.custom) this.dns.setServers(servers);
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  async resolve(host: string, port: number | undefined, transport: TransportKind): Promise<Resolved> {
    if (isIP(host)) return { host, port: port ?? defaultPort(transport) };
    const key = `${transport}:${host}:${port ?? ''}`;
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value;
    const value = await this.lookup(host, port, transport);
    this.cache.set(key, { value, until: Date.now() + this.ttlMs });
    return value;
  }

  avoid(hop: Resolved): void {
    const key = hopKey(hop);
    this.avoided.add(key);
    for (const [name, entry] of this.cache) if (hopKey(entry.value) === key) this.cache.delete(name);
  }

  private async lookup(host: string, port: number | undefined, transport: TransportKind): Promise<Resolved> {
    if (port === undefined) {
      const records = await this.dns.resolveSrv(SRV_PREFIX[transport] + host).catch(() => []);
      // Lowest priority first; among equals the highest weight (a fair draw is not worth it for one client).
      const ordered = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight);
      if (ordered.length) return this.firstAlive(ordered);
    }
    try {
      return { host: await this.address(host), port: port ?? defaultPort(transport) };
    } catch {
      throw new Error(`cannot find the SIP server "${host}" (DNS lookup failed)`);
    }
  }

  /** The first SRV target not avoided; when all are, forget their marks and take the best. */
  private async firstAlive(ordered: { name: string; port: number }[]): Promise<Resolved> {
    const hops: Resolved[] = [];
    for (const record of ordered) {
      const hop = await this.address(record.name).then(
        (host) => ({ host, port: record.port }),
        () => undefined,
      );
      if (!hop) continue;
      if (!this.avoided.has(hopKey(hop))) return hop;
      hops.push(hop);
    }
    if (!hops[0]) throw new Error(`no address for any SRV target (${ordered.map((r) => r.name).join(', ')})`);
    for (const hop of hops) this.avoided.delete(hopKey(hop));
    return hops[0];
  }

  /** A/AAAA: through the system (hosts file included) unless we were given servers. */
  private async address(name: string): Promise<string> {
    if (!this.custom) return (await dns.lookup(name)).address;
    const v4 = await this.dns.resolve4(name).catch(() => [] as string[]);
    if (v4[0]) return v4[0];
    const v6 = await this.dns.resolve6(name);
    if (!v6[0]) throw new Error(`no address for ${name}`);
    return v6[0];
  }
}

function hopKey(hop: Resolved): string {
  return `${hop.host} ${hop.port}`;
}
