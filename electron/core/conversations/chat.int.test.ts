/**
 * Paging-mode chat through the bundled Kamailio (auth on), Parley <-> Parley and with raw peers:
 * both ways in one window, a burst of 500 in order and once each, store-and-forward (202) with
 * the original date, the outbox (transient failure, connection back, retry, cancel), content
 * (CPIM, HTML, hostile and broken bodies), isComposing both ways and a peer that refuses it.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { wordReason } from '../../../shared/words/word-reason.js';
import type { ChatMessage, SequencedEvent } from '../../../shared/ipc.js';
import { startKamailio } from '../../../server/kamailio.js';
import { freePort } from '../../../server/free-port.js';
import { systemClock } from '../../support/clock.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { kamailioWithUsers, serverUsers, testAccount, USER_PASSWORD } from '../../testing/kamailio-users.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { answer, rawMessage, statusOf } from './testing/raw-sip.js';
import { DEFAULT_CHAT_SETTINGS } from '../../../shared/contract/chat.js';

const users = ['alice', 'bob', 'carol', 'dave', 'erin'];
const world = kamailioWithUsers(users);
/** The same users at a server of the test's own (the outbox test stops and starts it). */
const ownServerUsers = serverUsers(users);
const parley = world.parley;

const incoming = (core: TestCore) =>
  core.events.filter((e): e is SequencedEvent & ChatMessage & { type: 'message' } => e.type === 'message' && e.direction === 'in');
const byOrder = (messages: ChatMessage[]) => [...messages].sort((a, b) => a.order! - b.order!);

describe('Parley <-> Parley', () => {
  let alice: TestCore;
  let bob: TestCore;
  beforeAll(async () => {
    alice = await parley('alice');
    bob = await parley('bob');
  });

  it('both ways in one window each side, announced as conversations, and read marks', async () => {
    const hello = await alice.core.commands.sendMessage({ to: 'bob', body: 'hello bob' });
    expect(hello.order).toBe(1);
    await alice.waitFor(isDelivery(hello.id, 'delivered'));
    const got = await bob.waitFor(isIncoming('hello bob'));
    const conversationId = got.type === 'message' ? got.conversationId : '';
    const announced = await bob.waitFor(
      (e) => e.type === 'conversation' && e.conversation.id === conversationId && e.conversation.unread === 1,
    );
    expect(announced.type === 'conversation' && announced.conversation.callId).toBe(hello.callId);
    const reply = await bob.core.commands.sendMessage({ to: 'alice', body: 'hi alice' });
    expect(reply.conversationId).toBe(conversationId);
    expect(reply.callId).toBe(hello.callId);
    await bob.waitFor(isDelivery(reply.id, 'delivered'));
    const back = await alice.waitFor(isIncoming('hi alice'));
    expect(back.type === 'message' && back.conversationId).toBe(hello.conversationId);
    expect(back.type === 'message' && back.order).toBeGreaterThan(hello.order!);

    const read = await bob.core.commands.markRead({ conversationId });
    expect(read.unread).toBe(0);
    await bob.waitFor((e) => e.type === 'conversation' && e.conversation.id === conversationId && e.conversation.unread === 0);
    expect((await bob.core.commands.getSnapshot({})).conversations.find((c) => c.id === conversationId)?.unread).toBe(0);
    // openConversation finds the same window; with a new address it makes (and announces) one.
    expect((await alice.core.commands.openConversation({ to: 'sip:bob@parley.test' })).id).toBe(hello.conversationId);
    const fresh = await alice.core.commands.openConversation({ to: 'dave' });
    expect(fresh).toMatchObject({ peer: 'sip:dave@parley.test', unread: 0 });
    await alice.waitFor((e) => e.type === 'conversation' && e.conversation.id === fresh.id);
  });

  it("a burst of 500 arrives once each and in the sender's order, at most 8 in flight", { timeout: 120_000 }, async () => {
    const before = incoming(bob).length;
    const bodies = Array.from({ length: 500 }, (_, i) => `burst ${i}`);
    const sent = await Promise.all(bodies.map((body) => alice.core.commands.sendMessage({ to: 'bob', body })));
    expect(new Set(sent.map((m) => m.conversationId)).size).toBe(1);
    const cseqs = sent.map((m) => m.cseq);
    expect(cseqs).toEqual([...cseqs].sort((a, b) => a - b));
    await bob.waitFor(() => incoming(bob).length - before >= 500, 100_000);
    for (const m of sent) await alice.waitFor(isDelivery(m.id, 'delivered'), 30_000);

    const arrived = incoming(bob).slice(before);
    expect(arrived).toHaveLength(500);
    expect(byOrder(arrived).map((m) => m.body)).toEqual(bodies);
    const page = await bob.core.commands.getMessages({ conversationId: arrived[0]!.conversationId, limit: 500 });
    expect(page.map((m) => m.body)).toEqual(bodies);
    expect(page.every((m) => typeof m.order === 'number')).toBe(true);

    // The sender's own view: at most 8 'sending' at once, in CSeq order.
    const ids = new Set(sent.map((m) => m.id));
    let inFlight = 0;
    let most = 0;
    const sendingOrder: number[] = [];
    for (const e of alice.events) {
      if (e.type !== 'delivery' || !ids.has(e.id)) continue;
      if (e.state === 'sending') {
        inFlight++;
        sendingOrder.push(sent.find((m) => m.id === e.id)!.cseq);
      } else inFlight--;
      most = Math.max(most, inFlight);
    }
    expect(most).toBe(8);
    expect(sendingOrder).toEqual(cseqs);
  });

  it('isComposing both ways: shown, never stored, ended by the message; the setting turns it off', async () => {
    const window = await alice.core.commands.openConversation({ to: 'bob' });
    const mark = bob.events.length;
    expect(await alice.core.commands.setComposing({ conversationId: window.id, active: true })).toEqual({ sent: true });
    const typing = await bob.waitFor((e) => e.type === 'composing' && e.active && bob.events.indexOf(e) >= mark);
    expect(typing).toMatchObject({ peer: 'sip:alice@parley.test', refreshMs: 120_000 });
    const bobWindow = typing.type === 'composing' ? typing.conversationId : '';
    expect(bobWindow).not.toBe('');
    // Refreshes go only every 90 s.
    expect(await alice.core.commands.setComposing({ conversationId: window.id, active: true })).toEqual({ sent: false });
    const m = await alice.core.commands.sendMessage({ to: 'bob', body: 'typed it' });
    await bob.waitFor(isIncoming('typed it'));
    await bob.waitFor((e) => e.type === 'composing' && !e.active && e.conversationId === bobWindow && bob.events.indexOf(e) >= mark);
    await alice.waitFor(isDelivery(m.id, 'delivered'));

    const aliceMark = alice.events.length;
    expect(await bob.core.commands.setComposing({ conversationId: bobWindow, active: true })).toEqual({ sent: true });
    await alice.waitFor(
      (e) => e.type === 'composing' && e.active && e.conversationId === window.id && alice.events.indexOf(e) >= aliceMark,
    );
    expect(await bob.core.commands.setComposing({ conversationId: bobWindow, active: false })).toEqual({ sent: true });
    await alice.waitFor((e) => e.type === 'composing' && !e.active && alice.events.indexOf(e) >= aliceMark);

    const bodies = (await bob.core.commands.getMessages({ conversationId: bobWindow, limit: 500 })).map((x) => x.body);
    expect(bodies.some((b) => b.includes('isComposing'))).toBe(false);

    expect(await alice.core.commands.getChatSettings({})).toEqual(DEFAULT_CHAT_SETTINGS);
    expect(await alice.core.commands.setChatSettings({ sendComposing: false })).toEqual({ ...DEFAULT_CHAT_SETTINGS, sendComposing: false });
    expect(await alice.core.commands.setComposing({ conversationId: window.id, active: true })).toEqual({ sent: false });
    expect(await alice.core.commands.getChatSettings({})).toEqual({ ...DEFAULT_CHAT_SETTINGS, sendComposing: false });
    await alice.core.commands.setChatSettings({ sendComposing: true });
  });

  it('a failure a retry cannot fix stays failed; retry by hand resends the same request; cancel takes it out', async () => {
    const lost = await alice.core.commands.sendMessage({ to: 'sip:nobody@parley.test', body: 'anyone?' });
    const failed = await alice.waitFor(isDelivery(lost.id, 'failed'));
    expect(failed).toMatchObject({ code: 404, reason: { code: 'delivery.unknown-user', params: { peer: 'sip:nobody@parley.test' } } });
    expect(failed.type === 'delivery' && wordReason(failed.reason!)).toMatch(/not a known user/);
    const mark = alice.events.length;
    const retried = await alice.core.commands.retryMessage({ id: lost.id });
    expect(retried).toMatchObject({ id: lost.id, callId: lost.callId, cseq: lost.cseq, state: 'sending' });
    expect(retried).not.toHaveProperty('reason');
    await alice.waitFor((e) => isDelivery(lost.id, 'failed')(e) && alice.events.indexOf(e) >= mark);
    expect(await alice.core.commands.cancelMessage({ id: lost.id })).toEqual({ cancelled: true });
    await alice.waitFor(isDelivery(lost.id, 'cancelled'));
    await expect(alice.core.commands.retryMessage({ id: lost.id })).rejects.toThrow(/cancelled/);
    const [stored] = (await alice.core.commands.getMessages({ conversationId: lost.conversationId, limit: 10 })).filter(
      (x) => x.id === lost.id,
    );
    expect(stored?.state).toBe('cancelled');
  });

  it('sends of one turn are stored together, and one that cannot be (an unknown window) fails alone', async () => {
    const sends = [
      alice.core.commands.sendMessage({ to: 'bob', body: 'batch one' }),
      alice.core.commands.sendMessage({ to: 'bob', body: 'batch lost', conversationId: 'no-such-window' }),
      alice.core.commands.sendMessage({ to: 'bob', body: 'batch two' }),
    ];
    const [one, lost, two] = await Promise.allSettled(sends);
    expect(lost).toMatchObject({ status: 'rejected', reason: { message: 'that conversation does not exist' } });
    expect([one?.status, two?.status]).toEqual(['fulfilled', 'fulfilled']);
    const [first, second] = [one, two].map((r) => (r as PromiseFulfilledResult<ChatMessage>).value);
    expect(second!.cseq).toBeGreaterThan(first!.cseq);
    expect(second!.order).toBeGreaterThan(first!.order!);
    await bob.waitFor(isIncoming('batch two'));
    const stored = await alice.core.commands.getMessages({ conversationId: first!.conversationId, limit: 10 });
    expect(stored.map((m) => m.body).filter((b) => b.startsWith('batch'))).toEqual(['batch one', 'batch two']);
  });
});

describe('store and forward', () => {
  it('a message for an offline user is stored (202) and delivered on login with its original date', async () => {
    const alice = await parley('alice');
    const sent = await alice.core.commands.sendMessage({ to: 'carol', body: 'while you were away' });
    const stored = await alice.waitFor(isDelivery(sent.id, 'stored'));
    expect(stored).toMatchObject({ code: 202 });
    // carol's clock runs an hour ahead: her arrival time is hers, the date shown is the sender's.
    const carol = await parley('carol', { clock: { ...systemClock, now: () => Date.now() + 3_600_000 } });
    const got = await carol.waitFor(isIncoming('while you were away'));
    if (got.type !== 'message') throw new Error('not a message');
    expect(got.from).toBe('sip:alice@parley.test');
    expect(got.sentAt).toBeDefined();
    expect(Math.abs(got.sentAt! - sent.at)).toBeLessThan(2000); // the Date header has whole seconds
    expect(got.at - got.sentAt!).toBeGreaterThan(3_500_000);
  });
});

describe('the outbox when the connection goes and comes back', () => {
  it('sends failing for lack of a server are retried and delivered once it is back', { timeout: 60_000 }, async () => {
    const port = await freePort();
    let own = await startKamailio({ auth: true, users: ownServerUsers, port });
    onTestFinished(() => own.stop()); // whichever server runs when the test ends, even if it fails early
    const core = (user: string) =>
      startCore({
        account: { ...testAccount(own, user), proxy: own.uri('tcp'), transport: 'tcp' },
        password: USER_PASSWORD,
      });
    const dave = await core('dave');
    const erin = await core('erin');
    try {
      await dave.waitFor(isRegistration('registered'));
      await erin.waitFor(isRegistration('registered'));
      await own.stop();
      await dave.waitFor((e) => e.type === 'registration' && e.state === 'retrying');
      const m = await dave.core.commands.sendMessage({ to: 'erin', body: 'sent into the void' });
      const waiting = await dave.waitFor(
        (e) => e.type === 'delivery' && e.id === m.id && (e.state === 'queued' || e.state === 'failed') && e.code !== undefined,
      );
      expect(waiting.type === 'delivery' && [408, 480, 503]).toContain(waiting.type === 'delivery' ? waiting.code : 0);
      own = await startKamailio({ auth: true, users: ownServerUsers, port });
      // Delivered, or stored by the server when erin has not registered again yet (then it
      // reaches her on her registration).
      await dave.waitFor(isDelivery(m.id, 'delivered', 'stored'), 30_000);
      await erin.waitFor(isIncoming('sent into the void'), 30_000);
      expect(incoming(erin).filter((e) => e.body === 'sent into the void')).toHaveLength(1);
    } finally {
      await dave.stop();
      await erin.stop();
      await own.stop();
    }
  });
});

describe('content from other clients (raw MESSAGEs through the server)', () => {
  let bob: TestCore;
  let peer: UdpPeer;
  beforeAll(async () => {
    bob = await parley('bob');
    peer = await UdpPeer.open();
  });
  afterAll(async () => peer?.close());

  /** Send a body from mallory (another domain: no digest) to bob; resolves with the final status. */
  async function deliver(
    contentType: string,
    body: Buffer | string,
    headers: string[] = [],
    fromName?: string,
  ): Promise<{ status: number; response: string }> {
    const from = peer.received.length;
    const request = rawMessage({
      port: peer.port,
      from: 'sip:mallory@elsewhere.test',
      fromName,
      to: 'sip:bob@parley.test',
      contentType,
      body: Buffer.from(body),
      headers,
    });
    await peer.send(request, world.server.port);
    for (;;) {
      const text = await peer.next(10_000);
      if (peer.received.length <= from) continue;
      const status = statusOf(text);
      if (status !== undefined && status >= 200) return { status, response: text };
    }
  }

  it("keeps the display name of the peer's From header on the conversation, as text", async () => {
    expect((await deliver('text/plain', 'named hello', [], 'Mallory <b>Tester</b>')).status).toBe(200);
    const named = await bob.waitFor(
      (e: SequencedEvent): e is Extract<SequencedEvent, { type: 'conversation' }> =>
        e.type === 'conversation' && e.conversation.peerName !== undefined,
    );
    expect(named.conversation).toMatchObject({ peer: 'sip:mallory@elsewhere.test', peerName: 'Mallory <b>Tester</b>' });
    const snapshot = await bob.core.commands.getSnapshot({});
    expect(snapshot.conversations.find((c) => c.peer === 'sip:mallory@elsewhere.test')?.peerName).toBe('Mallory <b>Tester</b>');
  });

  const hostile = ['<script>alert(1)</script>', '<img src=x onerror="alert(document.cookie)">', `${'A'.repeat(20_000)} one very long line`];

  it('stores hostile text/plain and text/html verbatim, with a text rendering of the HTML', async () => {
    for (const body of hostile) {
      expect((await deliver('text/plain;charset=UTF-8', body)).status).toBe(200);
      const got = await bob.waitFor(isIncoming(body));
      expect(got).toMatchObject({ contentType: 'text/plain;charset=UTF-8', from: 'sip:mallory@elsewhere.test' });
      expect(got).not.toHaveProperty('text');
    }
    const html = '<p>Hi <b>Bob</b></p><img src=x onerror="alert(1)"><script>steal()</script>';
    expect((await deliver('text/html', html)).status).toBe(200);
    const got = await bob.waitFor(isIncoming(html));
    expect(got).toMatchObject({ contentType: 'text/html', text: 'Hi Bob' });
  });

  it('unwraps message/cpim with its DateTime', async () => {
    const cpim = [
      'From: Mallory <im:mallory@elsewhere.test>',
      'To: <im:bob@parley.test>',
      'DateTime: 2026-01-02T03:04:05Z',
      '',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'wrapped héllo',
    ].join('\r\n');
    expect((await deliver('message/cpim', cpim)).status).toBe(200);
    const got = await bob.waitFor(isIncoming('wrapped héllo'));
    expect(got).toMatchObject({ contentType: 'text/plain; charset=utf-8', sentAt: Date.UTC(2026, 0, 2, 3, 4, 5) });
  });

  it('shows invalid UTF-8 as replacement characters and keeps running', async () => {
    const broken = Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes')]);
    expect((await deliver('text/plain;charset=UTF-8', broken)).status).toBe(200);
    const got = await bob.waitFor((e) => e.type === 'message' && e.body.startsWith('bad ') && e.body.endsWith(' bytes'));
    expect(got.type === 'message' && got.body).toContain('\ufffd');
    expect((await deliver('text/plain', 'still alive')).status).toBe(200);
    await bob.waitFor(isIncoming('still alive'));
  });

  it('refuses other types with 415 and an Accept header, and stores nothing', async () => {
    const before = incoming(bob).length;
    const { status, response } = await deliver('image/png', Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    expect(status).toBe(415);
    expect(response).toMatch(/^Accept: .*text\/plain.*message\/cpim/m);
    expect(incoming(bob).length).toBe(before);
  });
});

describe('isComposing towards a peer that refuses it', () => {
  it('stops after a 415 (direct mode), while messages still go', async () => {
    const alice = await startCore();
    world.add(alice);
    const peer = await UdpPeer.open();
    try {
      // The peer refuses isComposing and takes text.
      const requests: string[] = [];
      const window = await alice.core.commands.openConversation({ to: `sip:x@127.0.0.1:${peer.port}` });
      const reply = async () => {
        const request = await peer.next(10_000);
        requests.push(request);
        const refuse = /im-iscomposing/.test(request);
        const response = refuse ? answer(request, 415, 'Unsupported Media Type', ['Accept: text/plain']) : answer(request, 200, 'OK');
        const via = /^Via: SIP\/2\.0\/UDP [^:]+:(\d+)/m.exec(request)!;
        await peer.send(response, Number(via[1]));
      };
      expect(await alice.core.commands.setComposing({ conversationId: window.id, active: true })).toEqual({ sent: true });
      await reply();
      const m = await alice.core.commands.sendMessage({ to: `sip:x@127.0.0.1:${peer.port}`, body: 'plain words' });
      await reply();
      await alice.waitFor(isDelivery(m.id, 'delivered'));
      // The 415 was handled before the 200 that came after it on the same socket.
      expect(await alice.core.commands.setComposing({ conversationId: window.id, active: true })).toEqual({ sent: false });
      const again = await alice.core.commands.sendMessage({ to: `sip:x@127.0.0.1:${peer.port}`, body: 'more words' });
      await reply();
      await alice.waitFor(isDelivery(again.id, 'delivered'));
      expect(requests.map((r) => (/im-iscomposing/.test(r) ? 'composing' : 'text'))).toEqual(['composing', 'text', 'text']);
    } finally {
      await peer.close();
    }
  });
});
