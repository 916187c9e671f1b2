import { describe, expect, it } from 'vitest';
import { EVERYONE_ELSE, GroupViewAnswer, PresenceView, WatcherViewAnswer, type Watcher } from '../../../../shared/domain/presence.js';
import type { Reason } from '../../../../shared/domain/reason.js';
import { wordReason } from '../../../../shared/words/word-reason.js';
import { whatDoesGroupSee, whatDoesWatcherSee, type WatcherQuery } from './watcher-view.js';
import { at, contacts, groups, profiles, workHours } from './testing/test-fixtures.js';

const allowed = (aor: string): Watcher => ({ aor, status: 'allowed', source: 'direct', subscribed: true, lastSeen: 0 });
const watchers: Watcher[] = [
  ...contacts.map((c) => allowed(c.aor)),
  allowed('sip:stranger@example.net'),
  { ...allowed('sip:pat@example.net'), status: 'pending' },
  { ...allowed('sip:bob@example.net'), status: 'blocked' },
];
const mondayTen = at('2025-06-02T10:00+02:00');
/** The explanation in words, addresses as they are (the screen puts contact names in). */
const words = (explanation: Reason) => wordReason(explanation, (address) => address);

function ask(watcher: string, overrides: Partial<WatcherQuery> = {}) {
  const answer = whatDoesWatcherSee({
    watcher,
    watchers,
    contacts,
    groups,
    policy: { schedule: workHours(), profiles },
    now: mondayTen,
    ...overrides,
  });
  // Every answer fits the contract's schema as it stands.
  expect(WatcherViewAnswer.parse(answer)).toEqual(answer);
  return answer;
}

describe('whatDoesWatcherSee: Mon-Fri 09:00-17:00, busy to Friends, online to Co-workers', () => {
  it('two watchers in different groups see different states at the same moment', () => {
    const fred = ask('sip:fred@example.org');
    expect(fred).toMatchObject({ source: 'profile', group: 'friends', profileId: 'work' });
    expect(fred.view).toEqual({ availability: 'busy', note: 'At work', activities: [] });
    expect(fred.explanation).toEqual({
      code: 'view.group',
      params: {
        group: 'Friends',
        profile: 'Work hours',
        availability: 'busy',
        note: 'At work',
        until: at('2025-06-02T17:00+02:00'),
        at: mondayTen,
        timeZone: 'Europe/Berlin',
      },
    });
    expect(words(fred.explanation)).toBe('Friends see Busy (“At work”) — profile Work hours, until 17:00 (Europe/Berlin)');
    const carla = ask('sip:carla@example.org');
    expect(carla.view.availability).toBe('online');
    expect(carla.explanation).toMatchObject({
      code: 'view.group',
      params: { group: 'Co-workers', profile: 'Work hours', availability: 'online' },
    });
    expect(words(carla.explanation)).toBe('Co-workers see Available — profile Work hours, until 17:00 (Europe/Berlin)');
  });

  it('after 17:00 everyone sees the default profile, until Monday on a Friday', () => {
    const friday = ask('sip:fred@example.org', { now: at('2025-06-06T17:00+02:00') });
    expect(friday).toMatchObject({ source: 'profile', group: EVERYONE_ELSE, profileId: 'default' });
    expect(friday.explanation).toMatchObject({
      code: 'view.everyone',
      params: { profile: 'Default', availability: 'online', until: at('2025-06-09T09:00+02:00') },
    });
    expect(words(friday.explanation)).toBe('Everyone else sees Available — profile Default, until Mon 09:00 (Europe/Berlin)');
  });

  it('a contact in two groups gets the group first in the group list', () => {
    expect(ask('sip:bea@example.org')).toMatchObject({ group: 'friends', view: { availability: 'busy' } });
  });

  it('an allowed watcher in no named group sees what everyone else sees', () => {
    expect(ask('sip:stranger@example.net')).toMatchObject({ group: EVERYONE_ELSE, view: { availability: 'away' } });
    expect(ask('sip:fay@example.org').group).toBe(EVERYONE_ELSE);
  });

  it('matches addresses normalised (the user part keeps its case, as in SIP)', () => {
    expect(ask('<sip:fred@EXAMPLE.org:5060;transport=tcp>')).toMatchObject({ watcher: 'sip:fred@example.org', group: 'friends' });
    expect(ask('sip:Fred@example.org')).toMatchObject({ watcher: 'sip:Fred@example.org', source: 'pending' });
    expect(ask('sips:fred@Example.org')).toMatchObject({ watcher: 'sip:fred@example.org', group: 'friends' });
  });

  it('a manual status shows to every allowed watcher, with until when', () => {
    const manual = { view: PresenceView.parse({ availability: 'away', note: 'Lunch' }), until: 'next-boundary' as const, setAt: mondayTen };
    const answer = ask('sip:carla@example.org', { policy: { schedule: workHours(), profiles, manual } });
    expect(answer).toMatchObject({ source: 'manual', view: manual.view });
    expect(answer.group).toBeUndefined();
    expect(answer.explanation).toEqual({
      code: 'view.manual',
      params: { availability: 'away', note: 'Lunch', until: at('2025-06-02T17:00+02:00'), at: mondayTen, timeZone: 'Europe/Berlin' },
    });
    expect(words(answer.explanation)).toBe('Everyone you allow sees Away (“Lunch”) — set by hand, until 17:00 (Europe/Berlin)');
    const held = ask('sip:carla@example.org', { policy: { schedule: workHours(), profiles, manual: { ...manual, until: 'cleared' } } });
    expect(held.explanation).toEqual({ code: 'view.manual-until-cleared', params: { availability: 'away', note: 'Lunch' } });
    expect(words(held.explanation)).toMatch(/set by hand, until you clear it$/);
  });
});

describe('pending and blocked watchers', () => {
  // What an allowed watcher gets when the user really is offline (appear offline, no note), as the
  // stored settings hold it (parsed by the schema).
  const reallyOffline = ask('sip:carla@example.org', {
    policy: {
      schedule: workHours(),
      profiles,
      manual: { view: PresenceView.parse({ availability: 'offline' }), until: 'cleared', setAt: 0 },
    },
  });

  it('a blocked watcher sees exactly what a real offline looks like', () => {
    const bob = ask('sip:bob@example.net');
    expect(bob.source).toBe('blocked');
    expect(JSON.stringify(bob.view)).toBe(JSON.stringify(reallyOffline.view));
    expect(bob.explanation).toEqual({ code: 'view.blocked', params: { watcher: 'sip:bob@example.net', availability: 'offline' } });
    expect(words(bob.explanation)).toBe('sip:bob@example.net is blocked, so they see Offline, exactly as if you were offline');
  });

  it('a pending watcher, or one never seen, gets no real state', () => {
    for (const aor of ['sip:pat@example.net', 'sip:nobody@example.net']) {
      const answer = ask(aor);
      expect(answer.source).toBe('pending');
      expect(JSON.stringify(answer.view)).toBe(JSON.stringify(reallyOffline.view));
      expect(answer.profileId).toBeUndefined();
      expect(answer.group).toBeUndefined();
      expect(answer.explanation).toEqual({ code: 'view.pending', params: { watcher: aor, availability: 'offline' } });
      expect(words(answer.explanation)).toMatch(/waiting for your permission/);
    }
  });

  it('authorization comes before a manual status and before groups', () => {
    const manual = { view: PresenceView.parse({ availability: 'online', note: 'Free!' }), until: 'cleared' as const, setAt: 0 };
    const inFriends = { aor: 'sip:bob@example.net', name: 'Bob', groups: ['friends'] };
    const bob = ask('sip:bob@example.net', { contacts: [...contacts, inFriends], policy: { schedule: workHours(), profiles, manual } });
    expect(bob).toMatchObject({ source: 'blocked', view: { availability: 'offline', activities: [] } });
    expect(bob.view.note).toBeUndefined();
    // The answer names the watcher by address; the screen words it with the contact's name.
    expect(bob.explanation).toMatchObject({ code: 'view.blocked', params: { watcher: 'sip:bob@example.net' } });
    expect(wordReason(bob.explanation, (address) => (address === inFriends.aor ? inFriends.name : address))).toMatch(/^Bob is blocked/);
  });
});

describe('whatDoesGroupSee: the preview of a group, whoever is in it', () => {
  const askGroup = (group: string, now = mondayTen) => {
    const answer = whatDoesGroupSee({ group, groups, policy: { schedule: workHours(), profiles }, now });
    expect(GroupViewAnswer.parse(answer)).toEqual(answer);
    return answer;
  };

  it('answers per group as a member would see it, and for everyone else', () => {
    expect(askGroup('friends')).toMatchObject({
      group: 'friends',
      source: 'profile',
      profileId: 'work',
      view: { availability: 'busy', note: 'At work' },
    });
    expect(askGroup('friends').explanation).toEqual(ask('sip:fred@example.org').explanation);
    expect(askGroup(EVERYONE_ELSE)).toMatchObject({ group: EVERYONE_ELSE, view: { availability: 'away' } });
    expect(askGroup(EVERYONE_ELSE).explanation).toMatchObject({
      code: 'view.everyone',
      params: { profile: 'Work hours', availability: 'away' },
    });
    expect(words(askGroup(EVERYONE_ELSE).explanation)).toMatch(/^Everyone else sees Away — profile Work hours/);
  });

  it('a group the active profile does not name sees what everyone else sees, and says so under its own name', () => {
    const friday = askGroup('friends', at('2025-06-06T17:00+02:00'));
    expect(friday).toMatchObject({ group: 'friends', view: { availability: 'online' } });
    expect(friday.explanation).toMatchObject({
      code: 'view.group-as-everyone',
      params: { group: 'Friends', profile: 'Default', availability: 'online' },
    });
    expect(words(friday.explanation)).toBe('Friends (like everyone else) see Available — profile Default, until Mon 09:00 (Europe/Berlin)');
  });
});
