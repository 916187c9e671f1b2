// The DNS records that put a cluster behind one domain (RFC 3263): an A record per node
// (node1.<domain>, node2.<domain>, ...) and _sip._udp / _sip._tcp SRV records naming them in order
// of priority, so clients use the first node and fail over to the next when it dies
// (electron/sip/transport/resolver.ts). docs/DEPLOY.md gives the same records as a zone.
import type { DnsRecords } from '../dnsmasq.js';

export function clusterRecords(domain: string, nodes: readonly { host: string; port: number }[]): DnsRecords {
  const name = (i: number): string => `node${i + 1}.${domain}`;
  const hosts = Object.fromEntries(nodes.map((node, i) => [name(i), node.host]));
  const targets = nodes.map((node, i) => ({ target: name(i), port: node.port, priority: 10 * (i + 1), weight: 10 }));
  return { hosts, srv: { [`_sip._udp.${domain}`]: targets, [`_sip._tcp.${domain}`]: targets } };
}
