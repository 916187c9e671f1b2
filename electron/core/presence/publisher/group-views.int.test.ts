/**
 * Per-group views through the bundled Kamailio (docs/DESIGN.md#views-per-group-through-the-server):
 * alice in server mode, her lists and rules on the server (XCAP) and the server enforcing them
 * (presRules). Her profile shows Friends "busy", Co-workers "online" and everyone else "away".
 * Parley checks that the server filters by class, then publishes one tuple per class; what each
 * watcher receives is read byte for byte by raw watchers: bob (Friends) only the busy tuple, carol
 * (Co-workers) only the online one, dave (a contact in no group) the default view, mallory
 * (blocked) nothing; no watcher's body holds another class or anything of another view. A
 * schedule change re-PUBLISHes and each watcher's view changes with it. A Parley watcher (erin, a
 * friend) shows busy, then the new view. A server that does not enforce pres-rules is found to
 * send our tuple to a watcher its rules do not provide it to, and every watcher gets the one view
 * of everyone else.
 */
import { describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../server/kamailio.js';
import type { Profile } from '../../../../shared/domain/presence.js';
import type { AccountConfig, SequencedEvent } from '../../../../shared/ipc.js';
import { silentLogger, type Logger } from '../../../support/logger.js';
import { decodePidf, composePresence } from '../../../sip/presence/index.js';
import { waitFor } from '../../../sip/testing/raw-peers.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';
import { RawWatcher } from '../notifier/testing/raw-watcher.js';
import { isBuddy, presenceWorld } from '../testing/presence-test-helpers.js';

const DOMAIN = 'parley.test';
const at = (user: string) => `sip:${user}@${DOMAIN}`;
const ALICE = at('alice');

const WORK: Profile = {
  id: 'work',
  name: 'Work hours',
  views: {
    friends: { availability: 'busy', activities: [], note: 'see-you-soon' },
    coworkers: { availability: 'online', activities: [], note: 'at-my-desk' },
    '*': { availability: 'away', activities: [], note: 'back-later' },
  },
};
const EVENING: Profile = {
  id: 'evening',
  name: 'Evening',
  views: {
    friends: { availability: 'online', activities: [], note: 'free-tonight' },
    coworkers: { availability: 'offline', activities: [], note: 'gone-home' },
    '*': { availability: 'away', activities: [], note: 'quiet-evening' },
  },
};
const NOTES = ['see-you-soon', 'at-my-desk', 'back-later', 'free-tonight', 'gone-home', 'quiet-evening'];

function account(server: RunningServer): AccountConfig {
  return { aor: ALICE, proxy: server.uri(), transport: 'udp', registerExpires: 600, xcapRoot: server.xcapRoot(), presenceMode: 'server' };
}

/** The last NOTIFY body a raw watcher received, and the view it shows. */
function lastSeen(watcher: RawWatcher): { body: string; view: ReturnType<typeof composePresence> | undefined } {
  const body = watcher.notifies().at(-1)?.body ?? '';
  return { body, view: body.trim() ? composePresence([decodePidf(body)]) : undefined };
}

/** The class names in a body. */
const classesIn = (body: string): string[] => [...body.matchAll(/<rpid:class>([^<]*)<\/rpid:class>/g)].map((m) => m[1]!);

describe('per-group views through the server (pres-rules with RPID classes)', () => {
  const world = presenceWorld();

  /** alice with her groups, profiles, contacts and one blocked watcher. */
  async function aliceWithGroups(server: RunningServer, logger: Logger = silentLogger): Promise<TestCore> {
    const alice = world.add(await startCore({ account: account(server), logger }));
    await alice.waitFor(isRegistration('registered'));
    const { commands } = alice.core;
    await commands.saveGroup({ id: 'friends', name: 'Friends' });
    await commands.saveGroup({ id: 'coworkers', name: 'Co-workers' });
    await commands.saveProfile(WORK);
    await commands.saveProfile(EVENING);
    await commands.setSchedule({ timeZone: 'UTC', rules: [], defaultProfileId: 'work' });
    await commands.saveContact({ aor: at('bob'), groups: ['friends'] });
    await commands.saveContact({ aor: at('erin'), groups: ['friends'] });
    await commands.saveContact({ aor: at('carol'), groups: ['coworkers'] });
    await commands.saveContact({ aor: at('dave'), groups: [] });
    await commands.answerWatcher({ aor: at('mallory'), decision: 'block' });
    return alice;
  }

  const watch = async (server: RunningServer, user: string) => {
    const watcher = await RawWatcher.subscribe({ host: server.host, port: server.port, from: user, to: 'alice', domain: DOMAIN });
    world.add({ stop: async () => watcher.close() });
    await watcher.notified(1);
    return watcher;
  };

  it('each watcher receives only its own group view, and a schedule change reaches each one', async () => {
    const server = await world.server({ presRules: true });
    const alice = await aliceWithGroups(server);
    const { commands } = alice.core;

    // Parley found that the server filters, and says so
    await alice.waitFor((e: SequencedEvent) => e.type === 'presence-service' && e.service.groupViews === true, 60_000);

    const [bob, carol, dave, mallory] = [
      await watch(server, 'bob'),
      await watch(server, 'carol'),
      await watch(server, 'dave'),
      await watch(server, 'mallory'),
    ];
    // the classed publication and the rules with every contact may still be on their way
    const settled = (w: RawWatcher, note: string) => waitFor(() => lastSeen(w).body.includes(note), 30_000, `${note} in a NOTIFY`);
    await settled(bob, 'see-you-soon');
    await settled(carol, 'at-my-desk');
    await settled(dave, 'back-later');

    const only = (w: RawWatcher, note: string) => {
      const { body } = lastSeen(w);
      expect(NOTES.filter((n) => body.includes(n))).toEqual([note]);
      expect(body).not.toContain('person');
      // one tuple of one class (one device), and the class says nothing of the group
      expect(new Set(classesIn(body)).size).toBe(1);
      expect(body.toLowerCase()).not.toMatch(/friends|coworkers|co-workers/);
      return classesIn(body)[0]!;
    };
    const classes = [only(bob, 'see-you-soon'), only(carol, 'at-my-desk'), only(dave, 'back-later')];
    expect(new Set(classes).size).toBe(3);
    expect(lastSeen(bob).view?.availability).toBe('busy');
    expect(lastSeen(carol).view?.availability).toBe('online');
    expect(lastSeen(dave).view?.availability).toBe('away');
    // blocked: told nothing of alice at all (what the watcher of a user who is offline is told)
    for (const n of mallory.notifies()) {
      expect(NOTES.some((note) => n.body.includes(note))).toBe(false);
      expect(classesIn(n.body)).toEqual([]);
    }

    // a Parley watcher in Friends shows busy
    const erin = await world.parley(server, 'erin', { presenceMode: 'server' });
    await erin.core.commands.saveContact({ aor: ALICE, groups: [] });
    await erin.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'busy' && b.view.note === 'see-you-soon'),
      30_000,
    );

    // the evening profile: re-PUBLISHed, each watcher's own view changes
    await commands.setSchedule({ timeZone: 'UTC', rules: [], defaultProfileId: 'evening' });
    await settled(bob, 'free-tonight');
    await waitFor(() => lastSeen(carol).view?.availability === 'offline', 30_000, 'carol sees offline');
    await settled(dave, 'quiet-evening');
    expect(only(bob, 'free-tonight')).toBe(classes[0]);
    expect(lastSeen(bob).view?.availability).toBe('online');
    // offline to co-workers: a closed tuple, and nothing of the note
    expect(lastSeen(carol).body).not.toContain('gone-home');
    expect(lastSeen(carol).view?.availability).toBe('offline');
    only(dave, 'quiet-evening');
    await erin.waitFor(
      isBuddy(ALICE, (b) => b.view?.availability === 'online' && b.view.note === 'free-tonight'),
      30_000,
    );
    for (const n of mallory.notifies()) expect(NOTES.some((note) => n.body.includes(note))).toBe(false);
  });

  it('a server that does not enforce pres-rules is found out: everyone gets the one view of everyone else', async () => {
    const server = await world.server();
    const verdicts: unknown[] = [];
    const logger: Logger = {
      ...silentLogger,
      info: (message, fields) => message.startsWith('does the presence server filter') && verdicts.push(fields?.verdict),
    };
    const alice = await aliceWithGroups(server, logger);
    await waitFor(() => verdicts.includes('does-not-filter'), 30_000, 'the check');
    const bob = await watch(server, 'bob');
    await waitFor(() => lastSeen(bob).body.includes('back-later'), 30_000, 'the published view');
    expect(NOTES.filter((n) => lastSeen(bob).body.includes(n))).toEqual(['back-later']);
    expect(alice.events.some((e) => e.type === 'presence-service' && e.service.groupViews)).toBe(false);
    expect(verdicts).not.toContain('filters');
  });
});
