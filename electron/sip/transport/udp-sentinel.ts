/**
 * Tells at once that nothing listens on a UDP server port any more, without asking the server
 * anything: a connected UDP socket of its own sends a bare CRLF (which a SIP server drops unread,
 * RFC 5626 keep-alive style) to the server every few seconds, and the kernel reports the ICMP
 * "port unreachable" that comes back when the server process is gone as ECONNREFUSED on that
 * socket. Our SIP socket cannot do this: it is not connected (it talks to every peer), so the
 * kernel keeps such errors from it.
 *
 * It says nothing when the whole host is unreachable (no ICMP comes back) or when ICMP is
 * filtered: the flow monitor's probes cover those, only more slowly.
 */
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';

export const SENTINEL_INTERVAL_MS = 2000;

export interface UdpSentinelOptions {
  host: string;
  port: number;
  intervalMs?: number;
  /** The server's port is closed (its process is not running). Called at most once per `intervalMs`. */
  onRefused(): void;
}

export class UdpSentinel {
  private socket?: dgram.Socket;
  private timer?: NodeJS.Timeout;
  private lastRefused = 0;

  constructor(private readonly options: UdpSentinelOptions) {}

  start(): void {
    const { host, port } = this.options;
    const interval = this.options.intervalMs ?? SENTINEL_INTERVAL_MS;
    const socket = dgram.createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    this.socket = socket;
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNREFUSED') return; // anything else says nothing about the server
      const now = Date.now();
      if (now - this.lastRefused < interval) return;
      this.lastRefused = now;
      this.options.onRefused();
    });
    socket.on('message', () => {}); // a server has nothing to say to this socket
    socket.connect(port, host, () => {
      const ping = () => socket.send('\r\n', () => {});
      ping();
      this.timer = setInterval(ping, interval);
      this.timer.unref();
    });
    socket.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    try {
      this.socket?.close();
    } catch {
      // already closed
    }
    this.socket = undefined;
  }
}
