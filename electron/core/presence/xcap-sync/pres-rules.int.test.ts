/**
 * Watcher decisions on the server (docs/DESIGN.md#watcher-decisions-on-the-server), with real
 * Parley cores and the bundled Kamailio (xcap_server; presence_xml reading pres-rules when started
 * with presRules): decisions written by one device are read by another of the same account, and
 * decisions made on two devices from the same version are both kept (If-Match, 412, merge); in
 * server mode the server enforces them: an allowed watcher sees the published state, a stranger
 * stays pending until allowed, and a blocked watcher sees what the watcher of an offline user sees.
 */
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import type { BuddyPresence } from '../../../../shared/domain/presence.js';
import type { AccountConfig, SequencedEvent } from '../../../../shared/ipc.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';
import { decodePresRules, type PresRules } from '../../../sip/xcap/pres-rules.js';
import { XcapClient } from '../../../sip/xcap/xcap-client.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const PASSWORD = 'alice-secret';
const ALICE = 'sip:alice@parley.test';
const BOB = 'sip:bob@parley.test';
const CAROL = 'sip:carol@parley.test';
const DAVE = 'sip:dave@parley.test';
const MALLORY = 'sip:mallory@parley.test';

function account(server: RunningServer, extra: Partial<AccountConfig> = {}): AccountConfig {
  return { aor: ALICE, proxy: server.uri(), transport: 'udp', registerExpires: 600, xcapRoot: server.xcapRoot(), ...extra };
}

/** alice's pres-rules as the server has them now. */
async function serverRules(server: RunningServer, password?: string): Promise<PresRules | undefined> {
  const client = new XcapClient({ root: server.xcapRoot(), xui: ALICE, username: 'alice', password });
  const read = await client.get('pres-rules');
  return read.found ? decodePresRules(read.body) : undefined;
}

const watcherIs = (aor: string, status: string) => (event: SequencedEvent) =>
  event.type === 'watcher' && event.watcher.aor === aor && event.watcher.status === status;

/** What a watcher's Parley shows of alice: every state it was told, in order. */
const seenOfAlice = (core: TestCore): Pick<BuddyPresence, 'subscription' | 'view'>[] =>
  core.events.flatMap((e) =>
    e.type === 'buddy' && e.buddy.aor === ALICE ? [{ subscription: e.buddy.subscription, view: e.buddy.view }] : [],
  );

describe('watcher decisions on the server (pres-rules over XCAP)', () => {
  const world = presenceWorld();

  it('decisions written by one device are read by another, and conflicting edits are both kept', async () => {
    const server = await world.server({
      auth: true,
      users: [
        { user: 'alice', password: PASSWORD },
        { user: 'bob', password: 'x' },
      ],
    });
    const device = async (): Promise<TestCore> => {
      const core = world.add(await startCore({ account: account(server), password: PASSWORD }));
      await core.waitFor(isRegistration('registered'));
      return core;
    };
    const first = await device();
    await first.core.commands.answerWatcher({ aor: MALLORY, decision: 'block' });
    await first.core.commands.saveContact({ aor: BOB, groups: [] });
    await expect
      .poll(async () => await serverRules(server, PASSWORD), { timeout: 30_000 })
      .toEqual({ decisions: { [MALLORY]: 'block' }, contacts: [BOB] });

    const second = await device();
    await second.waitFor(watcherIs(MALLORY, 'blocked'));

    // Both hold the same version: the first allows carol, then the second (still on the old
    // version) blocks dave: its write is refused (412), it reads the first's, merges and writes.
    await first.core.commands.answerWatcher({ aor: CAROL, decision: 'allow' });
    await expect.poll(async () => (await serverRules(server, PASSWORD))?.decisions[CAROL], { timeout: 30_000 }).toBe('allow');
    await second.core.commands.answerWatcher({ aor: DAVE, decision: 'block' });
    await expect
      .poll(async () => (await serverRules(server, PASSWORD))?.decisions, { timeout: 30_000 })
      .toEqual({ [MALLORY]: 'block', [CAROL]: 'allow', [DAVE]: 'block' });
    // the second device took the first's decision into its own
    await second.waitFor(watcherIs(CAROL, 'allowed'));
    const snapshot = await second.core.commands.getSnapshot({});
    expect(Object.fromEntries(snapshot.presence.watchers.map((w) => [w.aor, w.status]))).toMatchObject({
      [MALLORY]: 'blocked',
      [CAROL]: 'allowed',
      [DAVE]: 'blocked',
    });
  });

  it('in server mode the server enforces them: allowed, pending until allowed, blocked as if offline', async () => {
    const server = await world.server({ presRules: true });
    const alice = world.add(await startCore({ account: account(server, { presenceMode: 'server' }) }));
    await alice.waitFor(isRegistration('registered'));
    await alice.core.commands.setStatus({ view: { availability: 'busy', note: 'Writing', activities: [] }, until: 'cleared' });
    await alice.core.commands.saveContact({ aor: BOB, groups: [] });
    await alice.core.commands.answerWatcher({ aor: MALLORY, decision: 'block' });
    await alice.core.commands.answerWatcher({ aor: DAVE, decision: 'allow' });
    await expect
      .poll(async () => (await serverRules(server))?.decisions, { timeout: 30_000 })
      .toEqual({ [MALLORY]: 'block', [DAVE]: 'allow' });

    const bob = await world.parley(server, 'bob', { presenceMode: 'server' });
    const carol = await world.parley(server, 'carol', { presenceMode: 'server' });
    const mallory = await world.parley(server, 'mallory', { presenceMode: 'server' });
    for (const watcher of [bob, carol, mallory]) await watcher.core.commands.saveContact({ aor: ALICE, groups: [] });

    // a contact: allowed without asking
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'busy'));
    // a stranger: pending at the server, and a request in alice's Parley
    await carol.waitFor(isBuddy(ALICE, (b) => b.subscription === 'pending'));
    await alice.waitFor(watcherIs(CAROL, 'pending'));
    await mallory.waitFor(isBuddy(ALICE, (b) => b.subscription === 'active'));

    // allowing carol reaches the server's subscription without her asking again
    await alice.core.commands.answerWatcher({ aor: CAROL, decision: 'allow' });
    await carol.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'busy'),
      30_000,
    );

    // alice quits; dave (allowed) watches her now: what he is told is what mallory was told
    await alice.stop();
    await bob.waitFor(isBuddy(ALICE, (b) => b.view?.availability === 'offline'));
    const dave = await world.parley(server, 'dave', { presenceMode: 'server' });
    await dave.core.commands.saveContact({ aor: ALICE, groups: [] });
    await dave.waitFor(isBuddy(ALICE, (b) => b.subscription === 'active'));
    expect(seenOfAlice(mallory)).toEqual(seenOfAlice(dave));
    expect(seenOfAlice(mallory).every((seen) => seen.view === null || seen.view.availability === 'offline')).toBe(true);
  });
});
