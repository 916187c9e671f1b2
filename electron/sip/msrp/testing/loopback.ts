/** Test helpers for MSRP on loopback sockets: a URI on 127.0.0.1, a connected pair, and waiting for what real I/O brings. */
import net from 'node:net';
import { MsrpConnection } from '../connection.js';
import type { MsrpUri } from '../uri.js';

export const loopbackUri = (port: number, sessionId: string, secure = false): MsrpUri => ({
  secure,
  host: '127.0.0.1',
  port,
  sessionId,
  transport: 'tcp',
  params: [],
});

/** Resolves once `check` holds; throws after `ms` (generous: the machine may be busy). */
export async function until(check: () => boolean, ms = 5000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Our MsrpConnection on an accepted socket, and the plain socket at the far end; `cleanups` gets what closes them. */
export async function connectedPair(cleanups: Array<() => void>): Promise<{ ours: MsrpConnection; theirs: net.Socket }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const theirs = net.connect({ host: '127.0.0.1', port: (server.address() as net.AddressInfo).port });
  const socket = await accepted;
  cleanups.push(() => (theirs.destroy(), socket.destroy(), server.close()));
  return { ours: new MsrpConnection(socket), theirs };
}
