/**
 * GRUUs (RFC 5627) through the bundled Kamailio (docs/DESIGN.md#several-devices): two Parley devices
 * of one account (alice's laptop and phone) each learn their own pub-gruu and temp-gruu at
 * REGISTER, name their temp-gruu as Contact in their dialogs (what a watcher whose SUBSCRIBE was
 * forked to both receives from a server without topology hiding: no device address there; the
 * bundled server with topos puts its own key there, location-privacy.int.test.ts), and a request
 * sent to one device's GRUU (pub or temp, out of a dialog or in one) reaches that device and not
 * the other; a SUBSCRIBE to a GRUU out of a dialog is refused (presence is asked of the user), and
 * a gone device's GRUU gets 480. The INVITE of a chat session (MSRP) names the temp-gruu too.
 * The Contacts are seen as sent, where topos is off.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SequencedEvent } from '../../../shared/ipc.js';
import type { RunningServer } from '../../../server/kamailio.js';
import { isIncoming, type TestCore } from '../../testing/cores.js';
import { UdpPeer } from '../../sip/testing/raw-peers.js';
import { answer, rawMessage, statusOf } from '../conversations/testing/raw-sip.js';
import { presenceWorld } from '../presence/testing/presence-test-helpers.js';
import { RawWatcher, type RawMessage } from '../presence/notifier/testing/raw-watcher.js';

const PUB_GRUU = /^sip:alice@parley\.test;gr=urn:uuid:[0-9a-f-]{36}$/;
/** Kamailio's temp-gruu: an opaque user part (the binding's id and a hash), the domain, `gr` without a value. */
const TEMP_GRUU = /^sip:[A-Za-z0-9._-]+@parley\.test;gr$/;

const uriOf = (header: string | undefined) => /<([^>]+)>/.exec(header ?? '')?.[1];
const tagOf = (header: string | undefined) => /;tag=([^;>\s]+)/.exec(header ?? '')?.[1];
const incoming = (core: TestCore) => core.events.filter((e: SequencedEvent) => e.type === 'message' && e.direction === 'in');

describe('GRUUs of two devices of one account', () => {
  const world = presenceWorld();
  let peer: UdpPeer | undefined;
  let watcher: RawWatcher | undefined;
  afterEach(async () => {
    watcher?.close();
    await peer?.close();
    watcher = undefined;
    peer = undefined;
  });

  /** A MESSAGE from mallory's raw socket to `target` through the server; resolves with the final status. */
  const send = (server: RunningServer, target: string, body: string): Promise<number> =>
    request(
      server,
      rawMessage({ port: peer!.port, from: 'sip:mallory@elsewhere.test', to: target, contentType: 'text/plain', body: Buffer.from(body) }),
    );

  /** A watcher's SUBSCRIBE for presence from mallory's raw socket to `target`. */
  const subscribe = (target: string): string =>
    [
      `SUBSCRIBE ${target} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer!.port};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
      `From: <sip:mallory@elsewhere.test>;tag=${randomBytes(6).toString('hex')}`,
      `To: <${target}>`,
      `Call-ID: ${randomBytes(12).toString('hex')}`,
      'CSeq: 1 SUBSCRIBE',
      'Max-Forwards: 70',
      `Contact: <sip:mallory@127.0.0.1:${peer!.port}>`,
      'Event: presence',
      'Expires: 600',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');

  /** `message` from mallory's raw socket through the server; resolves with the final status. */
  async function request(server: RunningServer, message: string | Buffer): Promise<number> {
    const before = peer!.received.length;
    await peer!.send(message, server.port);
    for (;;) {
      const status = statusOf(await peer!.next(10_000));
      if (peer!.received.length > before && status !== undefined && status >= 200) return status;
    }
  }

  it(
    'each device learns its own GRUUs, names its temp-gruu as Contact, and only it gets what is sent to them',
    { timeout: 90_000 },
    async () => {
      const server = await world.server({ topologyHiding: false });
      const laptop = await world.parley(server, 'alice', { presenceMode: 'direct' });
      const phone = await world.parley(server, 'alice', { presenceMode: 'direct' });
      peer = await UdpPeer.open();

      // the pub-gruu each learnt at REGISTER: alice's address with the device's own instance
      const pub = new Map<TestCore, string>();
      for (const device of [laptop, phone]) pub.set(device, (await device.core.commands.getSnapshot({})).registration.gruu ?? '');
      for (const gruu of pub.values()) expect(gruu).toMatch(PUB_GRUU);
      expect(pub.get(laptop)).not.toBe(pub.get(phone));

      // a watcher's SUBSCRIBE is forked to both devices; each answers in its own dialog, and the
      // Contact of each NOTIFY (and of the answer) is that device's temp-gruu, not its address
      watcher = await RawWatcher.subscribe({ host: server.host, port: server.port, from: 'mallory', to: 'alice', domain: server.domain });
      const dialogs = () => new Map(watcher!.notifies().map((n) => [tagOf(n.headers.get('from')?.[0]), n] as const));
      await expect.poll(() => dialogs().size, { timeout: 15_000 }).toBe(2);
      await watcher.notified(2);
      const contacts = [...dialogs().values()].map((n: RawMessage) => uriOf(n.headers.get('contact')?.[0]) ?? '');
      for (const contact of contacts) expect(contact).toMatch(TEMP_GRUU);
      expect(new Set(contacts).size).toBe(2);
      const ports = [laptop, phone].map(async (device) => (await device.core.commands.getSnapshot({})).listening.map((l) => l.port));
      for (const port of (await Promise.all(ports)).flat()) for (const contact of contacts) expect(contact).not.toContain(String(port));
      const answered = watcher.finalResponse()!;
      expect(contacts).toContain(uriOf(answered.headers.get('contact')?.[0]));

      // a MESSAGE to each temp-gruu reaches one device, a different one for each
      const owner = new Map<string, TestCore>();
      for (const [i, temp] of contacts.entries()) {
        expect(await send(server, temp, `to temp-gruu ${i}`)).toBe(200);
        const got = await Promise.race(
          [laptop, phone].map(async (device) => (await device.waitFor(isIncoming(`to temp-gruu ${i}`)), device)),
        );
        owner.set(temp, got);
      }
      expect(new Set(owner.values()).size).toBe(2);

      // and one to each pub-gruu reaches that device
      for (const device of [laptop, phone]) {
        expect(await send(server, pub.get(device)!, `to the pub-gruu of ${device === laptop ? 'the laptop' : 'the phone'}`)).toBe(200);
        await device.waitFor(isIncoming(`to the pub-gruu of ${device === laptop ? 'the laptop' : 'the phone'}`));
      }
      // a last one to alice herself, to both: anything sent to a GRUU that had also gone to the other
      // device would have come before it
      expect(await send(server, 'sip:alice@parley.test', 'to alice')).toBe(200);
      for (const device of [laptop, phone]) await device.waitFor(isIncoming('to alice'));
      for (const device of [laptop, phone]) {
        const mine = [...owner.entries()].filter(([, d]) => d === device).map(([temp]) => `to temp-gruu ${contacts.indexOf(temp)}`);
        expect(incoming(device).map((e) => e.type === 'message' && e.body)).toEqual([
          ...mine,
          `to the pub-gruu of ${device === laptop ? 'the laptop' : 'the phone'}`,
          'to alice',
        ]);
      }

      // in a dialog: the watcher's un-SUBSCRIBE goes to the Contact of the answer it got, a
      // temp-gruu, and reaches that device, which ends its dialog; the other device's dialog stays
      const answeredBy = tagOf(answered.headers.get('to')?.[0]);
      expect(statusOf((await watcher.refresh()).text)).toBe(200);
      await watcher.unsubscribe();
      const terminated = watcher.notifies().filter((n) => /^terminated/.test(n.headers.get('subscription-state')?.[0] ?? ''));
      expect(terminated.map((n) => tagOf(n.headers.get('from')?.[0]))).toEqual([answeredBy]);
    },
  );

  it('a GRUU of a device that is gone answers 480, and nothing is stored for it', { timeout: 60_000 }, async () => {
    const server = await world.server();
    const laptop = await world.parley(server, 'alice', { presenceMode: 'direct' });
    const phone = await world.parley(server, 'alice', { presenceMode: 'direct' });
    peer = await UdpPeer.open();
    const gone = (await phone.core.commands.getSnapshot({})).registration.gruu!;
    expect(gone).toMatch(PUB_GRUU);
    // presence is asked of the user, not of one device (where blocked and offline would differ)
    expect(await request(server, subscribe(gone))).toBe(403);
    await phone.core.stop();
    expect(await send(server, gone, 'to a device that left')).toBe(480);
    // the laptop, alice's other device, is not handed it instead
    expect(await send(server, 'sip:alice@parley.test', 'to alice')).toBe(200);
    await laptop.waitFor(isIncoming('to alice'));
    expect(incoming(laptop).map((e) => e.type === 'message' && e.body)).toEqual(['to alice']);
  });
  it('an INVITE for a chat session names the temp-gruu as Contact (as sent: topology hiding off)', { timeout: 60_000 }, async () => {
    const server = await world.server({ topologyHiding: false });
    const alice = await world.parley(server, 'alice');
    await alice.core.commands.setChatSettings({ preferSessionMode: true });
    peer = await UdpPeer.open();
    void alice.core.commands.sendMessage({ to: `sip:carol@127.0.0.1:${peer.port}`, body: 'hello' }).catch(() => undefined);
    let invite: string | undefined;
    while (!invite) {
      const request = await peer.next(15_000);
      if (request.startsWith('INVITE ')) invite = request;
    }
    // declined, so the message goes on without a session
    await peer.send(answer(invite, 603, 'Decline'), server.port);
    const contact = uriOf(/^Contact:\s*(.*)$/im.exec(invite)?.[1]);
    expect(contact).toMatch(TEMP_GRUU);
    const ports = (await alice.core.commands.getSnapshot({})).listening.map((l) => String(l.port));
    for (const port of ports) expect(contact).not.toContain(port);
  });
});
