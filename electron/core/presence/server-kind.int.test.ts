/**
 * The automatic presence mode against the bundled Kamailio, both ways it can serve a user
 * (docs/DESIGN.md#which-server-serves-presence): for a user whose devices may serve their own
 * presence the probe comes back to Parley (the server relays) and Parley stays its own presence
 * agent; for a user the administrator marked "server" (Kamailio answers every SUBSCRIBE, as a
 * standard presence server) the server answers the probe itself and Parley publishes instead, so
 * a watcher sees its status changes without Parley ever being asked.
 */
import { describe, expect, it } from 'vitest';
import type { PresenceService, SequencedEvent } from '../../../shared/ipc.js';
import { isBuddy, presenceWorld } from './testing/presence-test-helpers.js';

const isService = (test: (service: PresenceService) => boolean) => (event: SequencedEvent) =>
  event.type === 'presence-service' && test(event.service);

describe('automatic presence mode: which kind of server serves presence', () => {
  const world = presenceWorld();

  it('a server that relays watchers: Parley answers them itself (direct)', async () => {
    const server = await world.server();
    const alice = await world.parley(server, 'alice');
    const found = await alice.waitFor(isService((s) => s.basis === 'detected'));
    expect(found.type === 'presence-service' && found.service).toEqual({ mode: 'direct', basis: 'detected', serverKind: 'relays' });
    // The probe is nobody's subscription: alice is not her own watcher.
    expect((await alice.core.commands.getSnapshot({})).presence.watchers).toEqual([]);

    // Direct: a watcher is asked about (pending), which only Parley itself can do.
    const bob = await world.parley(server, 'bob', { presenceMode: 'direct' });
    await bob.core.commands.saveContact({ aor: 'sip:alice@parley.test', groups: [] });
    await alice.waitFor((e) => e.type === 'watcher' && e.watcher.aor.includes('bob') && e.watcher.status === 'pending');
    const snapshot = await alice.core.commands.getSnapshot({});
    expect(snapshot.presence.service).toEqual({ mode: 'direct', basis: 'detected', serverKind: 'relays' });
  });

  it('a presence server that answers watchers itself: Parley finds it and publishes', async () => {
    const server = await world.server();
    await server.setPresenceMode('erin', 'server');
    const erin = await world.parley(server, 'erin');
    const found = await erin.waitFor(isService((s) => s.basis === 'detected'));
    expect(found.type === 'presence-service' && found.service).toEqual({ mode: 'server', basis: 'detected', serverKind: 'presence-agent' });

    const bob = await world.parley(server, 'bob', { presenceMode: 'direct' });
    await bob.core.commands.saveContact({ aor: 'sip:erin@parley.test', groups: [] });
    await bob.waitFor(isBuddy('sip:erin@parley.test', (b) => b.subscription === 'active' && b.view?.availability === 'online'));
    await erin.core.commands.setStatus({ view: { availability: 'busy', note: 'Published', activities: [] }, until: 'cleared' });
    const busy = await bob.waitFor(isBuddy('sip:erin@parley.test', (b) => b.view?.availability === 'busy'));
    expect(busy.type === 'buddy' && busy.buddy.view?.note).toBe('Published');
    // Erin's Parley was never asked: the server answered bob.
    expect((await erin.core.commands.getSnapshot({})).presence.watchers.filter((w) => w.source !== 'server')).toEqual([]);
  });

  it('an account that names its mode is not probed', async () => {
    const server = await world.server();
    const carol = await world.parley(server, 'carol', { presenceMode: 'direct' });
    const snapshot = await carol.core.commands.getSnapshot({});
    expect(snapshot.presence.service).toEqual({ mode: 'direct', basis: 'account' });
    // A Parley in automatic mode that logs in after carol has found the server out: carol would have too.
    const dave = await world.parley(server, 'dave');
    await dave.waitFor(isService((s) => s.basis === 'detected'));
    expect(carol.events.some((e) => e.type === 'presence-service' && e.service.basis !== 'account')).toBe(false);
  });
});
