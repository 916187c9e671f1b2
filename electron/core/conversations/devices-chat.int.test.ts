/**
 * One conversation history across two Parley devices of one account (alice's laptop and phone),
 * with third users (bob, carol), through the bundled Kamailio:
 *  - copies of sent messages (docs/DESIGN.md#copies-of-sent-messages): what the laptop sends to bob
 *    appears on the phone as alice's own outgoing message, once each, in order, in the conversation
 *    with bob where bob's replies land too, without unread; a "copy" that does not come from
 *    alice's server for alice (sent straight to the phone, or through the server by someone else)
 *    is refused and filed nowhere; a device that was offline gets the copies at its next login;
 *  - read marks (docs/DESIGN.md#read-marks-across-devices): what carol sent is unread on both;
 *    read on the laptop, it is read on the phone too, with read receipts turned off, and carol
 *    hears nothing of it; a message that came after the one read stays unread; a device that was
 *    offline when the laptop read finds it read at its next login.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage, Conversation, SequencedEvent } from '../../../shared/ipc.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { kamailioWithUsers, testAccount, USER_PASSWORD } from '../../testing/kamailio-users.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { rawMessage, statusOf } from './testing/raw-sip.js';

type MessageEvent = SequencedEvent & ChatMessage & { type: 'message' };
const outgoing = (core: TestCore) => core.events.filter((e): e is MessageEvent => e.type === 'message' && e.direction === 'out');
const isOutgoing = (body: string) => (e: SequencedEvent) => e.type === 'message' && e.direction === 'out' && e.body === body;

/** The conversation with carol announced with `unread`, after the events `core` has seen so far. */
const unreadWithCarol = (core: TestCore, unread: number) => {
  const after = core.events.at(-1)?.seq ?? 0;
  return (e: SequencedEvent): e is Extract<SequencedEvent, { type: 'conversation' }> =>
    e.seq > after && e.type === 'conversation' && e.conversation.peer === 'sip:carol@parley.test' && e.conversation.unread === unread;
};

async function withCarol(core: TestCore): Promise<Conversation> {
  const found = (await core.core.commands.getSnapshot({})).conversations.find((c) => c.peer === 'sip:carol@parley.test');
  if (!found) throw new Error('no conversation with carol');
  return found;
}

describe('two devices of one account', () => {
  const env = kamailioWithUsers(['alice', 'bob', 'carol']);
  let laptop: TestCore;
  let phone: TestCore;
  let bob: TestCore;
  let carol: TestCore;
  beforeAll(async () => {
    laptop = await env.parley('alice');
    phone = await env.parley('alice');
    bob = await env.parley('bob');
    carol = await env.parley('carol');
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

    // the server copies each once its answer is in, which may be out of order: placed by CSeq
    const copies = outgoing(phone).sort((a, b) => a.order! - b.order!);
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

  it('knows a device that sends over TCP and copies to the others; copies reach it over TCP', { timeout: 60_000 }, async () => {
    const desktop = await env.parley('alice', { account: { transport: 'tcp' } });
    const sent = await desktop.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'from the desktop, over TCP' });
    await desktop.waitFor(isDelivery(sent.id, 'delivered'));
    await bob.waitFor(isIncoming('from the desktop, over TCP'));
    for (const other of [laptop, phone])
      expect(await other.waitFor(isOutgoing('from the desktop, over TCP'))).toMatchObject({ id: sent.id });
    // and what the laptop sends reaches the desktop as a copy over its TCP connection
    const more = await laptop.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'and from the laptop' });
    await desktop.waitFor(isOutgoing('and from the laptop'));
    expect((await laptop.waitFor(isDelivery(more.id, 'delivered'))).type).toBe('delivery');
    expect(outgoing(desktop).map((m) => m.body)).toEqual(['from the desktop, over TCP', 'and from the laptop']);
  });

  it('hands a device that was offline the copies sent meanwhile, at its next login', { timeout: 60_000 }, async () => {
    const account = testAccount(env.server, 'alice');
    // a tablet the server has seen once, then switched off (it unregisters; its data folder stays)
    const first = await startCore({ account, password: USER_PASSWORD });
    await first.waitFor(isRegistration('registered'));
    await first.core.stop();
    const away = await laptop.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'while the tablet was off' });
    await laptop.waitFor(isDelivery(away.id, 'delivered'));
    await bob.waitFor(isIncoming('while the tablet was off'));

    const tablet = env.add(await startCore({ account, password: USER_PASSWORD, dataDir: first.dataDir }));
    const copy = await tablet.waitFor(isOutgoing('while the tablet was off'), 30_000);
    expect(copy).toMatchObject({ id: away.id, from: 'sip:alice@parley.test', to: 'sip:bob@parley.test', state: 'delivered' });
    // live again: the next one comes at once, and the stored one was not handed out twice
    const back = await laptop.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'tablet is back' });
    await tablet.waitFor(isOutgoing('tablet is back'));
    expect((await laptop.waitFor(isDelivery(back.id, 'delivered'))).type).toBe('delivery');
    expect(outgoing(tablet).map((m) => m.body)).toEqual(['while the tablet was off', 'tablet is back']);
    // the phone was online all along: it had the copy live, and the one handed out at login again changed nothing
    expect(outgoing(phone).filter((m) => m.body === 'while the tablet was off')).toHaveLength(1);
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

  it('reading on the laptop clears the phone’s unread, without telling carol', { timeout: 60_000 }, async () => {
    for (const alice of [laptop, phone]) await alice.core.commands.setChatSettings({ sendReadReceipts: false });
    const sent = [];
    for (const body of ['are you there?', 'hello?']) {
      const message = await carol.core.commands.sendMessage({ to: 'sip:alice@parley.test', body });
      await carol.waitFor(isDelivery(message.id, 'delivered'));
      sent.push(message);
    }
    for (const alice of [laptop, phone]) {
      await alice.waitFor(isIncoming('hello?'));
      expect((await withCarol(alice)).unread).toBe(2);
    }

    const cleared = unreadWithCarol(phone, 0);
    await laptop.core.commands.markRead({ conversationId: (await withCarol(laptop)).id });
    await phone.waitFor(cleared);
    expect((await withCarol(phone)).unread).toBe(0);

    // one more from carol after the read: unread on both, and the laptop's old mark does not clear it
    const later = await carol.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'ok, later' });
    await carol.waitFor(isDelivery(later.id, 'delivered'));
    await phone.waitFor(isIncoming('ok, later'));
    await laptop.waitFor(isIncoming('ok, later'));
    expect((await withCarol(phone)).unread).toBe(1);
    // reading it on the phone this time clears the laptop
    const laptopCleared = unreadWithCarol(laptop, 0);
    await phone.core.commands.markRead({ conversationId: (await withCarol(phone)).id });
    await laptop.waitFor(laptopCleared);
    expect((await withCarol(laptop)).unread).toBe(0);

    // carol was told nothing: her messages carry no "read" receipt (read receipts are off on both devices)
    const ping = await carol.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'ping' });
    await carol.waitFor(isDelivery(ping.id, 'delivered'));
    await laptop.waitFor(isIncoming('ping'));
    expect(carol.events.some((e) => e.type === 'delivery' && e.receipt === 'read')).toBe(false);
    expect(carol.events.some((e) => e.type === 'message' && e.direction === 'in')).toBe(false);
  });

  it('tells a device that was offline of what was read meanwhile, at its next login', { timeout: 60_000 }, async () => {
    const account = testAccount(env.server, 'alice');
    const first = await startCore({ account, password: USER_PASSWORD });
    await first.waitFor(isRegistration('registered'));
    const message = await carol.core.commands.sendMessage({ to: 'sip:alice@parley.test', body: 'still there?' });
    await carol.waitFor(isDelivery(message.id, 'delivered'));
    await first.waitFor(isIncoming('still there?'));
    await laptop.waitFor(isIncoming('still there?'));
    expect((await withCarol(first)).unread).toBe(1);
    await first.core.stop();

    await laptop.core.commands.markRead({ conversationId: (await withCarol(laptop)).id });
    const slate = env.add(await startCore({ account, password: USER_PASSWORD, dataDir: first.dataDir }));
    // it starts with what it knew (one unread), then hears the laptop's read mark
    await slate.waitFor(
      (e) => e.type === 'conversation' && e.conversation.peer === 'sip:carol@parley.test' && e.conversation.unread === 0,
      30_000,
    );
    expect((await withCarol(slate)).unread).toBe(0);
  });
});
