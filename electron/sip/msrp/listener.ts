/**
 * The MSRP side of an endpoint's sockets: one TCP listener whose port goes in every a=path we
 * offer or answer, and outgoing connections. An accepted connection belongs to no session until
 * its first request names one by the session-id of its To-Path (RFC 4975 §5.4: the passive
 * endpoint matches by its own URI); one that names none we wait for is answered 481 and closed,
 * one that says nothing within UNBOUND_TIMEOUT_MS is closed, and at most MAX_UNBOUND wait at once.
 */
import net from 'node:net';
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
  private readonly expected = new Map<string, Adopt>();
  /** Every connection accepted and still open: closing the listener closes them too. */
  private readonly accepted = new Set<MsrpConnection>();
  private unbound = 0;

  private constructor(readonly host: string) {}

  /** Listens on `bindHost` (port chosen by the system); `host` is what a=path says to peers. */
  static async open(bindHost: string, advertisedHost: string): Promise<MsrpListener> {
    const listener = new MsrpListener(advertisedHost);
    await new Promise<void>((resolve, reject) => {
      listener.server.once('error', reject);
      listener.server.listen(0, bindHost, () => {
        listener.server.off('error', reject);
        resolve();
      });
    });
    // A later server error (none is expected once listening) must not take the process down.
    listener.server.on('error', () => {});
    return listener;
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** The connection whose first request is for `sessionId` goes to `adopt`; undo with `forget`. */
  expect(sessionId: string, adopt: Adopt): void {
    this.expected.set(sessionId, adopt);
  }

  forget(sessionId: string): void {
    this.expected.delete(sessionId);
  }

  /** A connection to the first hop of a peer's a=path; rejects when it cannot be made. */
  connect(uri: MsrpUri): Promise<MsrpConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: uri.host, port: uri.port ?? 0 });
      const timer = setTimeout(() => socket.destroy(new Error('connect timed out')), CONNECT_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new MsrpConnection(socket));
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
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
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
