/** What the transports tell the SIP layer about where a message came from or goes to. */
export type TransportKind = 'udp' | 'tcp' | 'tls';

export interface Peer {
  transport: TransportKind;
  host: string;
  port: number;
}

export function peerKey(peer: Peer): string {
  return `${peer.transport}:${peer.host}:${peer.port}`;
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Default ports (RFC 3261 §19.1.2). */
export function defaultPort(transport: TransportKind): number {
  return transport === 'tls' ? 5061 : 5060;
}

export interface InboundHandler {
  (text: string, from: Peer): void;
}
