/**
 * Raw UDP/TCP peers on 127.0.0.1 for socket-level tests of the SIP transport: they send exact
 * bytes and record exactly what arrives, with no SIP logic of their own.
 */
import dgram from 'node:dgram';
import { EventEmitter } from 'node:events';
import net from 'node:net';

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `condition` every 5 ms; rejects with `what` in the message after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

export class UdpPeer {
  /** Every datagram in arrival order, with the sender's port and the arrival time (Date.now()). */
  readonly received: { text: string; bytes: number; port: number; at: number }[] = [];
  private cursor = 0;
  private readonly arrivals = new EventEmitter();

  private constructor(private readonly socket: dgram.Socket) {
    socket.on('message', (data, rinfo) => {
      this.received.push({ text: data.toString('utf8'), bytes: data.length, port: rinfo.port, at: Date.now() });
      this.arrivals.emit('message');
    });
  }

  static async open(): Promise<UdpPeer> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        resolve();
      });
    });
    return new UdpPeer(socket);
  }

  get port(): number {
    return this.socket.address().port;
  }

  send(data: string | Buffer, port: number, host = '127.0.0.1'): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(data, port, host, (error) => (error ? reject(error) : resolve())));
  }

  /** The next datagram not yet returned by next(). */
  async next(timeoutMs = 2000): Promise<string> {
    if (this.cursor < this.received.length) return this.received[this.cursor++]!.text;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.arrivals.off('message', onMessage);
        reject(new Error(`no datagram within ${timeoutMs} ms`));
      }, timeoutMs);
      const onMessage = () => {
        clearTimeout(timer);
        resolve();
      };
      this.arrivals.once('message', onMessage);
    });
    return this.received[this.cursor++]!.text;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}

/** One TCP connection (either side) that records every byte received. */
export class TcpPeer {
  private data = Buffer.alloc(0);
  closed = false;
  readonly closedPromise: Promise<void>;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
    });
    socket.on('error', () => {});
    this.closedPromise = new Promise((resolve) =>
      socket.on('close', () => {
        this.closed = true;
        resolve();
      }),
    );
  }

  static connect(port: number, host = '127.0.0.1'): Promise<TcpPeer> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        resolve(new TcpPeer(socket));
      });
    });
  }

  get text(): string {
    return this.data.toString('utf8');
  }

  get bytes(): number {
    return this.data.length;
  }

  get localPort(): number {
    return this.socket.localPort ?? 0;
  }

  write(data: string | Buffer): Promise<void> {
    return new Promise((resolve, reject) => this.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A TCP server on 127.0.0.1 that wraps every accepted connection in a TcpPeer. */
export class TcpListener {
  readonly peers: TcpPeer[] = [];

  private constructor(private readonly server: net.Server) {}

  static async open(): Promise<TcpListener> {
    const server = net.createServer();
    const listener = new TcpListener(server);
    server.on('connection', (socket) => listener.peers.push(new TcpPeer(socket)));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return listener;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  close(): Promise<void> {
    for (const peer of this.peers) peer.close();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
