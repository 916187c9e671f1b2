import { describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../shared/ipc.js';
import { bridgeUrl, createWsBridge, type SocketLike } from './api.js';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed: { code?: number; reason?: string } | null = null;
  onopen: ((event: unknown) => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close(code?: number, reason?: string) {
    this.closed = { code, reason };
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(reason = '') {
    this.readyState = 3;
    this.onclose?.({ code: 1006, reason });
  }
}

function harness(random: () => number = () => 1) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  let clock = 1000;
  const client = createWsBridge({
    url: 'ws://127.0.0.1:1234/ws',
    createSocket: (url) => {
      const socket = new FakeSocket(url);
      sockets.push(socket);
      return socket;
    },
    random,
    now: () => clock,
    setTimer: (fn, ms) => {
      const timer = { fn, ms, cleared: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (handle) => {
      (handle as { cleared: boolean }).cleared = true;
    },
  });
  const fire = (ms: number) => {
    const timer = timers.find((t) => !t.cleared && t.ms === ms);
    if (!timer) throw new Error(`no timer of ${ms} ms`);
    timer.cleared = true;
    timer.fn();
  };
  return { client, sockets, timers, fire, advance: (ms: number) => (clock += ms) };
}

describe('WebSocket bridge', () => {
  it('builds the URL from the page location', () => {
    expect(bridgeUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/ws');
    expect(bridgeUrl({ protocol: 'https:', host: 'localhost:4000' })).toBe('wss://localhost:4000/ws');
  });

  it('queues requests until open, sends WsRequest frames, resolves by id', async () => {
    const { client, sockets } = harness();
    expect(client.connection().status).toBe('connecting');
    const snapshot = client.getSnapshot({});
    const register = client.register({});
    const socket = sockets[0]!;
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(client.connection().status).toBe('open');
    const frames = socket.sent.map((s) => JSON.parse(s));
    expect(frames).toEqual([
      { id: 1, command: 'getSnapshot', request: {} },
      { id: 2, command: 'register', request: {} },
    ]);
    socket.receive({ kind: 'result', id: 2, outcome: { ok: true, value: { state: 'registering' } } });
    socket.receive({ kind: 'result', id: 1, outcome: { ok: false, error: { code: 'internal', message: 'x' } } });
    expect(await register).toEqual({ ok: true, value: { state: 'registering' } });
    expect(await snapshot).toEqual({ ok: false, error: { code: 'internal', message: 'x' } });
  });

  it('delivers events and ignores garbage frames', () => {
    const { client, sockets } = harness();
    const seen: SequencedEvent[] = [];
    const off = client.onEvent((e) => seen.push(e));
    const socket = sockets[0]!;
    socket.open();
    socket.receive('not json');
    socket.receive({ kind: 'events', events: { nope: true } });
    socket.receive({
      kind: 'events',
      events: [
        { nope: true },
        null,
        { type: 'notice', level: 'info', text: 'hi', seq: 4 },
        { type: 'notice', level: 'info', text: 'and', seq: 5 },
      ],
    });
    off();
    socket.receive({ kind: 'events', events: [{ type: 'notice', level: 'info', text: 'again', seq: 6 }] });
    expect(seen).toEqual([
      { type: 'notice', level: 'info', text: 'hi', seq: 4 },
      { type: 'notice', level: 'info', text: 'and', seq: 5 },
    ]);
  });

  it('fails sent requests when the connection drops, then reconnects with growing back-off', async () => {
    const { client, sockets, fire, timers } = harness();
    const statuses: string[] = [];
    client.onConnection((s) => statuses.push(s.status));
    sockets[0]!.open();
    const pending = client.sendMessage({ to: 'sip:bob@example.org', body: 'hi' });
    sockets[0]!.drop();
    expect(await pending).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(client.connection()).toMatchObject({ status: 'closed', attempt: 1, retryAt: 1000 + 250 });
    fire(250);
    expect(sockets).toHaveLength(2);
    sockets[1]!.drop();
    expect(client.connection()).toMatchObject({ status: 'closed', attempt: 2 });
    fire(500);
    sockets[2]!.drop();
    fire(1000);
    sockets[3]!.open();
    expect(statuses).toEqual(['open', 'closed', 'connecting', 'closed', 'connecting', 'closed', 'connecting', 'open']);
    expect(timers.filter((t) => !t.cleared && t.ms !== 60_000)).toEqual([]);
  });

  it('a request made while disconnected goes out after the reconnect', async () => {
    const { client, sockets, fire } = harness();
    sockets[0]!.open();
    sockets[0]!.drop();
    const later = client.getMessages({ conversationId: 'c1' });
    fire(250);
    sockets[1]!.open();
    const frame = JSON.parse(sockets[1]!.sent[0]!);
    expect(frame).toMatchObject({ command: 'getMessages', request: { conversationId: 'c1' } });
    sockets[1]!.receive({ kind: 'result', id: frame.id, outcome: { ok: true, value: [] } });
    expect(await later).toEqual({ ok: true, value: [] });
  });

  it('times requests out as values, and reconnectNow skips the wait', async () => {
    const { client, sockets, fire } = harness();
    sockets[0]!.open();
    const slow = client.getSnapshot({});
    fire(60_000);
    expect(await slow).toMatchObject({ ok: false, error: { message: expect.stringMatching(/in time/) } });
    sockets[0]!.drop();
    client.reconnectNow();
    expect(sockets).toHaveLength(2);
    expect(client.connection().status).toBe('connecting');
  });

  it('close() stops for good', async () => {
    const { client, sockets } = harness();
    sockets[0]!.open();
    const pending = client.getSnapshot({});
    client.close();
    expect(sockets[0]!.closed).toEqual({ code: 1000, reason: 'closed by the page' });
    expect(await pending).toMatchObject({ ok: false });
    expect(await client.getSnapshot({})).toMatchObject({ ok: false });
  });

  it('back-off doubles up to the cap, jittered to 50-100 %', () => {
    /** The reconnect delays of attempts 1 to 20 when every connection fails. */
    const delays = (random: () => number) => {
      const { sockets, timers, fire } = harness(random);
      const seen: number[] = [];
      sockets[0]!.open(); // losing an open connection is attempt 1
      for (let attempt = 0; attempt < 20; attempt++) {
        sockets[attempt]!.drop();
        const timer = timers.filter((t) => !t.cleared && t.ms !== 60_000).at(-1)!;
        seen.push(timer.ms);
        fire(timer.ms);
      }
      return seen;
    };
    const highest = delays(() => 1);
    expect(highest[0]).toBe(250);
    expect(highest[3]).toBe(2000);
    expect(highest[19]).toBe(10_000);
    expect(delays(() => 0)[19]).toBe(5000);
  });
});
