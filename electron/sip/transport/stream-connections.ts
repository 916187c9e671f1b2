/**
 * TCP and TLS: a listening server plus the live connections, keyed by the remote address so a
 * response or an incoming request reuses the flow it belongs to (a proxy behind NAT cannot open
 * a new connection to us). Each connection has its own bounded framer; a framing error closes
 * that connection only. CRLF pings are answered with a pong (RFC 5626 §3.5.1).
 *
 * TLS client side: the server's certificate is always verified, against the system's CAs plus
 * the certificates the user chose to trust, and against the name the user gave the server (DNS
 * name or IP address, as RFC 5922 asks) — never against whatever the name resolved to (an SRV
 * target or an address).
 * There is no switch that turns verification off.
 */
import net from 'node:net';
import tls from 'node:tls';
import { StreamFramer, type FramerLimits } from './framing.js';
import { peerKey, type InboundHandler, type Peer } from './flow.js';
import type { CertificateCarrier } from './connect-failure.js';

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
  /**
   * Client side: certificates (PEM) trusted in addition to the system's CAs: a private CA, or a
   * self-signed server's own certificate. Any certificate listed is a trust anchor, so a server's
   * own certificate works even when it was issued by a CA that is not listed.
   */
  ca?: string[];
}

const MAX_REMEMBERED = 256;

interface Connection {
  socket: net.Socket;
  peer: Peer;
  framer: StreamFramer;
  /** We opened it (true) or the peer did (false). */
  outbound: boolean;
}

/** A live flow as the transport needs to know it. */
export interface FlowInfo {
  peer: Peer;
  /** Our port on this connection (for Via/Contact when we do not listen on this transport). */
  localPort: number;
  /** True when we opened the connection, false when the peer did. */
  outbound: boolean;
}

/** Why opening a connection failed: the error Node gave, plus the server's certificate if one came. */
export class StreamConnectError extends Error implements CertificateCarrier {
  readonly code?: string;
  readonly reason?: string;
  peerCertificate?: Buffer;
  constructor(override readonly cause: Error) {
    super(cause.message);
    this.name = 'StreamConnectError';
    const { code, reason } = cause as Error & { code?: unknown; reason?: unknown };
    if (typeof code === 'string') this.code = code;
    if (typeof reason === 'string') this.reason = reason;
  }
}

export class StreamConnections {
  private server?: net.Server;
  private readonly connections = new Map<string, Connection>();
  private readonly connecting = new Map<string, Promise<Connection>>();
  /** The name each peer was addressed by, so a reconnect (e.g. by keep-alive) verifies the same name. */
  private readonly names = new Map<string, string>();
  private readonly secureContext?: tls.SecureContext;

  constructor(
    readonly kind: 'tcp' | 'tls',
    private readonly events: StreamEvents,
    private readonly limits: FramerLimits,
    private readonly tlsSettings: TlsSettings = {},
    private readonly connectTimeoutMs = 5000,
  ) {
    if (kind === 'tls') {
      const extra = tlsSettings.ca ?? [];
      // Built once: the system's CAs plus the user's; a listed certificate is an anchor by itself.
      this.secureContext = tls.createSecureContext(
        extra.length > 0 ? { ca: [...tls.rootCertificates, ...extra], allowPartialTrustChain: true } : {},
      );
    }
  }

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
    await write(connection, data);
  }

  /**
   * The flow to the peer, opened if need be (TLS: verified against `servername`, else the name
   * this peer was first reached by, else its address). Rejects with a StreamConnectError.
   */
  async flow(peer: Peer, servername?: string): Promise<FlowInfo> {
    const connection = await this.connection(peer, servername);
    return { peer: connection.peer, localPort: connection.socket.localPort ?? 0, outbound: connection.outbound };
  }

  /** Write on a live flow (after flow()); fails when it closed in between. */
  async write(peer: Peer, data: string | Buffer): Promise<void> {
    const connection = this.connections.get(peerKey(peer));
    if (!connection) throw new Error(`the ${peer.transport} connection to ${peer.host}:${peer.port} closed`);
    await write(connection, data);
  }

  /** The name this peer was addressed by (the host of the URI that led to it), if known. */
  nameFor(peer: Peer): string | undefined {
    return this.names.get(peerKey(peer));
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
    if (servername && this.names.get(key) !== servername) {
      this.names.delete(key);
      this.names.set(key, servername);
      // Bounded: the oldest names go first (a client talks to a handful of servers).
      if (this.names.size > MAX_REMEMBERED) this.names.delete(this.names.keys().next().value!);
    }
    const live = this.connections.get(key);
    if (live) return Promise.resolve(live);
    let pending = this.connecting.get(key);
    if (!pending) {
      pending = this.open(peer, this.names.get(key)).finally(() => this.connecting.delete(key));
      this.connecting.set(key, pending);
    }
    return pending;
  }

  private open(peer: Peer, servername?: string): Promise<Connection> {
    return new Promise((resolve, reject) => {
      // The name the certificate must carry: the one the user gave, else the address we dial.
      const identity = servername ?? peer.host;
      const socket =
        this.kind === 'tls'
          ? tls.connect({
              host: peer.host,
              port: peer.port,
              // SNI carries host names only (RFC 6066 §3).
              servername: net.isIP(identity) === 0 ? identity : undefined,
              secureContext: this.secureContext,
              rejectUnauthorized: true,
              checkServerIdentity: (_host, cert) => tls.checkServerIdentity(identity, cert),
            })
          : net.connect({ host: peer.host, port: peer.port });
      let tcpUp = false;
      socket.once('connect', () => (tcpUp = true));
      const timer = setTimeout(() => {
        // Connected but no handshake: often a TLS client on a port that speaks plain SIP.
        const error =
          tcpUp && this.kind === 'tls'
            ? Object.assign(new Error(`the TLS handshake with ${peer.host}:${peer.port} timed out`), { code: 'ERR_TLS_HANDSHAKE_TIMEOUT' })
            : new Error(`connection to ${peer.host}:${peer.port} timed out`);
        socket.destroy(error);
      }, this.connectTimeoutMs);
      // Node checks the certificate on 'secure' and destroys the socket (and the certificate with
      // it) when it is refused; a listener placed before that check keeps what the server presented.
      let presented: Buffer | undefined;
      if (socket instanceof tls.TLSSocket) {
        socket.prependOnceListener('secure', () => {
          try {
            presented = socket.getPeerCertificate(false)?.raw;
          } catch {
            presented = undefined;
          }
        });
      }
      const ready = this.kind === 'tls' ? 'secureConnect' : 'connect';
      socket.once(ready, () => {
        clearTimeout(timer);
        socket.off('error', onError);
        resolve(this.adopt(socket, peer));
      });
      const onError = (error: Error) => {
        clearTimeout(timer);
        const failure = new StreamConnectError(error);
        // A refused certificate: keep it so the user can be shown what the server presented.
        if (presented && presented.length > 0) failure.peerCertificate = presented;
        socket.destroy();
        reject(failure);
      };
      socket.once('error', onError);
    });
  }

  private acceptedCount(): number {
    let count = 0;
    for (const connection of this.connections.values()) if (!connection.outbound) count++;
    return count;
  }

  private adopt(socket: net.Socket, known?: Peer): Connection {
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    if (known === undefined) {
      // A peer's connection to us: bounded in number, and dropped when silent for too long
      // (a live SIP flow sends keep-alives every couple of minutes, RFC 5626 §4.4.1).
      if (this.acceptedCount() >= MAX_ACCEPTED_CONNECTIONS) {
        socket.destroy();
        return { socket, peer: { transport: this.kind, host: '', port: 0 }, framer: new StreamFramer(this.limits), outbound: false };
      }
      socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy(new Error('idle')));
    }
    const peer: Peer = known ?? {
      transport: this.kind,
      host: (socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
      port: socket.remotePort ?? 0,
    };
    const key = peerKey(peer);
    // A connection we accepted expects pings from the peer; one we opened expects pongs.
    const connection: Connection = {
      socket,
      peer,
      framer: new StreamFramer(this.limits, known === undefined),
      outbound: known !== undefined,
    };
    this.connections.set(key, connection);
    socket.on('data', (chunk: Buffer) => {
      for (const item of connection.framer.push(chunk)) {
        if (item.kind === 'message') this.events.onInbound(item.text, peer);
        else if (item.kind === 'ping') send(connection, '\r\n');
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

/** Unsent bytes we hold for one peer before deciding it is not reading (a pong flood, a stuck peer). */
export const MAX_UNSENT_BYTES = 1024 * 1024;
/** Connections peers may hold open to us at once. */
export const MAX_ACCEPTED_CONNECTIONS = 1024;
/** A peer's connection with no traffic for this long is closed. */
export const IDLE_TIMEOUT_MS = 10 * 60_000;

function write(connection: Connection, data: string | Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (!send(connection, data, (error) => (error ? reject(error) : resolve())))
      reject(new Error('the peer is not reading; connection closed'));
  });
}

/**
 * Write, unless the peer has let more than MAX_UNSENT_BYTES pile up unread: then the connection
 * is closed, so a peer that never reads cannot grow our memory without bound.
 */
function send(connection: Connection, data: string | Buffer, done?: (error?: Error | null) => void): boolean {
  const socket = connection.socket;
  if (socket.destroyed) return false;
  if (socket.writableLength > MAX_UNSENT_BYTES) {
    socket.destroy(new Error('peer not reading'));
    return false;
  }
  socket.write(data, done);
  return true;
}
