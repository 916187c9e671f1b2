/**
 * A message at Parley's own limit (MAX_MESSAGE_BYTES of body) goes Parley → bundled Kamailio →
 * Parley over TCP and over TLS, arrives whole and is delivered (issue 11: a 20,000-character
 * message through `npm run server` used to be dropped by Kamailio's 16 KiB TCP read buffer, and
 * the sender waited with no outcome). And a message a server drops the way Kamailio did (it reads
 * it, answers nothing and closes the connection) ends failed, with the reason, within seconds:
 * each loss is told at once, and after MAX_CONNECTIONS_LOST of them Parley stops by itself.
 */
import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, type AccountConfig } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { MAX_CONNECTIONS_LOST } from './retry-policy.js';

let server: RunningServer;
let trust: string;
const cores: TestCore[] = [];

beforeAll(async () => {
  server = await startKamailio({ tls: true });
  trust = fs.readFileSync(server.certFile!, 'utf8');
});
afterAll(async () => {
  await Promise.all(cores.map((c) => c.stop().catch(() => {})));
  await server?.stop();
});

async function registered(user: string, transport: 'tcp' | 'tls'): Promise<TestCore> {
  const account: AccountConfig = {
    aor: `sip:${user}@${server.domain}`,
    proxy: server.uri(transport),
    transport,
    registerExpires: 600,
    ...(transport === 'tls' ? { tlsTrust: trust } : {}),
  };
  const core = await startCore({ account });
  cores.push(core);
  await core.waitFor(isRegistration('registered'));
  return core;
}

/** Exactly `bytes` bytes of UTF-8, with multi-byte characters in it and an end one can check. */
function textOf(bytes: number, tag: string): string {
  const head = `${tag} é€👋 `;
  const tail = ' end';
  const fill = bytes - Buffer.byteLength(head) - Buffer.byteLength(tail);
  const text = head + 'x'.repeat(fill) + tail;
  expect(Buffer.byteLength(text)).toBe(bytes);
  return text;
}

describe.each(['tcp', 'tls'] as const)('a message at the limit over %s', (transport) => {
  it('goes through the bundled Kamailio whole, and is delivered', async () => {
    const alice = await registered(`alice-${transport}`, transport);
    const bob = await registered(`bob-${transport}`, transport);
    const body = textOf(MAX_MESSAGE_BYTES, transport);
    const sent = await alice.core.commands.sendMessage({ to: `sip:bob-${transport}@${server.domain}`, body });
    const outcome = await alice.waitFor(isDelivery(sent.id, 'delivered', 'stored', 'failed'), 20_000);
    expect(outcome).toMatchObject({ state: 'delivered' });
    const got = await bob.waitFor(isIncoming(body));
    expect(got.type === 'message' && Buffer.byteLength(got.body)).toBe(MAX_MESSAGE_BYTES);
  });
});

describe('a message a server drops', () => {
  /** A TCP "server" that reads each request whole, answers nothing and closes the connection. */
  async function dropper(): Promise<{ port: number; requests: string[]; close(): Promise<void> }> {
    const requests: string[] = [];
    const server = net.createServer((socket) => {
      let data = Buffer.alloc(0);
      socket.on('error', () => {});
      socket.on('data', (chunk: Buffer) => {
        data = Buffer.concat([data, chunk]);
        const end = data.indexOf('\r\n\r\n');
        const length = Number(/^content-length:\s*(\d+)/im.exec(data.subarray(0, Math.max(0, end)).toString('utf8'))?.[1]);
        if (end < 0 || !Number.isFinite(length) || data.length < end + 4 + length) return;
        requests.push(data.subarray(0, end).toString('utf8'));
        socket.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return {
      port: (server.address() as net.AddressInfo).port,
      requests,
      close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
  }

  it('ends failed within seconds with the reason, sent MAX_CONNECTIONS_LOST times and no more', async () => {
    const peer = await dropper();
    const alice = await startCore();
    cores.push(alice);
    try {
      const sent = await alice.core.commands.sendMessage({ to: `sip:bob@127.0.0.1:${peer.port};transport=tcp`, body: 'x'.repeat(20_000) });
      // Within 20 s: each loss is told at once, only the back-off between tries waits (1 s, 2 s).
      // Left to Timer F, one try alone would take 32 s.
      const outcome = await alice.waitFor(isDelivery(sent.id, 'delivered', 'stored', 'failed'), 20_000);
      expect(outcome).toMatchObject({ state: 'failed', code: 503 });
      expect(outcome.type === 'delivery' && outcome.reason).toEqual({
        code: 'delivery.connection-lost',
        params: { times: MAX_CONNECTIONS_LOST },
      });
      expect(peer.requests.map((r) => r.slice(0, r.indexOf(' ')))).toEqual(Array(MAX_CONNECTIONS_LOST).fill('MESSAGE'));
      // one message: the same Call-ID, CSeq and From tag each time
      const ids = (request: string) =>
        ['Call-ID', 'CSeq', 'From'].map((name) => new RegExp(`^${name}:.*$`, 'im').exec(request)?.[0]).join('\n');
      expect(new Set(peer.requests.map(ids)).size).toBe(1);
    } finally {
      await peer.close();
    }
  });
});
