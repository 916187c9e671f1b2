/**
 * Messages stored while all of a user's devices were offline (docs/DESIGN.md#offline-messages-for-every-device),
 * through the bundled Kamailio: bob's laptop and phone are both known to the server and both
 * offline; what alice sends meanwhile is stored once for each of them, and each gets it at its own
 * next login, once, in order; what is handed to the phone is not handed to the laptop, online by
 * then, again. Checked with alice's Parley (CPIM with a Message-ID, which a device would absorb if it came
 * twice) and with a third-party sender of plain text, which carries nothing to absorb a duplicate by,
 * so a copy handed to the wrong device would show.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../testing/cores.js';
import { kamailioWithUsers, testAccount, USER_PASSWORD } from '../../testing/kamailio-users.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { rawMessage, statusOf } from './testing/raw-sip.js';

/** The bodies of the messages `core` received, in the order it filed them in their conversations. */
async function received(core: TestCore, peer: string): Promise<string[]> {
  const snapshot = await core.core.commands.getSnapshot({});
  const conversation = snapshot.conversations.find((c) => c.peer === peer);
  if (!conversation) return [];
  const page = await core.core.commands.getMessages({ conversationId: conversation.id, limit: 50 });
  return page.filter((m) => m.direction === 'in').map((m) => m.body);
}

const incomingEvents = (core: TestCore, body: string) => core.events.filter(isIncoming(body)).length;

describe('messages stored while all of a user’s devices were offline', () => {
  const env = kamailioWithUsers(['alice', 'bob']);
  let alice: TestCore;
  let carrier: UdpPeer;
  /** bob's two installs: their data folders, so each comes back as the same device. */
  let laptopDir: string;
  let phoneDir: string;

  /** A device of bob's the server has seen once, then switched off (it unregisters; its folder stays). */
  async function knownAndOff(): Promise<string> {
    const first = await startCore({ account: testAccount(env.server, 'bob'), password: USER_PASSWORD });
    try {
      await first.waitFor(isRegistration('registered'));
    } finally {
      await first.core.stop();
    }
    return first.dataDir;
  }

  /** bob's device with the data folder `dataDir` logging in again. */
  const login = async (dataDir: string) =>
    env.add(await startCore({ account: testAccount(env.server, 'bob'), password: USER_PASSWORD, dataDir }));

  /** A text/plain MESSAGE from a third-party client (no Message-ID); resolves with the final status. */
  async function plain(body: string): Promise<number> {
    const before = carrier.received.length;
    const request = rawMessage({
      port: carrier.port,
      from: 'sip:carol@elsewhere.test',
      to: 'sip:bob@parley.test',
      contentType: 'text/plain',
      body: Buffer.from(body),
    });
    await carrier.send(request, env.server.port);
    for (;;) {
      const status = statusOf(await carrier.next(10_000));
      if (carrier.received.length > before && status !== undefined && status >= 200) return status;
    }
  }

  beforeAll(async () => {
    alice = await env.parley('alice');
    carrier = await UdpPeer.open();
    laptopDir = await knownAndOff();
    phoneDir = await knownAndOff();
  });
  afterAll(async () => carrier?.close());

  it('hands each device what came while all were offline at its own login, once each, in order', { timeout: 90_000 }, async () => {
    const bodies = ['one', 'two', 'three'];
    for (const body of bodies) {
      const message = await alice.core.commands.sendMessage({ to: 'sip:bob@parley.test', body });
      // stored by the server (202): no device of bob's was there to take it
      expect(await alice.waitFor(isDelivery(message.id, 'stored', 'delivered'))).toMatchObject({ state: 'stored', code: 202 });
    }
    const plainBodies = ['plain one', 'plain two'];
    for (const body of plainBodies) expect(await plain(body)).toBe(202);

    const laptop = await login(laptopDir);
    for (const body of [...bodies, ...plainBodies]) await laptop.waitFor(isIncoming(body), 30_000);
    expect(await received(laptop, 'sip:alice@parley.test')).toEqual(bodies);
    expect(await received(laptop, 'sip:carol@elsewhere.test')).toEqual(plainBodies);

    // the phone later, the laptop still online: the phone gets them too, and the laptop not again
    const phone = await login(phoneDir);
    for (const body of [...bodies, ...plainBodies]) await phone.waitFor(isIncoming(body), 30_000);
    expect(await received(phone, 'sip:alice@parley.test')).toEqual(bodies);
    expect(await received(phone, 'sip:carol@elsewhere.test')).toEqual(plainBodies);

    // one more to both, live: had anything stored been handed to a device twice, or the phone's to
    // the laptop, it would have come before this one
    expect(await plain('plain live')).toBe(200);
    for (const device of [laptop, phone]) await device.waitFor(isIncoming('plain live'));
    for (const device of [laptop, phone]) {
      expect(await received(device, 'sip:carol@elsewhere.test')).toEqual([...plainBodies, 'plain live']);
      expect(await received(device, 'sip:alice@parley.test')).toEqual(bodies);
      for (const body of [...bodies, ...plainBodies]) expect(incomingEvents(device, body), body).toBe(1);
    }

    // handed out is handed out: the phone's next login brings nothing stored again
    await phone.core.stop();
    const again = await login(phoneDir);
    await again.waitFor(isRegistration('registered'));
    expect(await plain('after the phone came back')).toBe(200);
    await again.waitFor(isIncoming('after the phone came back'));
    const arrivals = again.events.filter((e) => e.type === 'message' && e.direction === 'in');
    expect(arrivals.map((e) => e.type === 'message' && e.body)).toEqual(['after the phone came back']);
  });
});
