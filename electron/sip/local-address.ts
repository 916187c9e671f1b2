/**
 * Which of our addresses a peer can reach us at. With a proxy, the kernel's route to it tells
 * (a connected UDP socket sends nothing); without one, the first external IPv4 address, since a
 * direct peer is usually on the same network; loopback as the last resort.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import os from 'node:os';
import type { ListeningAddress } from '../../shared/ipc.js';
import type { SipTransport } from './transport/sip-transport.js';

export async function localAddressTowards(host: string, port: number): Promise<string | undefined> {
  const socket = dgram.createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, host, () => resolve());
    });
    return socket.address().address;
  } catch {
    return undefined;
  } finally {
    socket.close();
  }
}

export function firstExternalIPv4(): string | undefined {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const entry of list ?? []) if (entry.family === 'IPv4' && !entry.internal) return entry.address;
  }
  return undefined;
}

export async function advertisedHost(listenHost: string, proxy?: { host: string; port: number }): Promise<string> {
  if (listenHost !== '0.0.0.0' && listenHost !== '::') return listenHost;
  if (proxy) {
    const towards = await localAddressTowards(proxy.host, proxy.port);
    if (towards) return towards;
  }
  return firstExternalIPv4() ?? '127.0.0.1';
}

/** A host as it stands in a SIP URI: an IPv6 address in brackets (RFC 3261 §25.1). */
export function hostForUri(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** Where peers reach us directly: one address per transport the transport listens on, as a SIP URI for `user`. */
export function listeningAddresses(transport: SipTransport, host: string, user: string): ListeningAddress[] {
  const ports = transport.listening;
  return (['udp', 'tcp', 'tls'] as const)
    .filter((kind) => ports[kind] !== undefined)
    .map((kind) => ({
      transport: kind,
      host,
      port: ports[kind]!,
      uri: `${kind === 'tls' ? 'sips' : 'sip'}:${user}@${hostForUri(host)}:${ports[kind]}${kind === 'tcp' ? ';transport=tcp' : ''}`,
    }));
}
