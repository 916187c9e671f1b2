/**
 * Interoperability with real SIP clients through the bundled Kamailio (auth on): Debian's baresip
 * (1.0, driven over ctrl_tcp, incoming text read from its cons console) and linphonec (liblinphone
 * 5.1, commands on stdin, text read from stdout). Each program runs on its own free loopback port
 * in its own temp dir and is stopped by PID; every wait is on an event or an output line. Bodies
 * carry non-ASCII text (both peers send plain `text/plain`, without a charset). baresip takes no CPIM
 * (415), so Parley's messages reach it as plain text (docs/DESIGN.md#receipts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { isDelivery, isIncoming, type TestCore } from '../testing/cores.js';
import { registeredCore, serverUsers, USER_PASSWORD } from '../testing/kamailio-users.js';
import { startBaresip, type RunningBaresip } from '../testing/baresip.js';
import { startLinphonec, type RunningLinphonec } from '../testing/linphonec.js';
import { escapeRegExp } from '../testing/program.js';

let server: RunningServer;

beforeAll(async () => {
  server = await startKamailio({
    auth: true,
    users: serverUsers(['alice', 'bob', 'carol']),
  });
});
afterAll(async () => {
  await server?.stop();
});

const parley = (user: string): Promise<TestCore> => registeredCore(server, user, { password: USER_PASSWORD });

describe('Parley <-> baresip', () => {
  let alice: TestCore | undefined;
  let bob: RunningBaresip | undefined;

  beforeAll(async () => {
    alice = await parley('alice');
    bob = await startBaresip({
      user: 'bob',
      password: USER_PASSWORD,
      domain: server.domain,
      proxy: server.uri(),
      contact: `sip:alice@${server.domain}`,
    });
    await bob.program.waitForLine(/bob@parley\.test: .* 200 OK/);
  });
  afterAll(async () => {
    await bob?.stop();
    await alice?.stop();
  });

  it('a MESSAGE from Parley shows at baresip and Parley sees it delivered', async () => {
    const sent = await alice!.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'grüße baresip 👋' });
    await alice!.waitFor(isDelivery(sent.id, 'delivered'));
    // menu prints `<from>: "<body>"`
    const line = await bob!.program.waitForLine(/: "grüße baresip 👋"$/, { timeoutMs: 5000 });
    expect(line).toBe('cons: sip:alice@parley.test: "grüße baresip 👋"');
  });

  it('baresip answers 415 to CPIM: that message went again at once as plain text, and the next goes plain from the start', async () => {
    const states = (id: string) => alice!.events.flatMap((e) => (e.type === 'delivery' && e.id === id ? [e.state] : []));
    const first = alice!.events.find((e) => e.type === 'message' && e.direction === 'out' && e.body === 'grüße baresip 👋');
    // Two sends (CPIM refused, then plain) and never a failure.
    expect(states(first?.type === 'message' ? first.id : '')).toEqual(['sending', 'sending', 'delivered']);
    const next = await alice!.core.commands.sendMessage({ to: 'sip:bob@parley.test', body: 'and plain again' });
    await alice!.waitFor(isDelivery(next.id, 'delivered'));
    await bob!.program.waitForLine(/: "and plain again"$/, { timeoutMs: 5000 });
    expect(states(next.id)).toEqual(['sending', 'delivered']);
  });

  it('a MESSAGE from baresip reaches Parley with its body and sender, in the window with that peer', async () => {
    const response = await bob!.command('message', 'ça va? 👋 from baresip');
    expect(response.ok).toBe(true);
    const got = await alice!.waitFor(isIncoming('ça va? 👋 from baresip'));
    expect(got).toMatchObject({ type: 'message', direction: 'in', from: 'sip:bob@parley.test', to: 'sip:alice@parley.test' });
    const window = alice!.events.find((e) => e.type === 'message' && e.direction === 'out' && e.to === 'sip:bob@parley.test');
    expect(got.type === 'message' && got.conversationId).toBe(window?.type === 'message' && window.conversationId);
  });
});

/** A Parley core for alice and a linphonec for carol, for one describe block. */
function withLinphonecPair(assign: (pair: { alice?: TestCore; carol?: RunningLinphonec }) => void): void {
  const pair: { alice?: TestCore; carol?: RunningLinphonec } = {};
  beforeAll(async () => {
    pair.alice = await parley('alice');
    pair.carol = await startLinphonec({ user: 'carol', password: USER_PASSWORD, domain: server.domain, proxy: server.uri() });
    assign(pair);
  });
  afterAll(async () => {
    await pair.carol?.stop();
    await pair.alice?.stop();
  });
}

describe('Parley <-> linphonec', () => {
  let alice: TestCore | undefined;
  let carol: RunningLinphonec | undefined;
  withLinphonecPair((pair) => ({ alice, carol } = pair));

  it('a MESSAGE from Parley shows at linphonec and Parley sees it delivered', async () => {
    const sent = await alice!.core.commands.sendMessage({ to: 'sip:carol@parley.test', body: 'grüße linphone 👋' });
    await alice!.waitFor(isDelivery(sent.id, 'delivered'));
    const line = await carol!.program.waitForLine(/Message received from .*: grüße linphone 👋$/u, { timeoutMs: 5000 });
    expect(line).toMatch(/Message received from sip:alice@parley\.test: grüße linphone 👋$/u);
  });

  it('a MESSAGE from linphonec reaches Parley with its body and sender, in the window with that peer', async () => {
    carol!.chat('sip:alice@parley.test', 'ça va? 👋 from linphone');
    const got = await alice!.waitFor(isIncoming('ça va? 👋 from linphone'));
    expect(got).toMatchObject({ type: 'message', direction: 'in', from: 'sip:carol@parley.test', to: 'sip:alice@parley.test' });
    const window = alice!.events.find((e) => e.type === 'message' && e.direction === 'out' && e.to === 'sip:carol@parley.test');
    expect(got.type === 'message' && got.conversationId).toBe(window?.type === 'message' && window.conversationId);
  });
});

describe('Parley -> linphonec, two MESSAGEs in one window', () => {
  // A fresh Parley window and a fresh linphonec (empty chat database) for this scenario alone.
  let alice: TestCore | undefined;
  let carol: RunningLinphonec | undefined;
  withLinphonecPair((pair) => ({ alice, carol } = pair));

  // liblinphone keys out-of-dialog MESSAGE on Call-ID: a second MESSAGE of a window (same Call-ID,
  // higher CSeq) is answered 200 yet logged "Duplicated SIP MESSAGE, ignored." and never shown.
  // Parley therefore sends such peers a new Call-ID per message (docs/DESIGN.md#threading-by-call-id): chosen automatically
  // from the peer's User-Agent once it is known, or switched by hand.
  const shown = async (body: string) =>
    carol!.program
      .waitForLine(new RegExp(`Message received from sip:alice@parley\\.test: ${escapeRegExp(body)}$`), { timeoutMs: 3000 })
      .then(
        () => body,
        () => `(not shown: ${body})`,
      );

  async function sendTwo(sender: TestCore, first: string, second: string) {
    const a = await sender.core.commands.sendMessage({ to: 'sip:carol@parley.test', body: first });
    await sender.waitFor(isDelivery(a.id, 'delivered'));
    const b = await sender.core.commands.sendMessage({ to: 'sip:carol@parley.test', body: second });
    await sender.waitFor(isDelivery(b.id, 'delivered'));
    // One window for the user, but each message on the wire with its own Call-ID.
    expect(b.conversationId).toBe(a.conversationId);
    expect(b.callId).not.toBe(a.callId);
    expect([await shown(first), await shown(second)]).toEqual([first, second]);
  }

  it('switched by hand to "new Call-ID per message", both show, in order', async () => {
    const set = await alice!.core.commands.setPeerOptions({ peer: 'sip:carol@parley.test', newCallIdPerMessage: true });
    expect(set).toEqual({ peer: 'sip:carol@parley.test', newCallIdPerMessage: true, decidedBy: 'user' });
    await sendTwo(alice!, 'first of two', 'second of two');
  });

  it('once linphonec has written to Parley, its User-Agent switches the setting by itself', async () => {
    const fresh = await parley('alice');
    try {
      expect((await fresh.core.commands.getPeerOptions({ peer: 'sip:carol@parley.test' })).decidedBy).toBe('default');
      carol!.chat('sip:alice@parley.test', 'hello from linphone');
      await fresh.waitFor(isIncoming('hello from linphone'));
      expect(await fresh.core.commands.getPeerOptions({ peer: 'sip:carol@parley.test' })).toEqual({
        peer: 'sip:carol@parley.test',
        newCallIdPerMessage: true,
        decidedBy: 'auto',
      });
      await sendTwo(fresh, 'third', 'fourth');
      // Replies thread back into the same window.
      carol!.chat('sip:alice@parley.test', 'got both');
      const reply = await fresh.waitFor(isIncoming('got both'));
      const window = fresh.events.find((e) => e.type === 'message' && e.body === 'third');
      expect(reply.type === 'message' && reply.conversationId).toBe(window?.type === 'message' ? window.conversationId : 'none');
    } finally {
      await fresh.stop();
    }
  });
});
