// A port number that is free for BOTH UDP and TCP, so one number serves a SIP listener on
// both transports. The kernel picks a free TCP port, then we check that UDP can bind it too;
// both sockets are released before returning (so there is a small window in which another
// process could take it: callers start their server right away).
import { createServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';

function listenTcp(host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ port: 0, host, exclusive: true }, () => resolve(server));
  });
}

function bindUdp(port: number, host: string): Promise<Socket | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(isIPv6(host) ? 'udp6' : 'udp4');
    socket.unref();
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind({ port, address: host, exclusive: true }, () => resolve(socket));
  });
}

function closeTcp(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function closeUdp(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/**
 * Ports this process handed out lately. The kernel may give the port it just released to the next
 * bind to port 0, so two calls in a row (a server's SIP port, then its other listeners, before it
 * binds any) could get the same number: it happened, and that Kamailio never answered.
 */
const given = new Set<number>();
const GIVEN_KEPT = 1024;

/** A port free for both UDP and TCP on `host` (default 127.0.0.1), none this process handed out lately. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const tcp = await listenTcp(host);
    const address = tcp.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const udp = port && !given.has(port) ? await bindUdp(port, host) : undefined;
    await closeTcp(tcp);
    if (udp) {
      await closeUdp(udp);
      given.add(port);
      if (given.size > GIVEN_KEPT) given.delete(given.values().next().value!);
      return port;
    }
  }
  throw new Error(`freePort: no port free for both UDP and TCP on ${host}`);
}

/** Whether `port` on `host` can be bound for both UDP and TCP right now. */
export async function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const tcp = await new Promise<Server | undefined>((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => resolve(server));
  });
  if (!tcp) return false;
  const udp = await bindUdp(port, host);
  await closeTcp(tcp);
  if (!udp) return false;
  await closeUdp(udp);
  return true;
}
