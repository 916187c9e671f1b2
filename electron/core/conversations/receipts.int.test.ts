/**
 * Delivery and read receipts (IMDN, RFC 5438 in CPIM) through the bundled Kamailio (auth on),
 * Parley <-> Parley: delivered and read both ways, read receipts off, a receipt for a message the
 * server stored (202) arriving once the recipient logs in, the server never storing a receipt for
 * an offline sender (the recipient sends it again once it hears from them), and a peer that refuses CPIM (415) getting plain text from then on.
 */
import { describe, expect, it } from 'vitest';
import type { ChatMessage, SequencedEvent } from '../../../shared/ipc.js';
import { isDelivery, isIncoming, startCore, type TestCore } from '../../testing/cores.js';
import { kamailioWithUsers } from '../../testing/kamailio-users.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { answer } from './testing/raw-sip.js';

const world = kamailioWithUsers(['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina', 'hank']);
const parley = (user: string, dataDir?: string) => world.parley(user, dataDir ? { dataDir } : {});

/** The message event of an incoming body, with its conversation. */
async function received(core: TestCore, body: string): Promise<ChatMessage> {
  const event = await core.waitFor(isIncoming(body));
  return event as unknown as ChatMessage;
}

type Delivery = Extract<SequencedEvent, { type: 'delivery' }>;
const deliveries = (core: TestCore, id: string) => core.events.filter((e): e is Delivery => e.type === 'delivery' && e.id === id);
const states = (core: TestCore, id: string) => deliveries(core, id).map((e) => e.state);
/** The receipts announced for a message, in order. */
const receipts = (core: TestCore, id: string) => deliveries(core, id).flatMap((e) => (e.receipt ? [e.receipt] : []));
const isReceipt = (id: string, receipt: string) => (e: SequencedEvent) => e.type === 'delivery' && e.id === id && e.receipt === receipt;

describe('Parley <-> Parley receipts', () => {
  it('delivered, then read when the recipient reads the conversation, both ways', async () => {
    const alice = await parley('alice');
    const bob = await parley('bob');
    const hello = await alice.core.commands.sendMessage({ to: 'bob', body: 'receipts please' });
    await alice.waitFor(isReceipt(hello.id, 'on-device'));
    const got = await received(bob, 'receipts please');
    // Nothing read yet: on the device, not read.
    expect(receipts(alice, hello.id)).toEqual(['on-device']);
    await bob.core.commands.markRead({ conversationId: got.conversationId });
    await alice.waitFor(isReceipt(hello.id, 'read'));
    // The delivery state means what it did (the 200); the receipts come beside it, in order.
    expect(states(alice, hello.id)).toEqual(['sending', 'delivered', 'delivered', 'delivered']);
    expect(receipts(alice, hello.id)).toEqual(['on-device', 'read']);
    // Stored: the page alice reads after a restart says read.
    const page = await alice.core.commands.getMessages({ conversationId: hello.conversationId, limit: 10 });
    expect(page.find((m) => m.id === hello.id)).toMatchObject({ state: 'delivered', receipt: 'read' });
    // The notifications are not chat messages on either side.
    expect(bob.events.filter((e) => e.type === 'message' && e.direction === 'in')).toHaveLength(1);
    expect(alice.events.filter((e) => e.type === 'message' && e.direction === 'in')).toHaveLength(0);

    const reply = await bob.core.commands.sendMessage({ to: 'alice', body: 'and back' });
    await bob.waitFor(isReceipt(reply.id, 'on-device'));
    const back = await received(alice, 'and back');
    await alice.core.commands.markRead({ conversationId: back.conversationId });
    await bob.waitFor(isReceipt(reply.id, 'read'));
    // A second read mark owes nothing: still exactly one read receipt.
    await alice.core.commands.markRead({ conversationId: back.conversationId });
    expect(receipts(bob, reply.id)).toEqual(['on-device', 'read']);
  });

  it('read receipts off: delivered still, read never for what was read while off', async () => {
    const erin = await parley('erin');
    const frank = await parley('frank');
    expect(await frank.core.commands.setChatSettings({ sendReadReceipts: false })).toMatchObject({ sendReadReceipts: false });
    const first = await erin.core.commands.sendMessage({ to: 'frank', body: 'read this quietly' });
    await erin.waitFor(isReceipt(first.id, 'on-device'));
    const got = await received(frank, 'read this quietly');
    await frank.core.commands.markRead({ conversationId: got.conversationId });
    // Turned on again: a message read now is reported, the one read while off never is.
    await frank.core.commands.setChatSettings({ sendReadReceipts: true });
    const second = await erin.core.commands.sendMessage({ to: 'frank', body: 'and this one openly' });
    await erin.waitFor(isReceipt(second.id, 'on-device'));
    await received(frank, 'and this one openly');
    await frank.core.commands.markRead({ conversationId: got.conversationId });
    await erin.waitFor(isReceipt(second.id, 'read'));
    expect(receipts(erin, first.id)).toEqual(['on-device']);
  });

  it('a message stored for an offline user (202) is reported delivered once that user logs in', async () => {
    const gina = await parley('gina');
    const sent = await gina.core.commands.sendMessage({ to: 'carol', body: 'for when you are back' });
    await gina.waitFor(isDelivery(sent.id, 'stored'));
    const carol = await parley('carol');
    await received(carol, 'for when you are back');
    await gina.waitFor(isReceipt(sent.id, 'on-device'));
    // Still "stored" as the server said; the receipt beside it says it reached carol's device.
    expect(states(gina, sent.id)).toEqual(['sending', 'stored', 'stored']);
    expect(receipts(gina, sent.id)).toEqual(['on-device']);
  });

  it('the server does not keep a receipt for a sender who is offline: the recipient owes it and sends it once it hears from them', async () => {
    const hank = await parley('hank');
    const sent = await hank.core.commands.sendMessage({ to: 'dave', body: 'dave is away' });
    await hank.waitFor(isDelivery(sent.id, 'stored'));
    // Hank goes away too (unregisters); his data stays for his return.
    await hank.core.stop();
    const dave = await parley('dave');
    await received(dave, 'dave is away');
    // Dave's "delivered" went out as the message was stored and found hank offline (480): the
    // server keeps no notification, so dave owes it. A message to hank after it is kept for him (202).
    const meanwhile = await dave.core.commands.sendMessage({ to: 'hank', body: 'hank is away now' });
    await dave.waitFor(isDelivery(meanwhile.id, 'stored'));
    const back = await parley('hank', hank.dataDir);
    await received(back, 'hank is away now');
    // The message kept for hank reaches him and is reported; hank's "delivered" for it is dave
    // hearing from hank, so the receipt dave owed for hank's own message goes now, once.
    await dave.waitFor(isReceipt(meanwhile.id, 'on-device'));
    await back.waitFor(isReceipt(sent.id, 'on-device'));
    const page = await back.core.commands.getMessages({ conversationId: sent.conversationId, limit: 10 });
    expect(page.find((m) => m.id === sent.id)).toMatchObject({ state: 'stored', receipt: 'on-device' });
    const again = await dave.core.commands.sendMessage({ to: 'hank', body: 'nothing more is owed' });
    await received(back, 'nothing more is owed');
    await dave.waitFor(isReceipt(again.id, 'on-device'));
    expect(back.events.filter((e) => e.type === 'delivery' && e.id === sent.id)).toHaveLength(1);
    const keptForHank = world.server
      .logs()
      .filter((line) => /stored (undelivered )?MESSAGE from sip:dave@parley\.test for (offline )?hank/.test(line));
    expect(keptForHank).toHaveLength(1);
  });
});

describe('a peer that refuses CPIM', () => {
  it('answers 415 to CPIM: the message goes again as plain text at once, and so do later ones', async () => {
    const alice = await startCore();
    world.add(alice);
    const peer = await UdpPeer.open();
    try {
      const to = `sip:x@127.0.0.1:${peer.port}`;
      const requests: string[] = [];
      const reply = async () => {
        const request = await peer.next(10_000);
        requests.push(request);
        const cpim = /^Content-Type: message\/cpim/im.test(request);
        const response = cpim ? answer(request, 415, 'Unsupported Media Type', ['Accept: text/plain']) : answer(request, 200, 'OK');
        const via = /^Via: SIP\/2\.0\/UDP [^:]+:(\d+)/m.exec(request)!;
        await peer.send(response, Number(via[1]));
      };
      const first = await alice.core.commands.sendMessage({ to, body: 'plain for you' });
      await reply();
      await reply();
      await alice.waitFor(isDelivery(first.id, 'delivered'));
      expect(states(alice, first.id)).not.toContain('failed');
      const second = await alice.core.commands.sendMessage({ to, body: 'still plain' });
      await reply();
      await alice.waitFor(isDelivery(second.id, 'delivered'));
      const kinds = requests.map((r) => /^Content-Type: ([^\r\n;]+)/im.exec(r)![1]!.toLowerCase());
      expect(kinds).toEqual(['message/cpim', 'text/plain', 'text/plain']);
      // The plain resend is the same text, and a new transaction for the peer (another From tag).
      expect(requests[1]).toMatch(/\r\n\r\nplain for you$/);
      const tag = (r: string) => /^From: .*;tag=([^;\s]+)/im.exec(r)![1];
      expect(tag(requests[1]!)).not.toBe(tag(requests[0]!));
    } finally {
      await peer.close();
    }
  });
});
