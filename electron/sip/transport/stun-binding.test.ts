/**
 * SipTransport.stunBinding() on real sockets on 127.0.0.1: the Binding request leaves our SIP
 * socket, a STUN answer is matched by its transaction id and never reaches SIP, an unanswered
 * request is sent three times and then given up; and the traffic with the watched peer is timed.
 */
import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../support/logger.js';
import { FakeTimers } from '../testing/fake-timers.js';
import { SipTransport } from './sip-transport.js';
import { STUN_MAGIC_COOKIE } from './stun.js';

/** A Binding success for `request` naming host:port (XOR-MAPPED-ADDRESS, IPv4). */
function answer(request: Buffer, host: string, port: number): Buffer {
  const out = Buffer.alloc(32);
  out.writeUInt16BE(0x0101, 0);
  out.writeUInt16BE(12, 2);
  request.copy(out, 4, 4, 20); // cookie and transaction id
  out.writeUInt16BE(0x0020, 20);
  out.writeUInt16BE(8, 22);
  out.writeUInt16BE(0x0001, 24);
  out.writeUInt16BE(port ^ (STUN_MAGIC_COOKIE >>> 16), 26);
  out.writeUInt32BE((host.split('.').reduce((a, b) => a * 256 + Number(b), 0) ^ STUN_MAGIC_COOKIE) >>> 0, 28);
  return out;
}

describe('SipTransport STUN Binding', () => {
  const closers: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  async function setup(timers?: FakeTimers) {
    const transport = new SipTransport({ listenHost: '127.0.0.1', listenPort: 0, defaultTransport: 'udp', logger: silentLogger, timers });
    await transport.connect();
    closers.push(() => transport.disconnect());
    const delivered: string[] = [];
    transport.onMessage = (text) => delivered.push(text);
    const server = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const requests: Buffer[] = [];
    return { transport, server, requests, delivered, port: server.address().port };
  }

  it('asks from the SIP socket and reads the mapped address of the answer', async () => {
    const { transport, server, port, delivered } = await setup();
    const seen: number[] = [];
    server.on('message', (data, from) => {
      seen.push(from.port);
      server.send(answer(data, '203.0.113.9', 40_123), from.port, from.address);
    });
    transport.watchUdp({ host: '127.0.0.1', port });
    const before = transport.lastUdpTraffic;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await transport.stunBinding({ host: '127.0.0.1', port })).toEqual({ host: '203.0.113.9', port: 40_123 });
    expect(seen).toEqual([transport.listening.udp]);
    expect(transport.lastUdpTraffic).toBeGreaterThan(before);
    expect(delivered).toEqual([]); // STUN never reaches sip.js
    expect(transport.stats.malformed).toBe(0);
  });

  it('sends an unanswered request three times, then gives up', async () => {
    const timers = new FakeTimers(1_000_000);
    const { transport, server, requests, port } = await setup(timers);
    server.on('message', (data) => requests.push(data));
    let result: unknown = 'pending';
    void transport.stunBinding({ host: '127.0.0.1', port }).then((r) => (result = r));
    for (const at of [0, 500, 1500]) {
      timers.advanceTo(1_000_000 + at);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
    expect(requests).toHaveLength(3);
    expect(new Set(requests.map((r) => r.toString('hex'))).size).toBe(1); // the same transaction each time
    expect(result).toBe('pending');
    timers.advanceTo(1_000_000 + 3500);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(result).toBeUndefined();
  });
});
