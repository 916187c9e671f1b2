/**
 * Kamailio killed and restarted (its presence state gone with it): without any user action the
 * publisher publishes again and the watcher subscribes again, so the watcher sees the current
 * state again, and later changes too.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../../../server/free-port.js';
import { startKamailio, type RunningServer } from '../../../../server/kamailio.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const ALICE = 'sip:alice@parley.test';
// UDP has no connection to lose: the restart is noticed by the keep-alive probe (2 s here).
const keepAlive = { intervalMs: 2000, pongTimeoutMs: 2000 };

describe('presence after a server restart', () => {
  let server: RunningServer | undefined;
  // The server is replaced during the test: the one running last is stopped after the cores
  // (vitest runs afterEach hooks in reverse order of registration).
  afterEach(() => server?.stop());
  const world = presenceWorld();

  it('comes back by itself: re-PUBLISH and re-SUBSCRIBE', async () => {
    const port = await freePort();
    server = await startKamailio({ port });
    const alice = await world.parley(server, 'alice', { presenceMode: 'server', keepAlive });
    const bob = await world.parley(server, 'bob', { presenceMode: 'server', keepAlive });
    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'Before', activities: [] }, until: 'cleared' });
    await bob.core.commands.saveContact({ aor: ALICE, groups: [] });
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.note === 'Before' && !b.stale));

    await server.stop();
    const down = bob.events.length;
    server = await startKamailio({ port });
    // A buddy event from after the restart, with alice's state as before and not stale.
    const back = await bob.waitFor(
      (e) =>
        bob.events.indexOf(e) >= down && isBuddy(ALICE, (b) => b.subscription === 'active' && b.view?.note === 'Before' && !b.stale)(e),
      30_000,
    );
    expect(back.type === 'buddy' && back.buddy.view?.availability).toBe('busy');

    await alice.core.commands.setStatus({ view: { availability: 'away', note: 'After', activities: [] }, until: 'cleared' });
    await bob.waitFor(
      isBuddy(ALICE, (b) => b.view?.note === 'After' && b.view.availability === 'away'),
      10_000,
    );
  });
});
