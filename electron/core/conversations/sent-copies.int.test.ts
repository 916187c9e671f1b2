/**
 * Copies of sent messages across two Parley devices of one account (alice's laptop and phone) and
 * a third user (bob), through the bundled Kamailio (docs/DESIGN.md#copies-of-sent-messages): what
 * the laptop sends to bob appears on the phone as alice's own outgoing message, once each, in
 * order, in the conversation with bob where bob's replies land too, without unread; and a "copy"
 * that does not come from alice's server for alice (sent straight to the phone, or through the
 * server by someone else) is refused and filed nowhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, SequencedEvent } from '../../../shared/ipc.js';
import { isDelivery, isIncoming, type TestCore } from '../../testing/cores.js';
import { kamailioWithUsers } from '../../testing/kamailio-users.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { rawMessage, statusOf } from './testing/raw-sip.js';

type MessageEvent = SequencedEvent & ChatMessage & { type: 'message' };
const outgoing = (core: TestCore) => core.events.filter((e): e is MessageEvent => e.type === 'message' && e.direction === 'out');
const isOutgoing = (body: string) => (e: SequencedEvent) => e.type === 'message' && e.direction === 'out' && e.body === body;

describe('copies of sent messages on the sender’s other devices', () => {
  const env = kamailioWithUsers(['alice', 'bob']);
  let laptop: TestCore;
  let phone: TestCore;
  let bob: TestCore;
  beforeAll(async () => {
    laptop = await env.parley('alice');
    phone = await env.parley('alice');
    bob = await env.parley('bob');
  });

  it('files what the laptop sends as alice’s outgoing message on the phone, once each, in order', { timeout: 60_000 }, async () => {
    const bodies = ['one', 'two', 'three'];
    const sent = [];
    for (const body of bodies) sent.push(await laptop.core.commands.sendMessage({ to: 'sip:bob@parley.test', body }));
    for (const message of sent) await laptop.waitFor(isDelivery(message.id, 'delivered'));
    for (const body of bodies) await bob.waitFor(isIncoming(body));
    for (const body of bodies) await phone.waitFor(isOutgoing(body));

    // bob answers: the reply lands in the phone's conversation with bob, beside the copies
    const reply = await bob.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'got them' });
    await bob.waitFor(isDelivery(reply.id, 'delivered'));
    const answered = await phone.waitFor(isIncoming('got them'));
    // a last copy, so a duplicate of the first ones would have arrived by now
    const last = await laptop.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'four' });
    await laptop.waitFor(isDelivery(last.id, 'delivered'));
    await phone.waitFor(isOutgoing('four'));

    const copies = outgoing(phone);
    expect(copies.map((c) => c.body)).toEqual(['one', 'two', 'three', 'four']);
    for (const [i, copy] of copies.entries()) {
      // the same message as the laptop's: its id (the CPIM Message-ID), alice's, to bob, delivered
      expect(copy).toMatchObject({
        id: [...sent, last][i]!.id,
        from: 'sip:alice@parley.test',
        to: 'sip:bob@parley.test',
        state: 'delivered',
      });
    }
    const snapshot = await phone.core.commands.getSnapshot({});
    const withBob = snapshot.conversations.filter((c) => c.peer === 'sip:bob@parley.test');
    expect(withBob).toHaveLength(1);
    expect(copies.every((c) => c.conversationId === withBob[0]!.id)).toBe(true);
    expect(answered.type === 'message' && answered.conversationId).toBe(withBob[0]!.id);
    // one unread: bob's reply; the copies are alice's own
    expect(withBob[0]!.unread).toBe(1);
    const page = snapshot.messages.filter((m) => m.conversationId === withBob[0]!.id).sort((a, b) => a.order! - b.order!);
    expect(page.map((m) => m.body)).toEqual(['one', 'two', 'three', 'got them', 'four']);
    // the laptop sent them: it has no copy of its own
    expect(outgoing(laptop).filter((m) => m.body === 'one')).toHaveLength(1);
  });

  describe('a copy that is not from alice’s server for alice', () => {
    let mallory: UdpPeer;
    beforeAll(async () => {
      mallory = await UdpPeer.open();
    });
    afterAll(async () => mallory?.close());

    /** A forged copy from mallory's socket to `port`; resolves with the final answer's status line. */
    async function forge(port: number, via: number, from = 'sip:alice@parley.test'): Promise<string> {
      const before = mallory.received.length;
      const request = rawMessage({
        port: via,
        from,
        to: 'sip:alice@parley.test',
        contentType: 'text/plain',
        body: Buffer.from('forged: I owe mallory 1000'),
        headers: ['Sent-Copy-To: <sip:mallory@parley.test>;status=200'],
      });
      await mallory.send(request, port);
      for (;;) {
        const text = await mallory.next(10_000);
        if (mallory.received.length <= before) continue;
        const status = statusOf(text);
        if (status !== undefined && status >= 200) return text.split('\r\n')[0]!;
      }
    }

    it('is refused when sent straight to the device, even naming the server’s port in its Via', { timeout: 30_000 }, async () => {
      const phoneUdp = (await phone.core.commands.getSnapshot({})).listening.find((l) => l.transport === 'udp')!;
      expect(await forge(phoneUdp.port, env.server.port)).toMatch(/^SIP\/2\.0 403 /);
    });

    it('is refused by the server when anybody sends it through it', { timeout: 30_000 }, async () => {
      // the server's own refusal (route SENT_COPY), before the request could reach a device
      expect(await forge(env.server.port, mallory.port, 'sip:mallory@elsewhere.test')).toBe('SIP/2.0 403 Copies Are Made By The Server');
    });

    it('was filed nowhere', async () => {
      // bob's reply is the last message the phone received; nothing of mallory's came after it
      const snapshot = await phone.core.commands.getSnapshot({});
      expect(snapshot.conversations.map((c) => c.peer)).not.toContain('sip:mallory@parley.test');
      expect(phone.events.some((e) => e.type === 'message' && e.body.includes('forged'))).toBe(false);
    });
  });
});
