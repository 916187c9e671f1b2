/**
 * Server-mode presence through the bundled Kamailio: Parley PUBLISHes its state (the view for
 * "everyone else"), another Parley watching it sees each change from Kamailio's NOTIFYs, and
 * quitting removes the publication so the watcher sees offline.
 */
import { describe, expect, it } from 'vitest';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const ALICE = 'sip:alice@parley.test';

describe('server-mode presence (PUBLISH through Kamailio)', () => {
  const world = presenceWorld();

  it('a watcher sees what Parley publishes, each change, and offline once Parley quits', async () => {
    const server = await world.server();
    const alice = await world.parley(server, 'alice', { presenceMode: 'server' });
    const bob = await world.parley(server, 'bob', { presenceMode: 'server' });

    await bob.core.commands.saveContact({ aor: ALICE, groups: [] });
    await bob.waitFor(isBuddy(ALICE, (b) => b.subscription === 'active' && b.view?.availability === 'online' && !b.stale));

    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'In a meeting', activities: [] }, until: 'cleared' });
    const busy = await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'busy'));
    expect(busy.type === 'buddy' && busy.buddy.view).toMatchObject({ availability: 'busy', note: 'In a meeting' });

    const snapshot = await bob.core.commands.getSnapshot({});
    expect(snapshot.presence.buddies).toEqual([expect.objectContaining({ aor: ALICE, subscription: 'active', stale: false })]);

    await alice.stop();
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'offline'));
  });
});
