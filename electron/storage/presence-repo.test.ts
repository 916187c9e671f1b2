import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.js';
import { DEFAULT_PROFILE, PresenceRepo } from './presence-repo.js';

describe('PresenceRepo', () => {
  let dir: string;
  let db: Db;
  const open = () => {
    db = openDatabase(dir);
    return new PresenceRepo(db);
  };
  afterEach(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts with the default profile, no rules, the local time zone and no manual status', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-presence-'));
    const repo = open();
    expect(repo.profiles()).toEqual([DEFAULT_PROFILE]);
    expect(repo.schedule()).toEqual({
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      rules: [],
      defaultProfileId: 'available',
    });
    expect(repo.manualStatus()).toBeNull();
    expect(repo.groups()).toEqual([]);
    expect(repo.contacts()).toEqual([]);
  });

  it('keeps groups, contacts, profiles, schedule, manual status and watchers across reopening', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-presence-'));
    let repo = open();
    repo.saveGroup({ id: 'friends', name: 'Friends' });
    repo.saveGroup({ id: 'work', name: 'Co-workers' });
    repo.saveGroup({ id: 'friends', name: 'Good friends' });
    repo.saveContact({ aor: 'sip:bob@example.org', name: 'Bob', groups: ['friends', 'work'] });
    repo.saveContact({ aor: 'sip:carol@example.org', groups: [] });
    const work = {
      id: 'work-hours',
      name: 'Work hours',
      views: {
        '*': { availability: 'away' as const, activities: [] },
        friends: { availability: 'busy' as const, note: 'at work', activities: ['working'] },
      },
    };
    repo.saveProfile(work);
    repo.setSchedule({
      timeZone: 'Europe/Berlin',
      rules: [{ id: 'r1', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work-hours' }],
      defaultProfileId: 'work-hours',
    });
    repo.setManualStatus({ view: { availability: 'busy', activities: [] }, until: 'cleared', setAt: 5 });
    repo.saveWatcher({ aor: 'sip:eve@example.org', status: 'pending', source: 'direct', subscribed: true, lastSeen: 10 });
    repo.saveWatcher({ aor: 'sip:eve@example.org', status: 'blocked', source: 'direct', subscribed: false, lastSeen: 11 });
    db.close();

    repo = open();
    expect(repo.groups()).toEqual([
      { id: 'friends', name: 'Good friends' },
      { id: 'work', name: 'Co-workers' },
    ]);
    expect(repo.contact('sip:bob@example.org')).toEqual({ aor: 'sip:bob@example.org', name: 'Bob', groups: ['friends', 'work'] });
    expect(repo.contact('sip:carol@example.org')).toEqual({ aor: 'sip:carol@example.org', groups: [] });
    expect(repo.profiles()).toEqual([work]);
    expect(repo.schedule().rules).toHaveLength(1);
    expect(repo.manualStatus()).toMatchObject({ until: 'cleared', setAt: 5 });
    expect(repo.watchers()).toEqual([{ aor: 'sip:eve@example.org', status: 'blocked', source: 'direct', subscribed: false, lastSeen: 11 }]);
    repo.setManualStatus(null);
    expect(repo.manualStatus()).toBeNull();
  });

  it('deleting a group takes it out of every contact, leaving the contacts', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-presence-'));
    const repo = open();
    repo.saveGroup({ id: 'friends', name: 'Friends' });
    repo.saveContact({ aor: 'sip:bob@example.org', groups: ['friends', 'work'] });
    expect(repo.deleteGroup('friends')).toBe(true);
    expect(repo.deleteGroup('friends')).toBe(false);
    expect(repo.contact('sip:bob@example.org')?.groups).toEqual(['work']);
    expect(repo.deleteContact('sip:bob@example.org')).toBe(true);
    expect(repo.contacts()).toEqual([]);
  });

  it('remembers what the presence probe found per server, across reopening; another server starts afresh', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-presence-'));
    const repo = open();
    expect(repo.serverKind('sip:proxy.example.org')).toBeUndefined();
    repo.setServerKind('sip:proxy.example.org', 'presence-agent');
    db.close();
    const reopened = open();
    expect(reopened.serverKind('sip:proxy.example.org')).toBe('presence-agent');
    expect(reopened.serverKind('sip:other.example.org')).toBeUndefined();
  });
});
