/**
 * MSRP keep-alive (keepalive.ts): the timer alone on a hand-driven clock, then sessions on real
 * loopback sockets (session.ts): an idle session asks with a bodiless SEND, a live peer's 200
 * keeps it open, and a peer that reads but never answers has its session closed.
 */
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../support/clock.js';
import { KEEPALIVE_ANSWER_MS, KEEPALIVE_IDLE_MS, MsrpKeepAlive } from './keepalive.js';
import { MsrpListener } from './listener.js';
import { MsrpSession } from './session.js';
import { loopbackUri as uri, until } from './testing/loopback.js';

/** A clock whose time moves only when the test says. */
class HandClock implements Clock {
  private time = 0;
  private timers = new Map<number, { at: number; fn: () => void }>();
  private next = 1;
  now(): number {
    return this.time;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.time + ms, fn });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = due[1].at;
      due[1].fn();
    }
    this.time = until;
  }
}

describe('the keep-alive timer', () => {
  it('asks after the idle time, and gives up when no answer comes', () => {
    const clock = new HandClock();
    const pings: number[] = [];
    const dead: string[] = [];
    new MsrpKeepAlive(clock, { ping: () => (pings.push(clock.now()), true), dead: (reason) => dead.push(reason) });
    clock.advance(KEEPALIVE_IDLE_MS - 1);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([KEEPALIVE_IDLE_MS]);
    clock.advance(KEEPALIVE_ANSWER_MS);
    expect(dead).toEqual([`no answer to a keep-alive within ${KEEPALIVE_ANSWER_MS / 1000} s`]);
    clock.advance(10 * KEEPALIVE_IDLE_MS);
    expect(pings).toHaveLength(1); // stopped once dead
  });

  it('anything heard starts the idle time again, and an answer to the ping clears it', () => {
    const clock = new HandClock();
    const pings: number[] = [];
    const dead: string[] = [];
    const keepAlive = new MsrpKeepAlive(clock, { ping: () => (pings.push(clock.now()), true), dead: (reason) => dead.push(reason) });
    clock.advance(KEEPALIVE_IDLE_MS - 10);
    keepAlive.heard();
    clock.advance(KEEPALIVE_IDLE_MS - 1);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toHaveLength(1);
    keepAlive.heard(); // the 200
    clock.advance(KEEPALIVE_ANSWER_MS);
    expect(dead).toEqual([]);
    clock.advance(KEEPALIVE_IDLE_MS - KEEPALIVE_ANSWER_MS);
    expect(pings).toHaveLength(2);
    keepAlive.stop();
    clock.advance(KEEPALIVE_ANSWER_MS);
    expect(dead).toEqual([]);
  });

  it('a ping that cannot go (connection closed) stops it without calling it dead', () => {
    const clock = new HandClock();
    const dead: string[] = [];
    new MsrpKeepAlive(clock, { ping: () => false, dead: (reason) => dead.push(reason) });
    clock.advance(KEEPALIVE_IDLE_MS + KEEPALIVE_ANSWER_MS * 3);
    expect(dead).toEqual([]);
  });
});

const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('keep-alive in a session', () => {
  it('a live peer answers the bodiless SEND and the session stays open, delivering nothing', async () => {
    const clock = new HandClock();
    const la = await MsrpListener.open('127.0.0.1', '127.0.0.1');
    const lb = await MsrpListener.open('127.0.0.1', '127.0.0.1');
    closers.push(
      () => la.close(),
      () => lb.close(),
    );
    const aUri = uri(la.port, 'aaaa1111');
    const bUri = uri(lb.port, 'bbbb2222');
    const delivered: string[] = [];
    const closed: string[] = [];
    const a = new MsrpSession(aUri, [bUri], clock, { message: () => {}, closed: (reason) => closed.push(reason) });
    const b = new MsrpSession(bUri, [aUri], clock, {
      message: (message) => delivered.push(message.body.toString()),
      closed: (reason) => closed.push(reason),
    });
    const bound = new Promise<void>((resolve) => lb.expect('bbbb2222', (connection, first) => (b.attach(connection, first), resolve())));
    a.attach(await la.connect(bUri));
    a.greet();
    await bound;
    // Both ends ask at once; each hears the other's SEND and the 200 to its own: four frames heard.
    const heard = vi.spyOn(MsrpKeepAlive.prototype, 'heard');
    closers.push(() => heard.mockRestore());
    clock.advance(KEEPALIVE_IDLE_MS);
    await until(() => heard.mock.calls.length >= 4);
    clock.advance(KEEPALIVE_ANSWER_MS);
    expect(closed).toEqual([]);
    expect(a.open && b.open).toBe(true);
    expect(delivered).toEqual([]);
    a.close('done');
  });

  it('a peer that reads but never answers: the session closes after the idle time and the answer time', async () => {
    const clock = new HandClock();
    const heard: Buffer[] = [];
    const silent = net.createServer((socket) => socket.on('data', (chunk) => heard.push(chunk)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise<void>((resolve) => silent.close(() => resolve())));
    const la = await MsrpListener.open('127.0.0.1', '127.0.0.1');
    closers.push(() => la.close());
    const peer = uri((silent.address() as net.AddressInfo).port, 'silent11');
    const closed: string[] = [];
    const a = new MsrpSession(uri(la.port, 'aaaa1111'), [peer], clock, { message: () => {}, closed: (reason) => closed.push(reason) });
    a.attach(await la.connect(peer));
    clock.advance(KEEPALIVE_IDLE_MS);
    await until(() => Buffer.concat(heard).toString().includes(' SEND\r\n'));
    expect(closed).toEqual([]);
    clock.advance(KEEPALIVE_ANSWER_MS);
    expect(closed).toEqual([`no answer to a keep-alive within ${KEEPALIVE_ANSWER_MS / 1000} s`]);
    expect(a.open).toBe(false);
  });
});
