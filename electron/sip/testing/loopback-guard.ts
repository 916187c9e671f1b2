/**
 * Keeps a test process on loopback: while installed, UDP sends and TCP/TLS connects to anything
 * but `localhost` or an IP literal in 127.0.0.0/8 or ::1 fail the way a refused send would (an error through the
 * usual callback or 'error' event), before any DNS lookup, and are recorded.
 *
 * Fuzz inputs carry addresses (Via, Contact, Route); if the code under test ever sent somewhere
 * the inputs named instead of back where a message came from, this stops it and tells the test.
 */
import dgram from 'node:dgram';
import net from 'node:net';

export function isLoopbackLiteral(host: string): boolean {
  const h = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (h === 'localhost') return true;
  const kind = net.isIP(h);
  if (kind === 4) return h.startsWith('127.');
  if (kind === 6) return h === '::1' || /^::ffff:127\./i.test(h) || /^0*:0*:0*:0*:0*:0*:0*:0*1$/.test(h);
  return false;
}

export interface LoopbackGuard {
  /** Destinations refused, as "udp host:port" / "tcp host:port". */
  readonly blocked: string[];
  /** The stack of each refused call (same order as `blocked`), to find the code that sent. */
  readonly stacks: string[];
  uninstall(): void;
}

type AnyFn = (...args: unknown[]) => unknown;

export function installLoopbackGuard(): LoopbackGuard {
  const blocked: string[] = [];
  const stacks: string[] = [];
  const where = () => (new Error().stack ?? '').split('\n').slice(2, 12).join('\n');
  const dgramProto = dgram.Socket.prototype as unknown as { send: AnyFn };
  const netProto = net.Socket.prototype as unknown as { connect: AnyFn };
  const originalSend = dgramProto.send;
  const originalConnect = netProto.connect;

  dgramProto.send = function (this: dgram.Socket, ...args: unknown[]) {
    // send(msg, port, address?, cb?) or send(msg, offset, length, port, address?, cb?)
    const offsetForm = typeof args[1] === 'number' && typeof args[2] === 'number';
    const port = offsetForm ? args[3] : args[1];
    const address = offsetForm ? args[4] : args[2];
    if (typeof address === 'string' && !isLoopbackLiteral(address)) {
      blocked.push(`udp ${address}:${String(port)}`);
      stacks.push(where());
      const callback = args.find((a): a is AnyFn => typeof a === 'function');
      const error = Object.assign(new Error(`loopback guard: refused UDP send to ${address}:${String(port)}`), { code: 'EPERM' });
      process.nextTick(() => (callback ? callback(error) : this.emit('error', error)));
      return;
    }
    return originalSend.apply(this, args);
  };

  netProto.connect = function (this: net.Socket, ...args: unknown[]) {
    const first = args[0];
    let host: string | undefined;
    let port: unknown;
    if (Array.isArray(first)) {
      // internal normalised form: [options, callback]
      const options = first[0] as { host?: string; port?: unknown; path?: string } | undefined;
      if (options && !options.path) ({ host = 'localhost', port } = options);
    } else if (first && typeof first === 'object') {
      const options = first as { host?: string; port?: unknown; path?: string };
      if (!options.path) ({ host = 'localhost', port } = options);
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      port = first;
      host = typeof args[1] === 'string' ? args[1] : 'localhost';
    }
    if (host !== undefined && !isLoopbackLiteral(host)) {
      blocked.push(`tcp ${host}:${String(port)}`);
      stacks.push(where());
      const error = Object.assign(new Error(`loopback guard: refused connection to ${host}:${String(port)}`), { code: 'EPERM' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return originalConnect.apply(this, args);
  };

  return {
    blocked,
    stacks,
    uninstall() {
      dgramProto.send = originalSend;
      netProto.connect = originalConnect;
    },
  };
}
