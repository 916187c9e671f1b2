/**
 * The outbound proxy as the SIP layer reaches it: over which transport (a `sips:` proxy or its
 * `transport=` parameter decides over the account's choice), as which preloaded loose route, at
 * which address (RFC 3263: SRV, then A/AAAA), and why the last attempt to reach it failed.
 */
import type { ConnectFailure } from './transport/connect-failure.js';
import type { TransportKind } from './transport/flow.js';
import { parseSipUri, uriTarget } from './transport/next-hop.js';
import { DnsResolver } from './transport/resolver.js';
import type { SipTransport } from './transport/sip-transport.js';
import { hostForUri } from './local-address.js';

/** How the proxy is reached: `sips:` means TLS, else its `transport=` parameter, else the account's choice. */
export function proxyTransport(proxy: string | undefined, fallback: TransportKind): TransportKind {
  const uri = proxy ? parseSipUri(proxy) : undefined;
  if (!uri) return fallback;
  if (uri.scheme === 'sips') return 'tls';
  const param = uri.params.get('transport')?.toLowerCase();
  return param === 'udp' || param === 'tcp' || param === 'tls' ? param : fallback;
}

/** The proxy URI as a loose route, with our transport choice made explicit. */
export function proxyRoute(proxy: string, transport: TransportKind): string {
  const uri = parseSipUri(proxy);
  if (!uri) throw new Error(`not a SIP URI: ${proxy}`);
  const chosen = uri.params.get('transport') ?? (uri.scheme === 'sips' ? undefined : transport === 'udp' ? undefined : transport);
  return `<${uri.scheme}:${hostForUri(uri.host)}${uri.port ? ':' + uri.port : ''};lr${chosen ? ';transport=' + chosen : ''}>`;
}

/** The proxy's address, resolved before any transport exists; undefined when it cannot be. */
export async function resolveProxy(proxy: string, transport: TransportKind): Promise<{ host: string; port: number } | undefined> {
  const uri = parseSipUri(proxy);
  if (!uri) return undefined;
  try {
    return await new DnsResolver().resolve(uri.host, uri.port, uri.scheme === 'sips' ? 'tls' : transport);
  } catch {
    return undefined;
  }
}

/**
 * Why the transport's last attempt to reach the proxy failed (DNS, connection, TLS certificate);
 * undefined when it last succeeded or was never tried. sip.js reports such a failure only as a
 * synthetic 503 without headers (request-failure.ts).
 */
export function proxyConnectFailure(transport: SipTransport, proxy: string, fallback: TransportKind): ConnectFailure | undefined {
  const route = parseSipUri(proxyRoute(proxy, proxyTransport(proxy, fallback)));
  if (!route) return undefined;
  const target = uriTarget(route, 'udp');
  return transport.failureFor(target.host, target.transport);
}
