import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { UDP_TURN_BUDGET_MS, UdpSocket } from './udp-socket.js';

const COUNT = 200;

describe('UdpSocket', () => {
  const sockets: { close(): unknown }[] = [];
  afterEach(() => {
    for (const s of sockets.splice(0)) s.close();
  });

  it('hands a burst on in order, a turn budget at a time, with other work running in between', async () => {
    const seen: number[] = [];
    /** For each datagram handled: how many times the interleaved ticker had run by then. */
    const ticksAt: number[] = [];
    let ticks = 0;
    let ticking = true;
    const tick = () => {
      ticks++;
      if (ticking) setImmediate(tick);
    };
    let done!: () => void;
    const all = new Promise<void>((resolve) => (done = resolve));
    const udp = new UdpSocket(
      (text) => {
        // a handler that takes a while, as a SIP request does
        const until = performance.now() + UDP_TURN_BUDGET_MS / 4;
        while (performance.now() < until);
        seen.push(Number(text));
        ticksAt.push(ticks);
        if (seen.length === COUNT) done();
      },
      (error) => {
        throw error;
      },
    );
    const port = await udp.bind('127.0.0.1', 0);
    sockets.push({ close: () => udp.close() });
    const sender = dgram.createSocket('udp4');
    sockets.push(sender);
    // the whole burst is in the socket before the UDP socket gets a turn to read it
    const sends = Array.from(
      { length: COUNT },
      (_, i) => new Promise<void>((resolve) => sender.send(String(i), port, '127.0.0.1', () => resolve())),
    );
    await Promise.all(sends);
    setImmediate(tick);
    await all;
    ticking = false;
    expect(seen).toEqual(Array.from({ length: COUNT }, (_, i) => i));
    // Handled over many turns, the ticker running between slices: a slice stops once the budget is
    // spent, so it holds at most budget / handler time + 1 datagrams (libuv reads 32 and more at once).
    const perTurn = new Map<number, number>();
    for (const t of ticksAt) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(5);
  });
});
