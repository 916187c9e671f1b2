/**
 * A message at Parley's own limit (MAX_MESSAGE_BYTES of body) goes Parley → bundled Kamailio →
 * Parley over TCP and over TLS, arrives whole and is delivered (issue 11: a 20,000-character
 * message through `npm run server` used to be dropped by Kamailio's 16 KiB TCP read buffer, and
 * the sender waited with no outcome).
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MESSAGE_BYTES, type AccountConfig } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../testing/cores.js';

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
