/**
 * Parley watching a real baresip (its presence module answers SUBSCRIBE itself; Kamailio relays
 * the SUBSCRIBE to it as a "direct" presence user): Parley shows baresip's state and follows its
 * presence_online / presence_offline commands.
 */
import { describe, expect, it } from 'vitest';
import { startBaresip } from '../../../testing/baresip.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const DAVE = 'sip:dave@parley.test';

describe('Parley watching baresip', () => {
  const world = presenceWorld();

  it("shows baresip's state and its changes", async () => {
    const server = await world.server();
    const dave = world.add(
      await startBaresip({
        user: 'dave',
        password: 'secret',
        domain: server.domain,
        proxy: server.uri(),
        contact: `sip:alice@${server.domain}`,
        presence: true,
      }),
    );
    await dave.program.waitForLine(/dave@parley\.test: .* 200 OK/);
    await server.setPresenceMode('dave', 'direct');

    const parley = await world.parley(server, 'alice');
    await parley.core.commands.saveContact({ aor: DAVE, groups: [], name: 'Dave' });
    // baresip starts with its status unknown (it writes <basic>?</basic>): not online yet.
    const first = await parley.waitFor(isBuddy(DAVE, (b) => b.subscription === 'active' && b.view !== null));
    expect(first.type === 'buddy' && first.buddy.view?.availability).toBe('offline');

    expect((await dave.command('presence_online')).ok).toBe(true);
    const online = await parley.waitFor(isBuddy(DAVE, (b) => b.subscription === 'active' && b.view?.availability === 'online'));
    expect(online.type === 'buddy' && online.buddy.stale).toBe(false);
    expect((await dave.command('presence_offline')).ok).toBe(true);
    const before = parley.events.length;
    await parley.waitFor(
      (e) =>
        parley.events.indexOf(e) >= before && isBuddy(DAVE, (b) => b.subscription === 'active' && b.view?.availability === 'offline')(e),
    );
  });
});
