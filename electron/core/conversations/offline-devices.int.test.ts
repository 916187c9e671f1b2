/**
 * Messages stored for the devices of a user that were offline, through the bundled Kamailio
 * (docs/DESIGN.md#offline-messages-for-every-device). First bob's laptop and phone are both known
 * to the server and both offline; what alice sends meanwhile is stored once for each of them, and
 * each gets it at its own next login, once, in order; what is handed to the phone is not handed to
 * the laptop, online by then, again. Then the laptop is online and the phone offline: what the
 * laptop takes at once is stored for the phone, which gets it at its next login once, in order,
 * and nothing the laptop has twice; what both take online is stored for neither; a burst with eight
 * in flight, whose copies the server may store out of order, reaches the phone in order. Checked with
 * alice's Parley (CPIM with a Message-ID, which a device would absorb if it came twice) and with a
 * third-party sender of plain text, which carries nothing to absorb a duplicate by, so a copy
 * handed to the wrong device, or stored twice, would show.
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

type Env = ReturnType<typeof kamailioWithUsers>;

/** bob's devices on `env`'s server, each known by its data folder (it comes back as the same device). */
function bobsDevices(env: Env) {
  return {
    /** A device of bob's the server has seen once, then switched off (it unregisters; its folder stays). */
    async knownAndOff(): Promise<string> {
      const first = await startCore({ account: testAccount(env.server, 'bob'), password: USER_PASSWORD });
      try {
        await first.waitFor(isRegistration('registered'));
      } finally {
        await first.core.stop();
      }
      return first.dataDir;
    },
    /** bob's device with the data folder `dataDir` logging in again. */
    login: async (dataDir: string) =>
      env.add(await startCore({ account: testAccount(env.server, 'bob'), password: USER_PASSWORD, dataDir })),
  };
}

/** A MESSAGE from carol, a third-party client on `carrier`, to bob; resolves with the final status. */
async function fromCarol(env: Env, carrier: UdpPeer, contentType: string, body: string, headers: string[] = []): Promise<number> {
  const before = carrier.received.length;
  const request = rawMessage({
    port: carrier.port,
    from: 'sip:carol@elsewhere.test',
    to: 'sip:bob@parley.test',
    contentType,
    body: Buffer.from(body),
    headers,
  });
  await carrier.send(request, env.server.port);
  for (;;) {
    const status = statusOf(await carrier.next(10_000));
    if (carrier.received.length > before && status !== undefined && status >= 200) return status;
  }
}

/**
 * bob's phone logs in while the laptop is online and gets `bodies` from alice and `plainBodies`
 * from carol, in order; then one more from carol reaches both live: had anything stored been
 * handed to a device twice, or the phone's to the laptop, it would have come before it. Last the
 * phone logs in once more and gets nothing stored again (nor what both took online). Resolves with
 * the phone as it was at its first login.
 */
async function phoneCatchesUp(options: {
  login: ReturnType<typeof bobsDevices>['login'];
  plain: (body: string) => Promise<number>;
  laptop: TestCore;
  phoneDir: string;
  bodies: string[];
  plainBodies: string[];
}): Promise<TestCore> {
  const { login, plain, laptop, phoneDir, bodies, plainBodies } = options;
  const phone = await login(phoneDir);
  for (const body of [...bodies, ...plainBodies]) await phone.waitFor(isIncoming(body), 30_000);
  expect(await received(phone, 'sip:alice@parley.test')).toEqual(bodies);
  expect(await received(phone, 'sip:carol@elsewhere.test')).toEqual(plainBodies);

  expect(await plain('plain live')).toBe(200);
  for (const device of [laptop, phone]) await device.waitFor(isIncoming('plain live'));
  for (const device of [laptop, phone]) {
    expect(await received(device, 'sip:carol@elsewhere.test')).toEqual([...plainBodies, 'plain live']);
    expect(await received(device, 'sip:alice@parley.test')).toEqual(bodies);
    for (const body of [...bodies, ...plainBodies, 'plain live']) expect(incomingEvents(device, body), body).toBe(1);
  }

  await phone.core.stop();
  const again = await login(phoneDir);
  await again.waitFor(isRegistration('registered'));
  expect(await plain('after the phone came back')).toBe(200);
  await again.waitFor(isIncoming('after the phone came back'));
  const arrivals = again.events.filter((e) => e.type === 'message' && e.direction === 'in');
  expect(arrivals.map((e) => e.type === 'message' && e.body)).toEqual(['after the phone came back']);
  return phone;
}

describe('messages stored while all of a user’s devices were offline', () => {
  const env = kamailioWithUsers(['alice', 'bob']);
  let alice: TestCore;
  let carrier: UdpPeer;
  const { knownAndOff, login } = bobsDevices(env);
  /** bob's two installs: their data folders, so each comes back as the same device. */
  let laptopDir: string;
  let phoneDir: string;
  /** A text/plain MESSAGE from carol (no Message-ID). */
  const plain = (body: string) => fromCarol(env, carrier, 'text/plain', body);

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
    await phoneCatchesUp({ login, plain, laptop, phoneDir, bodies, plainBodies });
  });
});

describe('messages one device took while another was offline', () => {
  const env = kamailioWithUsers(['alice', 'bob']);
  const { knownAndOff, login } = bobsDevices(env);
  let alice: TestCore;
  let carrier: UdpPeer;
  const plain = (body: string) => fromCarol(env, carrier, 'text/plain', body);

  beforeAll(async () => {
    alice = await env.parley('alice');
    carrier = await UdpPeer.open();
  });
  afterAll(async () => carrier?.close());

  it('stores for the phone what the laptop took while the phone was away, handed out once, in order', { timeout: 120_000 }, async () => {
    const phoneDir = await knownAndOff();
    const laptop = await login(await knownAndOff());
    await laptop.waitFor(isRegistration('registered'));

    const bodies = ['one', 'two', 'three'];
    for (const body of bodies) {
      const message = await alice.core.commands.sendMessage({ to: 'sip:bob@parley.test', body });
      // taken by the laptop (200), not stored (202)
      expect(await alice.waitFor(isDelivery(message.id, 'stored', 'delivered'))).toMatchObject({ state: 'delivered', code: 200 });
      await laptop.waitFor(isIncoming(body));
    }
    const plainBodies = ['plain one', 'plain two'];
    for (const body of plainBodies) {
      expect(await plain(body)).toBe(200);
      await laptop.waitFor(isIncoming(body));
    }
    // carol typing, taken by the laptop too: never stored for the phone
    const typing =
      '<?xml version="1.0" encoding="UTF-8"?><isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active</state></isComposing>';
    expect(await fromCarol(env, carrier, 'application/im-iscomposing+xml', typing)).toBe(200);
    expect(await received(laptop, 'sip:alice@parley.test')).toEqual(bodies);
    expect(await received(laptop, 'sip:carol@elsewhere.test')).toEqual(plainBodies);

    const phone = await phoneCatchesUp({ login, plain, laptop, phoneDir, bodies, plainBodies });
    expect(phone.events.filter((e) => e.type === 'composing')).toEqual([]);
  });

  it('a burst the laptop took with eight in flight reaches the phone in the order sent', { timeout: 120_000 }, async () => {
    const phoneDir = await knownAndOff();
    const laptop = await login(await knownAndOff());
    await laptop.waitFor(isRegistration('registered'));
    const bodies = Array.from({ length: 8 }, (_, i) => `burst ${i + 1}`);
    // Not one at a time: the outbox keeps eight in flight, so the laptop's answers come back
    // together and the server stores the phone's copies side by side.
    const sent = await Promise.all(bodies.map((body) => alice.core.commands.sendMessage({ to: 'sip:bob@parley.test', body })));
    for (const message of sent) await alice.waitFor(isDelivery(message.id, 'stored', 'delivered'));
    for (const body of bodies) await laptop.waitFor(isIncoming(body));

    const phone = await login(phoneDir);
    for (const body of bodies) await phone.waitFor(isIncoming(body), 30_000);
    const burst = (await received(phone, 'sip:alice@parley.test')).filter((body) => body.startsWith('burst'));
    expect(burst).toEqual(bodies);
    for (const body of bodies) expect(incomingEvents(phone, body), body).toBe(1);
  });

  it('refuses a Device-Catchup or Catchup-Of header from anybody but the server itself', async () => {
    const status = await fromCarol(env, carrier, 'text/plain', 'store me for every device', [
      'Device-Catchup: ,00000000000000000000000000000000,',
    ]);
    expect(status).toBe(403);
    expect(await fromCarol(env, carrier, 'text/plain', 'hand me out as another message', ['Catchup-Of: 1 someone-elses-call-id'])).toBe(
      403,
    );
  });
});
