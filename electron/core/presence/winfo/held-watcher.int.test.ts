/**
 * A watcher request made while the user is offline, in direct mode (docs/DESIGN.md#held-subscriptions):
 * the bundled Kamailio holds carol's SUBSCRIBE to alice (carol sees no state, never alice's real
 * one); at alice's next login the request appears in her Parley through watcher-info; once alice
 * allows carol, carol's held subscription ends at its refresh (481) and her new SUBSCRIBE reaches
 * alice's device: carol sees alice's real state, without anyone retrying by hand. carol is a
 * Parley whose clock runs 30 times as fast, so her refreshes come within seconds, not minutes.
 */
import { describe, expect, it } from 'vitest';
import type { BuddyPresence } from '../../../../shared/domain/presence.js';
import type { SequencedEvent } from '../../../../shared/ipc.js';
import { TestClock } from '../notifier/testing/sipp-watcher.js';
import { isBuddy, presenceWorld, registeredParley } from '../testing/presence-test-helpers.js';

const ALICE = 'sip:alice@parley.test';
const CAROL = 'sip:carol@parley.test';

describe('a watcher request while the user is offline (direct mode)', () => {
  const world = presenceWorld();

  it('is held by the server, shown to the user at the next login, and once allowed gets the real state', async () => {
    const server = await world.server();
    // alice has used Parley before (her device registered for direct presence), and is offline now.
    const before = await registeredParley(server, 'alice');
    await before.stop();

    const carol = await world.parley(server, 'carol', { clock: new TestClock(Date.now(), 30) });
    await carol.core.commands.saveContact({ aor: ALICE, groups: [] });
    await carol.waitFor(isBuddy(ALICE, (b) => b.subscription === 'active'));
    const carolSaw = (): BuddyPresence['view'][] =>
      carol.events.filter((e) => e.type === 'buddy' && e.buddy.aor === ALICE).map((e) => (e.type === 'buddy' ? e.buddy.view : null));

    const alice = await world.parley(server, 'alice');
    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'Writing', activities: [] }, until: 'cleared' });
    const asked = await alice.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === CAROL);
    expect(asked.type === 'watcher' && asked.watcher).toMatchObject({ status: 'pending', source: 'server' });
    expect(carolSaw().every((view) => view === null)).toBe(true);

    await alice.core.commands.answerWatcher({ aor: CAROL, decision: 'allow' });
    const seen = await carol.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'busy'),
      30_000,
    );
    expect(seen.type === 'buddy' && seen.buddy.view).toMatchObject({ availability: 'busy', note: 'Writing' });
  });

  it('in server mode: accepted by the server while the user is offline, and shown to the user at the next login', async () => {
    const server = await world.server();
    const before = await registeredParley(server, 'alice', { presenceMode: 'server' });
    await before.stop(); // un-PUBLISHes: the server holds nothing for alice now

    const carol = await world.parley(server, 'carol');
    await carol.core.commands.saveContact({ aor: ALICE, groups: [] });
    const held = await carol.waitFor(isBuddy(ALICE, (b) => b.subscription === 'active'));
    // Accepted while alice is away. (What it shows then is the server's: Kamailio 5.6 may still
    // serve alice's last publication to a new watcher after her un-PUBLISH; see DESIGN.md.)
    expect(held.type === 'buddy' && held.buddy.subscription).toBe('active');

    const alice = await world.parley(server, 'alice', { presenceMode: 'server' });
    const asked = await alice.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === CAROL);
    expect(asked.type === 'watcher' && asked.watcher).toMatchObject({ status: 'pending', source: 'server', subscribed: true });
    // The server is the presence agent: carol's subscription, made while alice was away, carries
    // what alice publishes now (this server is not started with presRules: every watcher is active).
    await carol.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'online'));
  });
});
