/**
 * One bound UDP socket: the datagram half of a listening socket set. Each datagram is one SIP
 * message (RFC 3261 §18.3: no framing on datagrams); a CRLF keep-alive datagram is dropped, and a
 * STUN message (the keep-alive's answer, RFC 5626 §4.4.2) goes to its own handler at once.
 */
import dgram from 'node:dgram';
import { isIP } from 'node:net';
import type { InboundHandler } from './flow.js';
import { DEFAULT_LIMITS } from './framing.js';
import { decodeContentEncoding } from '../wire/content-encoding.js';
import { isStun } from './stun.js';

/**
 * Receive buffer asked of the kernel (which caps it at net.core.rmem_max on Linux). The default,
 * ~200 KB on Linux, holds about a hundred datagrams: a presence server answering a whole roster
 * (thousands of NOTIFYs in a burst) overflows it while the main loop is busy, and every datagram
 * dropped costs its sender a retransmission timer (500 ms, then 1 s, 2 s ...).
 */
export const UDP_RECEIVE_BUFFER = 8 * 1024 * 1024;
/**
 * Longest one event-loop turn spends handling received datagrams. libuv reads a socket's backlog
 * in one go (hundreds of datagrams in a burst), and handling a SIP request takes a few hundred µs,
 * so a burst handled as it is read stalls the loop for 100 ms and more; queued, it is handled a
 * slice per turn and timers, other sockets and the UI's IPC get their turn in between.
 */
export const UDP_TURN_BUDGET_MS = 8;
/** Datagrams kept while the loop catches up; beyond this they are dropped, as a full socket buffer would. */
const MAX_QUEUED = 20_000;

interface Queued {
  data: Buffer;
  host: string;
  port: number;
}

export class UdpSocket {
  private socket?: dgram.Socket;
  private queue: Queued[] = [];
  private head = 0;
  private draining = false;
  /** The one remote address whose last datagram either way is timed (the proxy: its NAT binding). */
  private watched?: { host: string; port: number };
  private watchedAt = 0;

  constructor(
    private readonly onInbound: InboundHandler,
    private readonly onError: (error: Error) => void,
    private readonly maxDatagram = 65_507,
    private readonly onStun?: (data: Buffer, host: string, port: number) => void,
  ) {}

  /**
   * Time the traffic with one remote address (Date.now() of its last datagram, sent or received):
   * any datagram keeps a NAT binding to it open, so a keep-alive is due only after silence.
   */
  watch(host: string, port: number): void {
    this.watched = { host, port };
    this.watchedAt = Date.now();
  }

  /** Date.now() of the last datagram to or from the watched address. */
  get lastWatchedTraffic(): number {
    return this.watchedAt;
  }

  private note(host: string, port: number): void {
    if (this.watched && this.watched.port === port && this.watched.host === host) this.watchedAt = Date.now();
  }

  async bind(host: string, port: number): Promise<number> {
    const type = isIP(host) === 6 ? 'udp6' : 'udp4';
    const socket = dgram.createSocket({ type, reuseAddr: false });
    socket.on('message', (data, rinfo) => {
      if (data.length > this.maxDatagram) return;
      this.note(rinfo.address, rinfo.port);
      // A bare CRLF keep-alive: nothing to deliver.
      if (data.length <= 4 && data.toString('latin1').trim() === '') return;
      if (data[0]! < 4 && isStun(data)) {
        this.onStun?.(data, rinfo.address, rinfo.port);
        return;
      }
      if (this.queue.length - this.head >= MAX_QUEUED) return;
      this.queue.push({ data, host: rinfo.address, port: rinfo.port });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => this.drain());
      }
    });
    socket.on('error', (error) => this.onError(error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, host, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    try {
      socket.setRecvBufferSize(UDP_RECEIVE_BUFFER);
    } catch {
      // not allowed here: the system's default buffer it is
    }
    this.socket = socket;
    return socket.address().port;
  }

  /** Hands queued datagrams on, in order, for at most a turn's budget; the rest on the next turn. */
  private drain(): void {
    const until = performance.now() + UDP_TURN_BUDGET_MS;
    while (this.head < this.queue.length) {
      const next = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Queued;
      try {
        if (this.socket)
          this.onInbound(decodeContentEncoding(next.data, DEFAULT_LIMITS.maxMessageBytes).toString('utf8'), {
            transport: 'udp',
            host: next.host,
            port: next.port,
          });
      } catch (error) {
        // the handler's own fault; the queue must go on
        this.onError(error instanceof Error ? error : new Error(String(error)));
      }
      if (performance.now() >= until) break;
    }
    if (this.head < this.queue.length) {
      setImmediate(() => this.drain());
      return;
    }
    this.queue = [];
    this.head = 0;
    this.draining = false;
  }

  send(data: Buffer | string, host: string, port: number): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error('UDP socket is not open'));
    this.note(host, port);
    return new Promise((resolve, reject) => socket.send(data, port, host, (error) => (error ? reject(error) : resolve())));
  }

  get port(): number | undefined {
    return this.socket?.address().port;
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    this.queue = [];
    this.head = 0;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }
}
