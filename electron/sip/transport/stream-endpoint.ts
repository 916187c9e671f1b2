/**
 * TCP and TLS: a listening server plus the live connections, keyed by the remote address so a
 * response or an incoming request reuses the flow it belongs to (a proxy behind NAT cannot open
 * a new connection to us). Each connection has its own bounded framer; a framing error closes
 * that connection only. CRLF pings are answered with a pong (RFC 5626 §3.5.1).
 */
import net from 'node:net';
import tls from 'node:tls';
import { StreamFramer, type FramerLimits } from './framing.js';
import { peerKey, type InboundHandler, type Peer } from './flow.js';

export interface StreamEvents {
  onInbound: InboundHandler;
  onPong?: (peer: Peer) => void;
  onClosed?: (peer: Peer, reason: string) => void;
  onError: (error: Error) => void;
}

export interface TlsSettings {
  /** Server side: our certificate and key (PEM). Without them we do not listen for TLS. */
  cert?: string;
  key?: string;
  /** Client side: extra trusted CA/certificates (PEM) for self-signed servers. */
  ca?: string[];
  /** Verify the server certificate; on by default. */
  rejectUnauthorized?: boolean;
}

interface Connection {
  socket: net.Socket;
  peer: Peer;
  framer: StreamFramer;
}

export class StreamEndpoint {
  private server?: net.Server;
  private readonly connections = new Map<string, Connection>();
  private readonly connecting = new Map<string, Promise<Connection>>();

  constructor(
    readonly kind: 'tcp' | 'tls',
    private readonly events: StreamEvents,
    private readonly limits: FramerLimits,
    private readonly tlsSettings: TlsSettings = {},
    private readonly connectTimeoutMs = 5000,
  ) {}

  async listen(host: string, port: number): Promise<number> {
    const onSocket = (socket: net.Socket) => this.adopt(socket);
    const server =
      this.kind === 'tls'
        ? tls.createServer({ cert: this.tlsSettings.cert, key: this.tlsSettings.key }, onSocket)
        : net.createServer(onSocket);
    server.on('error', (error) => this.events.onError(error));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    return (server.address() as net.AddressInfo).port;
  }

  get port(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === 'object' ? address.port : undefined;
  }

  /** Whether a live flow to this peer exists. */
  has(peer: Peer): boolean {
    return this.connections.has(peerKey(peer));
  }

  /** Send on the existing flow to the peer, or open one. `servername` is for TLS SNI/verification. */
  async send(peer: Peer, data: string | Buffer, servername?: string): Promise<void> {
    const connection = await this.connection(peer, servername);
    await new Promise<void>((resolve, reject) => connection.socket.write(data, (error) => (error ? reject(error) : resolve())));
  }

  async close(): Promise<void> {
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Drop one flow (used when keep-alive finds it dead). */
  drop(peer: Peer, reason: string): void {
    const connection = this.connections.get(peerKey(peer));
    if (connection) connection.socket.destroy(new Error(reason));
  }

  private connection(peer: Peer, servername?: string): Promise<Connection> {
    const key = peerKey(peer);
    const live = this.connections.get(key);
    if (live) return Promise.resolve(live);
    let pending = this.connecting.get(key);
    if (!pending) {
      pending = this.open(peer, servername).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  private open(peer: Peer, servername?: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket =
        this.kind === 'tls'
          ? tls.connect({
              host: peer.host,
              port: peer.port,
              servername: servername && net.isIP(servername) === 0 ? servername : undefined,
              ca: this.tlsSettings.ca && this.tlsSettings.ca.length > 0 ? this.tlsSettings.ca : undefined,
              rejectUnauthorized: this.tlsSettings.rejectUnauthorized ?? true,
              checkServerIdentity: servername ? (_host, cert) => tls.checkServerIdentity(servername, cert) : undefined,
            })
          : net.connect({ host: peer.host, port: peer.port });
      const timer = setTimeout(() => socket.destroy(new Error(`connection to ${peer.host}:${peer.port} timed out`)), this.connectTimeoutMs);
      const ready = this.kind === 'tls' ? 'secureConnect' : 'connect';
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(this.adopt(socket, peer));
      });
      const onError = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      socket.once('error', onError);
    });
  }

  private adopt(socket: net.Socket, known?: Peer): Connection {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    const peer: Peer = known ?? {
      transport: this.kind,
      host: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
      port: socket.remotePort ?? 0,
    };
    const key = peerKey(peer);
    // A connection we accepted expects pings from the peer; one we opened expects pongs.
    const connection: Connection = { socket, peer, framer: new StreamFramer(this.limits, known === undefined) };
    this.connections.set(key, connection);
    socket.on('data', (chunk: Buffer) => {
      for (const item of connection.framer.push(chunk)) {
        if (item.kind === 'message') this.events.onInbound(item.text, peer);
        else if (item.kind === 'ping') socket.write('\r\n');
        else if (item.kind === 'pong') this.events.onPong?.(peer);
        else {
          this.events.onError(new Error(`closing ${peer.transport} flow to ${peer.host}:${peer.port}: ${item.reason}`));
          socket.destroy();
        }
      }
    });
    socket.on('error', () => {
      // 'close' follows and reports it; the error itself needs no second report.
    });
    socket.on('close', (hadError) => {
      if (this.connections.get(key) === connection) this.connections.delete(key);
      this.events.onClosed?.(peer, hadError ? 'connection failed' : 'connection closed');
    });
    return connection;
  }
}
