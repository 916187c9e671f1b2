/**
 * Server lookup (RFC 3263, simplified): an IP literal is used as is; a name with an explicit port
 * is resolved with A/AAAA; a name without a port is first tried as SRV (_sips._tcp, _sip._tcp or
 * _sip._udp for the chosen transport) and falls back to A/AAAA on the default port.
 * Answers are cached for a minute so a burst of MESSAGEs does not hit the resolver each time.
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
}

const SRV_PREFIX: Record<TransportKind, string> = { tls: '_sips._tcp.', tcp: '_sip._tcp.', udp: '_sip._udp.' };

export interface DnsResolverOptions {
  /** DNS servers ("ip" or "ip:port") to ask instead of the system's; names are then never looked up in /etc/hosts. */
  servers?: string[];
  ttlMs?: number;
}

export class DnsResolver implements Resolver {
  private readonly cache = new Map<string, { value: Resolved; until: number }>();
  private readonly dns: dns.Resolver;
  private readonly ttlMs: number;
  private readonly custom: boolean;

  constructor(options: DnsResolverOptions = {}) {
    this.dns = new dns.Resolver({ timeout: 2000, tries: 2 });
    this.custom = (options.servers?.length ?? 0) > 0;
    if (this.custom) this.dns.setServers(options.servers!);
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

  private async lookup(host: string, port: number | undefined, transport: TransportKind): Promise<Resolved> {
    if (port === undefined) {
      const records = await this.dns.resolveSrv(SRV_PREFIX[transport] + host).catch(() => []);
      // Lowest priority first; among equals the highest weight (a fair draw is not worth it for one client).
      const best = [...records].sort((a, b) => a.priority - b.priority || b.weight - a.weight)[0];
      if (best) {
        return { host: await this.address(best.name), port: best.port };
      }
    }
    try {
      return { host: await this.address(host), port: port ?? defaultPort(transport) };
    } catch {
      throw new Error(`cannot find the SIP server "${host}" (DNS lookup failed)`);
    }
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
