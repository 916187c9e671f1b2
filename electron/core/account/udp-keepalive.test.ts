/**
 * The UDP keep-alive against a simulated NAT in front of a STUN-speaking server: a binding silent
 * for longer than the NAT's lifetime is replaced by one on a new public port, which the keep-alive
 * must report (the core registers again) and learn from, until it stays ahead of the NAT. Also:
 * no keep-alive while other traffic crosses the binding, CRLF for a server without STUN, and a
 * server that stops answering reported once per silence.
 */
import { describe, expect, it } from 'vitest';
import { FakeTimers } from '../../sip/testing/fake-timers.js';
import { silentLogger } from '../../support/logger.js';
import { UdpKeepAlive } from './udp-keepalive.js';

const PEER = { transport: 'udp' as const, host: '192.0.2.1', port: 5060 };

/** A NAT (bindings lapse after `lifetimeMs` of silence) and a server that answers STUN while `answers`. */
function setup(lifetimeMs: number, options: { stun?: boolean } = {}) {
  const clock = new FakeTimers(1_000_000);
  const nat = { port: 40_000, last: clock.now(), lapses: 0 };
  const server = { answers: true, stun: options.stun ?? true, stunRequests: 0, crlf: 0 };
  const events: string[] = [];
  let seed = 11;
  /** Seeded, so the 80–100 % spread of the waits reaches both ends as Math.random would. */
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  /** Any datagram crossing the NAT: a lapsed binding is replaced first. */
  const cross = () => {
    if (clock.now() - nat.last >= lifetimeMs) {
      nat.port++;
      nat.lapses++;
    }
    nat.last = clock.now();
  };
  const keepAlive = new UdpKeepAlive({
    transport: {
      watchUdp: () => {},
      get lastUdpTraffic() {
        return nat.last;
      },
      stunBinding: async () => {
        cross();
        server.stunRequests++;
        return server.answers && server.stun ? { host: '198.51.100.7', port: nat.port } : undefined;
      },
      keepAlive: async () => {
        cross();
        server.crlf++;
      },
    },
    peer: PEER,
    clock,
    logger: silentLogger,
    random,
    onNewAddress: (address) => events.push(`new ${address}`),
    onSilent: () => events.push('silent'),
  });
  /** Moves time on, timer by timer, letting each keep-alive's answer land before the next timer. */
  const run = (ms: number) => clock.advanceSettling(ms);
  return { clock, nat, server, events, keepAlive, run, cross };
}

describe('UdpKeepAlive', () => {
  it('behind a NAT that forgets after 20 s: reports each new address, then stays ahead of the NAT', async () => {
    const { nat, events, keepAlive, run } = setup(20_000);
    keepAlive.start();
    await run(10 * 60_000);
    expect(nat.lapses).toBeGreaterThan(0);
    // Every lapse was seen and reported with the address the NAT gave.
    expect(events).toHaveLength(nat.lapses);
    expect(events.at(-1)).toBe(`new 198.51.100.7:${nat.port}`);
    expect(keepAlive.lifetime.interval()).toBeLessThan(20_000);
    // Learnt: the next ten minutes bring no lapse.
    const lapses = nat.lapses;
    await run(10 * 60_000);
    expect(nat.lapses).toBe(lapses);
  });

  it('behind a NAT that keeps bindings for minutes: lengthens the silence well past 25 s without a lapse', async () => {
    const { nat, keepAlive, server, run } = setup(600_000);
    keepAlive.start();
    await run(60 * 60_000);
    expect(nat.lapses).toBe(0);
    expect(keepAlive.lifetime.interval()).toBeGreaterThan(100_000);
    // An hour at 25 s would be 144 keep-alives.
    expect(server.stunRequests).toBeLessThan(60);
  });

  it('sends nothing while other traffic keeps the binding open', async () => {
    const { keepAlive, server, run, cross } = setup(20_000);
    keepAlive.start();
    await run(100);
    const before = server.stunRequests;
    for (let i = 0; i < 30; i++) {
      cross(); // a request or answer to or from the proxy every 5 s
      await run(5_000);
    }
    expect(server.stunRequests).toBe(before);
  });

  it('a server that never answers STUN gets CRLF keep-alives every 20–25 s', async () => {
    const { keepAlive, server, events, run } = setup(600_000, { stun: false });
    keepAlive.start();
    await run(10 * 60_000);
    expect(keepAlive.speaksStun).toBe(false);
    expect(server.stunRequests).toBe(2);
    expect(server.crlf).toBeGreaterThanOrEqual(20);
    expect(server.crlf).toBeLessThanOrEqual(30);
    expect(events).toEqual([]);
  });

  it('a server that stops answering is reported silent', async () => {
    const { keepAlive, server, events, run } = setup(600_000);
    keepAlive.start();
    await run(1000);
    expect(keepAlive.speaksStun).toBe(true);
    server.answers = false;
    await run(30_000);
    expect(events).toContain('silent');
  });
});
