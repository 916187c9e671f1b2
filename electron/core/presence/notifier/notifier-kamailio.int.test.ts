/**
 * Direct presence through the bundled Kamailio: Parley registers with `events="presence"` in its
 * Contact, the server marks the user "direct" from that REGISTER and relays watchers' SUBSCRIBEs
 * to Parley (record-routed, so NOTIFYs return through it). Watched by a raw UDP watcher and by baresip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKamailio, type RunningServer } from '../../../../server/kamailio.js';
import type { SequencedEvent } from '../../../../shared/ipc.js';
import { composePresence, decodePidf } from '../../../sip/presence/index.js';
import { startBaresip } from '../../../testing/baresip.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';
import { RawWatcher } from './testing/raw-watcher.js';
import { header } from './testing/sipp-watcher.js';

describe('direct presence through the bundled Kamailio', () => {
  let server: RunningServer;
  let alice: TestCore;
  const aliceAor = () => `sip:alice@${server.domain}`;
  beforeAll(async () => {
    server = await startKamailio();
    alice = await startCore({ account: { aor: `sip:alice@parley.test`, proxy: server.uri(), transport: 'udp', registerExpires: 600 } });
    await alice.waitFor(isRegistration('registered'));
  });
  afterAll(async () => {
    await alice?.stop();
    await server?.stop();
  });

  it('learns from the REGISTER who serves presence: the device with the feature tag, the server without', async () => {
    expect(await server.rpc('htable.get', 'presmode', 'alice')).toMatch(/value: device/);
    const dave = (presenceMode: 'direct' | 'server') =>
      startCore({
        account: { aor: `sip:dave@${server.domain}`, proxy: server.uri(), transport: 'udp', registerExpires: 600, presenceMode },
      });
    const direct = await dave('direct');
    await direct.waitFor(isRegistration('registered'));
    expect(await server.rpc('htable.get', 'presmode', 'dave')).toMatch(/value: device/);
    await direct.stop(); // unregisters
    const served = await dave('server');
    try {
      await served.waitFor(isRegistration('registered'));
      expect(await server.rpc('htable.get', 'presmode', 'dave')).toMatch(/Key name doesn't exist/);
    } finally {
      await served.stop();
    }
  });

  it("answers a relayed SUBSCRIBE: pending until allowed into a group, then that group's view", async () => {
    const commands = alice.core.commands;
    await commands.saveGroup({ id: 'friends', name: 'Friends' });
    await commands.saveProfile({
      id: 'available',
      name: 'Available',
      views: { friends: { availability: 'busy', note: 'In a meeting', activities: [] }, '*': { availability: 'online', activities: [] } },
    });
    // A raw watcher: through the proxy the answers may come after the NOTIFYs that follow them.
    const bob = await RawWatcher.subscribe({ host: server.host, port: server.port, from: 'bob', to: 'alice', domain: server.domain });
    try {
      await bob.notified(1);
      const bobAor = `sip:bob@${server.domain}`;
      await alice.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === bobAor && e.watcher.status === 'pending');
      await commands.answerWatcher({ aor: bobAor, decision: 'allow', group: 'friends' });
      await bob.notified(2);
      await bob.unsubscribe();
      const [pending, allowed, final] = bob.notifies();
      expect(header(pending!, 'Subscription-State')).toBe('pending;expires=600');
      expect(pending!.body).toBe('');
      // Relayed: the NOTIFY came back through the proxy, which hid the device's Via behind its own.
      expect(pending!.headers.get('via')).toEqual([expect.stringContaining(`SIP/2.0/UDP ${server.host}:${server.port};`)]);
      expect(header(allowed!, 'Subscription-State')).toMatch(/^active;expires=\d+$/);
      const view = composePresence([decodePidf(allowed!.body)]);
      expect(view).toMatchObject({ availability: 'busy', note: 'In a meeting' });
      expect(decodePidf(allowed!.body).entity).toBe(aliceAor());
      expect(header(final!, 'Subscription-State')).toBe('terminated;reason=timeout');
      const snapshot = await commands.getSnapshot({});
      expect(snapshot.presence.contacts).toContainEqual({ aor: bobAor, groups: ['friends'] });
      expect(snapshot.presence.watchers).toContainEqual(expect.objectContaining({ aor: bobAor, status: 'allowed' }));
    } finally {
      bob.close();
    }
  });

  it("is watched by baresip, which shows each change of Parley's status", async () => {
    const carolAor = `sip:carol@${server.domain}`;
    // A buddy in the roster may watch without asking; carol is in no group: "everyone else".
    await alice.core.commands.saveContact({ aor: carolAor, name: 'Carol', groups: [] });
    const carol = await startBaresip({
      user: 'carol',
      password: 'unused',
      domain: server.domain,
      proxy: server.uri(),
      contact: aliceAor(),
      presence: true,
    });
    try {
      await alice.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === carolAor && e.watcher.subscribed);
      await alice.core.commands.setStatus({ view: { availability: 'busy', activities: [] }, until: 'cleared' });
      // baresip logs a change only from a known state: it had seen "Online" first.
      await carol.program.waitForLine(/changed status from .*Online.* to .*Busy/);
      await alice.core.commands.answerWatcher({ aor: carolAor, decision: 'block' });
      await carol.program.waitForLine(/changed status from .*Busy.* to .*Offline/);
    } finally {
      await carol.stop();
    }
  });
});
