/**
 * Parley watching Parley (direct presence through Kamailio): until the watched user allows the
 * watcher, the subscription is pending ("awaiting authorization") and shows no state; once
 * allowed, the watcher sees the real state.
 */
import { describe, expect, it } from 'vitest';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const ALICE = 'sip:alice@parley.test';
const BOB = 'sip:bob@parley.test';

describe('awaiting authorization', () => {
  const world = presenceWorld();

  it('is pending with no state until the watched user allows, then shows the state', async () => {
    const server = await world.server();
    const alice = await world.parley(server, 'alice');
    const bob = await world.parley(server, 'bob');
    await server.setPresenceMode('alice', 'direct');
    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'Writing', activities: [] }, until: 'cleared' });

    await bob.core.commands.saveContact({ aor: ALICE, groups: [] });
    const pending = await bob.waitFor(isBuddy(ALICE, (b) => b.subscription === 'pending'));
    expect(pending.type === 'buddy' && pending.buddy.view).toBeNull();
    await alice.waitFor((e) => e.type === 'watcher' && e.watcher.aor === BOB && e.watcher.status === 'pending');

    await alice.core.commands.answerWatcher({ aor: BOB, decision: 'allow' });
    const active = await bob.waitFor(isBuddy(ALICE, (b) => b.subscription === 'active' && b.view?.note === 'Writing'));
    expect(active.type === 'buddy' && active.buddy.view?.availability).toBe('busy');
  });
});
