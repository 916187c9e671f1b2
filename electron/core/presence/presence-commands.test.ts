/**
 * The presence commands over a real SQLite repo and the policy timer on an injected clock: status
 * events at boundaries and when a manual status lapses, validation of edits, and "what does X see".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ParleyEvent } from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { openDatabase, type Db } from '../../storage/database.js';
import { PresenceRepo } from '../../storage/presence-repo.js';
import { silentLogger } from '../../support/logger.js';
import { servePresence } from './notifier/serve-presence.js';
import { presenceHandlers, presenceSnapshot } from './presence-commands.js';
import { at, SleepyClock } from './policy/testing/test-fixtures.js';

describe('presence commands', () => {
  let dir: string;
  let db: Db;
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function setUp(start: string) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-presence-commands-'));
    db = openDatabase(dir);
    const repo = new PresenceRepo(db);
    const clock = new SleepyClock(at(start));
    const events: ParleyEvent[] = [];
    const served = servePresence({ repo, clock, logger: silentLogger, emit: (e) => events.push(e) });
    const commands = presenceHandlers(repo, (e) => events.push(e), served);
    served.start();
    return { repo, clock, events, served, commands, statuses: () => events.filter((e) => e.type === 'status') };
  }

  async function workHours(commands: ReturnType<typeof setUp>['commands']) {
    await commands.saveGroup({ id: 'friends', name: 'Friends' });
    await commands.saveProfile({
      id: 'work',
      name: 'Work hours',
      views: { friends: { availability: 'busy', activities: [] }, '*': { availability: 'online', activities: [] } },
    });
    await commands.setSchedule({
      timeZone: 'Europe/Berlin',
      defaultProfileId: 'available',
      rules: [{ id: 'w', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work' }],
    });
  }

  it('keeps the built-in default when the first own profile is saved, and refuses edits that break the schedule', async () => {
    const { commands, repo } = setUp('2025-06-02T08:00+02:00');
    await workHours(commands);
    expect(
      repo
        .profiles()
        .map((p) => p.id)
        .sort(),
    ).toEqual(['available', 'work']);
    await expect(commands.deleteProfile({ id: 'work' })).rejects.toThrow(/uses profile "work", which does not exist/);
    await expect(commands.setSchedule({ timeZone: 'Europe/Berlin', defaultProfileId: 'nope', rules: [] })).rejects.toThrow(
      /default profile "nope" does not exist/,
    );
    await expect(commands.saveContact({ aor: 'sip:fred@example.org', groups: ['enemies'] })).rejects.toThrow(
      /group "enemies", which does not exist/,
    );
    expect(repo.contacts()).toEqual([]);
  });

  it('emits the status at a schedule boundary and when a manual status lapses there', async () => {
    const { commands, clock, statuses, repo, served } = setUp('2025-06-02T08:00+02:00');
    await workHours(commands);
    expect(served.status.active).toMatchObject({ profileId: 'available', nextBoundary: at('2025-06-02T09:00+02:00'), manual: null });
    const set = await commands.setStatus({ view: { availability: 'away', note: 'Coffee', activities: [] }, until: 'next-boundary' });
    expect(set.manual).toMatchObject({ view: { availability: 'away', note: 'Coffee' }, until: 'next-boundary' });
    const before = statuses().length;
    clock.advanceTo(at('2025-06-02T09:00:01+02:00'));
    expect(statuses().slice(before)).toEqual([
      { type: 'status', status: { profileId: 'work', nextBoundary: at('2025-06-02T17:00+02:00'), manual: null } },
    ]);
    expect(repo.manualStatus()).toBeNull();
    expect(presenceSnapshot(repo, served.status).status.profileId).toBe('work');
  });

  it('answers what a watcher sees: a buddy by their group, a stranger pending, and an allowed one after the answer', async () => {
    const { commands, clock } = setUp('2025-06-02T10:00+02:00');
    await workHours(commands);
    await commands.saveContact({ aor: 'sip:fred@example.org', name: 'Fred', groups: ['friends'] });
    expect(await commands.whatDoesWatcherSee({ watcher: 'sip:fred@example.org' })).toMatchObject({
      source: 'profile',
      group: 'friends',
      view: { availability: 'busy' },
    });
    expect(await commands.whatDoesWatcherSee({ watcher: 'sip:zed@example.org' })).toMatchObject({
      source: 'pending',
      view: { availability: 'offline' },
    });
    await commands.answerWatcher({ aor: 'sip:zed@example.org', decision: 'allow' });
    expect(await commands.whatDoesWatcherSee({ watcher: 'sip:zed@example.org' })).toMatchObject({
      source: 'profile',
      group: '*',
      view: { availability: 'online' },
    });
    expect(await commands.whatDoesWatcherSee({ watcher: 'sip:fred@example.org', at: clock.now() + 8 * 3600_000 })).toMatchObject({
      profileId: 'available',
      view: { availability: 'online' },
    });
  });

  it('answers for a chosen moment: the schedule then, a manual status only while it would still be in force', async () => {
    const { commands, clock } = setUp('2025-06-02T08:00+02:00');
    await workHours(commands);
    const tuesday10 = at('2025-06-03T10:00+02:00');
    expect(await commands.whatDoesGroupSee({ group: 'friends', at: tuesday10 })).toMatchObject({
      source: 'profile',
      profileId: 'work',
      view: { availability: 'busy' },
    });
    expect(await commands.whatDoesGroupSee({ group: 'friends', at: at('2025-06-03T18:00+02:00') })).toMatchObject({
      profileId: 'available',
      view: { availability: 'online' },
    });
    expect(await commands.whatDoesGroupSee({ group: 'friends', at: at('2025-06-07T10:00+02:00') })).toMatchObject({
      view: { availability: 'online' },
    });

    // Until the schedule next changes: in force at 08:30, lapsed at 09:00, so Tuesday shows the schedule.
    await commands.setStatus({ view: { availability: 'away', activities: [] }, until: 'next-boundary' });
    expect(await commands.whatDoesGroupSee({ group: 'friends', at: at('2025-06-02T08:30+02:00') })).toMatchObject({
      source: 'manual',
      view: { availability: 'away' },
    });
    expect(await commands.whatDoesGroupSee({ group: 'friends', at: tuesday10 })).toMatchObject({
      source: 'profile',
      view: { availability: 'busy' },
    });
    // Before it was set, it did not apply.
    expect(await commands.whatDoesGroupSee({ group: 'friends', at: clock.now() - 60_000 })).toMatchObject({
      source: 'profile',
      view: { availability: 'online' },
    });

    // Until cleared: still set on Tuesday, and the answer says so.
    await commands.setStatus({ view: { availability: 'offline', activities: [] }, until: 'cleared' });
    const hidden = await commands.whatDoesWatcherSee({ watcher: 'sip:zed@example.org', at: tuesday10 });
    expect(hidden.source).toBe('pending');
    await commands.saveContact({ aor: 'sip:fred@example.org', groups: ['friends'] });
    const fred = await commands.whatDoesWatcherSee({ watcher: 'sip:fred@example.org', at: tuesday10 });
    expect(fred).toMatchObject({ source: 'manual', view: { availability: 'offline' } });
    expect(fred.explanation).toEqual({ code: 'view.manual-until-cleared', params: { availability: 'offline' } });
    expect(wordReason(fred.explanation)).toContain('until you clear it');
  });
});
