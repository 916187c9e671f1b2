import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { UdpSentinel } from './udp-sentinel.js';

/** A UDP port that nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

describe('UdpSentinel', () => {
  const sentinels: UdpSentinel[] = [];
  const sockets: dgram.Socket[] = [];
  afterEach(() => {
    for (const s of sentinels.splice(0)) s.stop();
    for (const s of sockets.splice(0)) s.close();
  });

  it('reports a closed server port (ICMP port unreachable) and keeps watching', async () => {
    const port = await closedPort();
    let refused = 0;
    const sentinel = new UdpSentinel({ host: '127.0.0.1', port, intervalMs: 50, onRefused: () => refused++ });
    sentinels.push(sentinel);
    sentinel.start();
    await expect.poll(() => refused, { timeout: 2000 }).toBeGreaterThanOrEqual(2);
  });

  it('says nothing while the server listens, and the server receives only bare CRLFs', async () => {
    const server = dgram.createSocket('udp4');
    sockets.push(server);
    const received: string[] = [];
    server.on('message', (message) => received.push(message.toString()));
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    let refused = 0;
    const sentinel = new UdpSentinel({ host: '127.0.0.1', port: server.address().port, intervalMs: 50, onRefused: () => refused++ });
    sentinels.push(sentinel);
    sentinel.start();
    await expect.poll(() => received.length, { timeout: 2000 }).toBeGreaterThanOrEqual(3);
    expect(new Set(received)).toEqual(new Set(['\r\n']));
    expect(refused).toBe(0);
  });
});
