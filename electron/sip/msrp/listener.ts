/**
 * The MSRP side of an endpoint's sockets: one TCP listener whose port goes in every msrp: a=path
 * we offer or answer, with a TLS listener beside it for msrps: (RFC 4975 §14) when given a
 * certificate (certificate.ts), and outgoing connections of either kind. An accepted connection belongs to no session until
 * its first request names one by the session-id of its To-Path (RFC 4975 §5.4: the passive
 * endpoint matches by its own URI); one that names none we wait for is answered 481 and closed,
 * one that says nothing within UNBOUND_TIMEOUT_MS is closed, and at most MAX_UNBOUND wait at once.
 */
import net from 'node:net';
import tls from 'node:tls';
import { matchesFingerprint, type Fingerprint, type MsrpCertificate } from './certificate.js';
import { MsrpConnection, type MsrpFrame } from './connection.js';
import { encodeResponse } from './frame-encoder.js';
import type { MsrpUri } from './uri.js';
import { transactionResponse } from './report.js';

const UNBOUND_TIMEOUT_MS = 30_000;
const MAX_UNBOUND = 64;
const CONNECT_TIMEOUT_MS = 10_000;

/** Called with the connection and the first request on it, which the session must take like any other. */
export type Adopt = (connection: MsrpConnection, first: MsrpFrame) => void;

export class MsrpListener {
  private readonly server = net.createServer((socket) => this.accept(socket));
  private secureServer: tls.Server | undefined;
  private readonly expected = new Map<string, Adopt>();
  /** Every connection accepted and still open: closing the listener closes them too. */
  private readonly accepted = new Set<MsrpConnection>();
  private unbound = 0;

  private constructor(
    readonly host: string,
    /** Ours for msrps: shown to peers that connect to us, and to those we connect to. */
    readonly certificate: MsrpCertificate | undefined,
  ) {}

  /**
   * Listens on `bindHost` (ports chosen by the system), over TLS too when given a certificate;
   * `host` is what a=path says to peers.
   */
  static async open(bindHost: string, advertisedHost: string, certificate?: MsrpCertificate): Promise<MsrpListener> {
    const listener = new MsrpListener(advertisedHost, certificate);
    await listen(listener.server, bindHost);
    if (certificate) {
      // The peer's certificate is asked for but judged later, against the fingerprint in its SDP
      // (connectionFits): a self-signed one is what a client has.
      const secure = tls.createServer(
        { cert: certificate.cert, key: certificate.key, requestCert: true, rejectUnauthorized: false },
        (socket) => listener.accept(socket),
      );
      // A failed handshake is the stranger's problem, not ours: the socket is gone, nothing else.
      secure.on('tlsClientError', () => {});
      try {
        await listen(secure, bindHost);
      } catch (error) {
        listener.server.close();
        throw error;
      }
      listener.secureServer = secure;
    }
    return listener;
  }

  get port(): number {
    return portOf(this.server);
  }

  /** The TLS listener's port; 0 when there is none. */
  get securePort(): number {
    return this.secureServer ? portOf(this.secureServer) : 0;
  }

  /** The connection whose first request is for `sessionId` goes to `adopt`; undo with `forget`. */
  expect(sessionId: string, adopt: Adopt): void {
    this.expected.set(sessionId, adopt);
  }

  forget(sessionId: string): void {
    this.expected.delete(sessionId);
  }

  /**
   * A connection to the first hop of a peer's a=path; rejects when it cannot be made. An msrps:
   * hop is reached over TLS and checked one of two ways: a peer's endpoint must show the
   * certificate `check` names by fingerprint (the peer's SDP); a relay (RFC 4976) is a server,
   * verified like the SIP proxy, against the system's authorities and the account's trusted
   * certificates (`check.ca`), under the relay's host name.
   */
  connect(uri: MsrpUri, check?: Fingerprint | { ca: readonly string[] }): Promise<MsrpConnection> {
    const fingerprint = check && 'value' in check ? check : undefined;
    const ca = check && 'ca' in check ? check.ca : undefined;
    if (uri.secure && !this.certificate) return Promise.reject(new Error('no certificate for msrps'));
    if (uri.secure && !check) return Promise.reject(new Error('an msrps peer that gave no a=fingerprint'));
    return new Promise((resolve, reject) => {
      const target = { host: uri.host, port: uri.port ?? 0 };
      const socket =
        uri.secure && this.certificate
          ? tls.connect({
              ...target,
              cert: this.certificate.cert,
              key: this.certificate.key,
              // A relay: verified by Node against the authorities; a peer: by its fingerprint below.
              ...(ca
                ? { ca: [...tls.rootCertificates, ...ca], servername: net.isIP(uri.host) ? undefined : uri.host, rejectUnauthorized: true }
                : { rejectUnauthorized: false }),
            })
          : net.connect(target);
      const timer = setTimeout(() => socket.destroy(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
      socket.once(socket instanceof tls.TLSSocket ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        const connection = new MsrpConnection(socket);
        if (fingerprint && !matchesFingerprint(connection.peerCertificate, fingerprint)) {
          connection.close('the peer showed a certificate its a=fingerprint does not name');
          reject(new Error('the msrps peer showed a certificate its a=fingerprint does not name'));
          return;
        }
        resolve(connection);
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  async close(): Promise<void> {
    this.expected.clear();
    for (const connection of this.accepted) connection.close('the listener closed');
    await Promise.all(
      [this.server, this.secureServer].map((server) => server && new Promise<void>((resolve) => server.close(() => resolve()))),
    );
  }

  private accept(socket: net.Socket): void {
    if (this.unbound >= MAX_UNBOUND) {
      socket.destroy();
      return;
    }
    this.unbound++;
    const connection = new MsrpConnection(socket);
    this.accepted.add(connection);
    socket.once('close', () => this.accepted.delete(connection));
    let bound = false;
    const settle = () => {
      if (bound) return;
      bound = true;
      this.unbound--;
      clearTimeout(timer);
    };
    const timer = setTimeout(() => {
      settle();
      connection.close('no MSRP request named a session in time');
    }, UNBOUND_TIMEOUT_MS);
    connection.listen({
      frame: (item) => {
        const sessionId = item.kind === 'request' ? item.request.toPath[0]?.sessionId : undefined;
        const adopt = sessionId !== undefined ? this.expected.get(sessionId) : undefined;
        settle();
        if (!adopt) {
          const self = item.kind === 'request' ? item.request.toPath[0] : undefined;
          const response = item.kind === 'request' && self ? transactionResponse(item.request, 481, self) : undefined;
          const bytes = response && encodeResponse(response);
          if (bytes?.ok) connection.send(bytes.bytes);
          connection.close('the first request named no session of ours');
          return;
        }
        // Bound: the session takes this frame and everything after it.
        this.expected.delete(sessionId!);
        adopt(connection, item);
      },
      closed: () => settle(),
    });
  }
}

/**
 * Whether an accepted connection may carry a session whose peer's SDP is `remote`: msrps only
 * over TLS with the certificate the peer's a=fingerprint names, msrp only over plain TCP (a
 * connection that came to the other listener is not the one the SDP agreed).
 */
export function connectionFits(connection: MsrpConnection, remote: { path: readonly MsrpUri[]; fingerprint?: Fingerprint }): boolean {
  const secure = remote.path[0]?.secure ?? false;
  if (secure !== connection.secure) return false;
  return !secure || (remote.fingerprint !== undefined && matchesFingerprint(connection.peerCertificate, remote.fingerprint));
}

function listen(server: net.Server, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      server.off('error', reject);
      // A later server error (none is expected once listening) must not take the process down.
      server.on('error', () => {});
      resolve();
    });
  });
}

function portOf(server: net.Server): number {
  const address = server.address();
  return typeof address === 'object' && address ? address.port : 0;
}
