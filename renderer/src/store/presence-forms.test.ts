import { describe, expect, it } from 'vitest';
import { Profile, Schedule } from '../../../shared/ipc.js';
import { testPresence } from '../testing/presence.js';
import {
  buildContact,
  draftFromProfile,
  manualView,
  newProfileDraft,
  newRule,
  profileFromDraft,
  removeRule,
  toggleDay,
  uniqueId,
  updateRule,
  groupChoice,
  NEW_GROUP,
} from './presence-forms.js';

const { groups, profiles, schedule } = testPresence();

describe('uniqueId', () => {
  it('makes an id from a name, numbered when taken, with a fallback for names without letters', () => {
    expect(uniqueId('Work hours', [])).toBe('work-hours');
    expect(uniqueId('Work hours', ['work-hours', 'work-hours-2'])).toBe('work-hours-3');
    expect(uniqueId('  ✨ ', [], 'group')).toBe('group');
  });
});

describe('profile drafts', () => {
  it('round-trips a profile: groups without a view of their own stay "same as everyone else"', () => {
    const work = profiles[1]!;
    const draft = draftFromProfile(work, groups);
    expect(draft.groups).toEqual({ friends: { availability: 'busy', note: '', activities: [] }, work: null });
    expect(draft.everyone).toEqual({ availability: 'away', note: 'Working', activities: [] });
    expect(profileFromDraft(draft, work)).toEqual(work);
  });

  it('sets and clears a group view, trims notes, and keeps views of groups the editor does not show', () => {
    const stored = { ...profiles[1]!, views: { ...profiles[1]!.views, gone: { availability: 'offline' as const, activities: [] } } };
    const draft = draftFromProfile(stored, groups);
    const edited = {
      ...draft,
      name: ' Office ',
      groups: { friends: null, work: { availability: 'online' as const, note: '  At my desk ', activities: [] } },
    };
    const profile = profileFromDraft(edited, stored);
    expect(profile.name).toBe('Office');
    expect(profile.views).toEqual({
      '*': { availability: 'away', note: 'Working', activities: [] },
      work: { availability: 'online', note: 'At my desk', activities: [] },
      gone: { availability: 'offline', activities: [] },
    });
    expect(Profile.safeParse(profile).success).toBe(true);
  });

  it('starts a new profile with a fresh id that the contract accepts', () => {
    const draft = newProfileDraft('Available', profiles, groups);
    expect(draft.id).toBe('available-2');
    expect(Profile.safeParse(profileFromDraft(draft)).success).toBe(true);
  });

  it('a status set by hand drops an empty note', () => {
    expect(manualView('busy', '  ')).toEqual({ availability: 'busy', activities: [] });
    expect(manualView('away', ' lunch ')).toEqual({ availability: 'away', note: 'lunch', activities: [] });
  });
});

describe('schedule edits', () => {
  it('adds office hours, edits and removes rules, and the result is a valid Schedule', () => {
    const rule = newRule('work-hours', schedule.rules);
    let edited = { ...schedule, rules: [rule, newRule('available', [rule])] };
    expect(edited.rules.map((r) => r.id)).toEqual(['rule', 'rule-2']);
    edited = updateRule(edited, 'rule', { days: toggleDay(toggleDay(rule.days, 6), 1), end: '18:30' });
    expect(edited.rules[0]).toMatchObject({ days: [2, 3, 4, 5, 6], start: '09:00', end: '18:30', profileId: 'work-hours' });
    edited = removeRule(edited, 'rule-2');
    expect(edited.rules).toHaveLength(1);
    expect(Schedule.safeParse(edited).success).toBe(true);
  });
});

describe('buildContact', () => {
  it('completes the address as "Chat with…" does and drops an empty name', () => {
    expect(buildContact({ address: 'bob', name: ' ', groups: ['friends', 'friends'] }, 'sip:alice@example.org', undefined)).toEqual({
      ok: true,
      contact: { aor: 'sip:bob@example.org', groups: ['friends'] },
    });
  });

  it('keeps the stored address of an existing contact, and refuses what is not an address', () => {
    const existing = { aor: 'sip:bob@example.org', groups: [] };
    expect(buildContact({ address: 'sip:bob@EXAMPLE.org', name: 'Bob', groups: [] }, null, existing)).toMatchObject({
      ok: true,
      contact: { aor: 'sip:bob@example.org', name: 'Bob' },
    });
    expect(buildContact({ address: 'not an address', name: '', groups: [] }, null, undefined)).toMatchObject({ ok: false });
  });
});

describe('groupChoice', () => {
  const groups = [{ id: 'friends', name: 'Friends' }];
  it('takes an existing group, or none', () => {
    expect(groupChoice('friends', '', groups)).toEqual({ ok: true, groupId: 'friends' });
    expect(groupChoice('', 'ignored', groups)).toEqual({ ok: true });
  });

  it('creates a new group with a fresh id, reuses one of the same name, and wants a name', () => {
    expect(groupChoice(NEW_GROUP, ' Book club ', groups)).toEqual({
      ok: true,
      groupId: 'book-club',
      create: { id: 'book-club', name: 'Book club' },
    });
    expect(groupChoice(NEW_GROUP, 'friends', groups)).toEqual({ ok: true, groupId: 'friends' });
    expect(groupChoice(NEW_GROUP, '  ', groups)).toMatchObject({ ok: false });
  });
});
