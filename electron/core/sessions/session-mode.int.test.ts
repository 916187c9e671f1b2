/**
 * Session-mode chat, Parley <-> Parley through the bundled Kamailio (auth on): the INVITE with
 * m=message, its ACK and the BYEs through the server, MSRP directly between the two Parleys over
 * TCP on loopback. A message that came in the session carries the INVITE's Call-ID at the
 * receiver; one that came by paging mode the sender's conversation Call-ID: that is how these
 * tests tell the two apart. And a peer that refuses (baresip) gets paging mode, remembered.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatCommands, type ChatMessage, type SequencedEvent } from '../../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../../server/kamailio.js';
import { freePort } from '../../../server/free-port.js';
import { isDelivery, isIncoming, type TestCore } from '../../testing/cores.js';
import { startBaresip } from '../../testing/baresip.js';
import { refusedPeers } from './testing/refused-peers.js';
import { isMode, sessionParley } from './testing/session-parley.js';

const names = [
  'alice',
  'bob',
  'carol',
  'dave',
  'erin',
  'frank',
  'gina',
  'hank',
  'ivan',
  'judy',
  'kate',
  'liam',
  'mia',
  'noah',
  'olga',
  'pete',
];
let server: RunningServer;
const started: TestCore[] = [];

beforeAll(async () => {
  server = await startKamailio({ auth: true, users: names.map((user) => ({ user, password: 'secret' })), port: await freePort() });
});
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop().catch(() => {})));
  await server?.stop();
});

const aor = (user: string) => `sip:${user}@${server.domain}`;

const parley = (user: string, preferSessionMode: boolean, dataDir?: string): Promise<TestCore> =>
  sessionParley(started, { aor: aor(user), proxy: server.uri(), transport: 'udp', registerExpires: 600 }, preferSessionMode, dataDir);

const modes = (core: TestCore, peer: string) => core.events.flatMap((e) => (e.type === 'chat-mode' && e.peer === peer ? [e.mode] : []));
const incoming = (core: TestCore) =>
  core.events.filter((e): e is SequencedEvent & ChatMessage & { type: 'message' } => e.type === 'message' && e.direction === 'in');

/** Everything received from `from`, as stored, in the conversation's order. */
async function history(core: TestCore, conversationId: string): Promise<ChatMessage[]> {
  return (await core.core.commands.getMessages({ conversationId, limit: 500 })).filter((m) => m.direction === 'in');
}

/** Cuts every TCP connection between two loopback ends of this process: the MSRP ones (SIP goes over UDP here). */
function cutLoopbackTcp(): number {
  const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
  const sockets = handles.filter(
    (h): h is net.Socket => h instanceof net.Socket && h.remoteAddress === '127.0.0.1' && h.remotePort !== undefined,
  );
  for (const socket of sockets) socket.resetAndDestroy();
  return sockets.length;
}

describe('Parley <-> Parley in session mode', () => {
  it('a message goes in a session: INVITE through the server, MSRP between the two, stored once at the receiver', async () => {
    const alice = await parley('alice', true);
    const bob = await parley('bob', false);
    const sent = await alice.core.commands.sendMessage({ to: 'bob', body: 'hello in a session' });
    await alice.waitFor(isDelivery(sent.id, 'delivered'));
    const got = (await bob.waitFor(isIncoming('hello in a session'))) as unknown as ChatMessage;
    expect(got.from).toBe(aor('alice'));
    // Came in the session: the INVITE's Call-ID, not the conversation's.
    expect(got.callId).not.toBe(sent.callId);
    expect(modes(alice, aor('bob'))).toEqual(['session']);
    expect(modes(bob, aor('alice'))).toEqual(['session']);
    expect((await bob.core.commands.getSnapshot({})).sessionPeers).toEqual([aor('alice')]);
    // The answerer speaks in the same session, and its message threads into alice's conversation.
    const reply = await bob.core.commands.sendMessage({ to: 'alice', body: 'and back in it' });
    await bob.waitFor(isDelivery(reply.id, 'delivered'));
    const back = (await alice.waitFor(isIncoming('and back in it'))) as unknown as ChatMessage;
    expect(back.conversationId).toBe(sent.conversationId);
    expect(back.callId).toBe(got.callId);
    expect(incoming(bob)).toHaveLength(1);
  });

  it('a 100 KB message goes in chunks and arrives whole, once the session is open (paging mode could not carry it)', async () => {
    const carol = await parley('carol', true);
    const dave = await parley('dave', false);
    const body = `${Array.from({ length: 100 * 1024 }, (_, i) => String.fromCharCode(97 + (i % 26))).join('')}é`;
    const request = { to: 'dave', body };
    // The contract takes it; the core only while a session with the peer is open.
    expect(chatCommands.sendMessage.request.safeParse(request).success).toBe(true);
    await expect(carol.core.commands.sendMessage(request)).rejects.toThrow(/at most 65536 bytes/);
    const opener = await carol.core.commands.sendMessage({ to: 'dave', body: 'opening the session' });
    await carol.waitFor(isDelivery(opener.id, 'delivered'));
    const big = await carol.core.commands.sendMessage(request);
    await carol.waitFor(isDelivery(big.id, 'delivered', 'failed'), 30_000);
    expect(carol.events.filter((e) => e.type === 'delivery' && e.id === big.id).map((e) => (e as { state: string }).state)).toEqual([
      'sending',
      'delivered',
    ]);
    expect(incoming(dave).map((m) => m.body)).toEqual(['opening the session', body]);
  });

  it('50 messages sent at once arrive once each, in the order they were sent', async () => {
    const erin = await parley('erin', true);
    const frank = await parley('frank', false);
    const sent: ChatMessage[] = [];
    for (let i = 0; i < 50; i++) sent.push(await erin.core.commands.sendMessage({ to: 'frank', body: `in flight ${i}` }));
    for (const message of sent) await erin.waitFor(isDelivery(message.id, 'delivered'), 30_000);
    await frank.waitFor(isIncoming('in flight 49'));
    const stored = await history(frank, incoming(frank)[0]!.conversationId);
    expect(stored.map((m) => m.body)).toEqual(sent.map((m) => m.body));
    // All in the one session.
    expect(new Set(stored.map((m) => m.callId)).size).toBe(1);
    expect(stored[0]!.callId).not.toBe(sent[0]!.callId);
  });

  it('a BYE from the answerer (it quits): the next message goes by paging mode, and is kept for it by the server', async () => {
    const gina = await parley('gina', true);
    const hank = await parley('hank', false);
    const first = await gina.core.commands.sendMessage({ to: 'hank', body: 'before the bye' });
    await gina.waitFor(isDelivery(first.id, 'delivered'));
    await hank.core.stop();
    await gina.waitFor(isMode(aor('hank'), 'paging'));
    const after = await gina.core.commands.sendMessage({ to: 'hank', body: 'after the bye' });
    await gina.waitFor(isDelivery(after.id, 'stored'));
    const back = await parley('hank', false, hank.dataDir);
    const got = (await back.waitFor(isIncoming('after the bye'))) as unknown as ChatMessage;
    const stored = await history(back, got.conversationId);
    expect(stored.map((m) => m.body)).toEqual(['before the bye', 'after the bye']);
    expect(modes(gina, aor('hank'))).toEqual(['session', 'paging']);
  });

  it('a BYE from the offerer (it quits): the answerer goes by paging mode too', async () => {
    const ivan = await parley('ivan', true);
    const judy = await parley('judy', true);
    const first = await ivan.core.commands.sendMessage({ to: 'judy', body: 'session from ivan' });
    await ivan.waitFor(isDelivery(first.id, 'delivered'));
    await judy.waitFor(isMode(aor('ivan'), 'session'));
    await ivan.core.stop();
    await judy.waitFor(isMode(aor('ivan'), 'paging'));
    // Ivan is away: judy offers a new session, the server says he is not there, the message is kept for him.
    const reply = await judy.core.commands.sendMessage({ to: 'ivan', body: 'while you were away' });
    await judy.waitFor(isDelivery(reply.id, 'stored'));
    // Offline is no refusal: judy will offer ivan a session again (after a rest), unlike baresip below.
    expect(refusedPeers(judy)).toEqual([]);
    const back = await parley('ivan', true, ivan.dataDir);
    await back.waitFor(isIncoming('while you were away'));
    expect(incoming(back).filter((m) => m.body === 'while you were away')).toHaveLength(1);
  });

  it('the connection cut mid-session: what was in flight goes by paging mode, each message stored once, in order', async () => {
    const kate = await parley('kate', true);
    const liam = await parley('liam', false);
    const opener = await kate.core.commands.sendMessage({ to: 'liam', body: 'cut 0' });
    await kate.waitFor(isDelivery(opener.id, 'delivered'));
    expect(cutLoopbackTcp()).toBeGreaterThan(0);
    const sent = [opener];
    for (let i = 1; i < 20; i++) sent.push(await kate.core.commands.sendMessage({ to: 'liam', body: `cut ${i}` }));
    for (const message of sent) await kate.waitFor(isDelivery(message.id, 'delivered'), 30_000);
    await kate.waitFor(isMode(aor('liam'), 'paging'));
    await liam.waitFor(isIncoming('cut 19'));
    const stored = await history(liam, incoming(liam)[0]!.conversationId);
    expect(stored.map((m) => m.body)).toEqual(sent.map((m) => m.body));
    // The last ones went by paging mode (the conversation's Call-ID), after the session's.
    expect(stored.at(-1)!.callId).toBe(opener.callId);
    expect(stored[0]!.callId).not.toBe(opener.callId);
    // No new offer right after a broken session: paging mode from then on, for a while.
    expect(modes(kate, aor('liam'))).toEqual(['session', 'paging']);
  });

  it('both offer at once: whatever the race, each message arrives once, and a session follows', async () => {
    const olga = await parley('olga', true);
    const pete = await parley('pete', true);
    const [fromOlga, fromPete] = await Promise.all([
      olga.core.commands.sendMessage({ to: 'pete', body: 'olga first' }),
      pete.core.commands.sendMessage({ to: 'olga', body: 'pete first' }),
    ]);
    await olga.waitFor(isDelivery(fromOlga.id, 'delivered'), 30_000);
    await pete.waitFor(isDelivery(fromPete.id, 'delivered'), 30_000);
    await olga.waitFor(isIncoming('pete first'));
    await pete.waitFor(isIncoming('olga first'));
    // After a glare both rest 3 s (RFC 3261 §14.1); whoever writes next offers again.
    const later = async () => {
      const message = await olga.core.commands.sendMessage({ to: 'pete', body: `olga again ${Date.now()}` });
      await olga.waitFor(isDelivery(message.id, 'delivered'), 30_000);
      return modes(olga, aor('pete')).includes('session');
    };
    await expect.poll(later, { timeout: 30_000, interval: 1000 }).toBe(true);
    expect(incoming(olga).map((m) => m.body)).toEqual(['pete first']);
    expect(incoming(pete).filter((m) => m.body === 'olga first')).toHaveLength(1);
    expect([...refusedPeers(olga), ...refusedPeers(pete)]).toEqual([]);
  });
});

describe('a peer that refuses a session', () => {
  it('baresip answers the m=message INVITE with an error: the message goes by paging mode, and so do later ones without an INVITE', async () => {
    const alice = await parley('mia', true);
    const bob = await startBaresip({ user: 'noah', password: 'secret', domain: server.domain, proxy: server.uri(), contact: aor('mia') });
    try {
      await bob.program.waitForLine(/noah@parley\.test: .* 200 OK/);
      const first = await alice.core.commands.sendMessage({ to: 'noah', body: 'session please' });
      await bob.program.waitForLine(/^call: no common audio codecs - rejected/, { timeoutMs: 10_000 });
      await alice.waitFor(isDelivery(first.id, 'delivered', 'failed'), 30_000);
      await bob.program.waitForLine(/: "session please"$/, { timeoutMs: 10_000 });
      const second = await alice.core.commands.sendMessage({ to: 'noah', body: 'plainly' });
      await alice.waitFor(isDelivery(second.id, 'delivered', 'failed'), 30_000);
      await bob.program.waitForLine(/: "plainly"$/, { timeoutMs: 10_000 });
      expect(modes(alice, aor('noah'))).toEqual([]);
      expect(refusedPeers(alice)).toEqual([aor('noah')]);
      // One INVITE, refused: baresip found no audio in it. The second message went without one.
      expect(bob.program.lines.filter((line) => line.startsWith('call: no common audio codecs - rejected'))).toHaveLength(1);
    } finally {
      await bob.stop();
    }
  });
});
