import { describe, expect, it } from 'vitest';
import { EVERYONE_ELSE, Profile } from '../../../../shared/domain/presence.js';
import { audienceOf, audienceViews, groupPrecedence, sameView, viewsChanged, watcherViewChanged } from './audience.js';
import { effectiveStatus } from './effective-status.js';
import { at, contacts, groups, profiles, schedule, workHours } from './testing/test-fixtures.js';

const policy = { schedule: workHours(), profiles };
const working = audienceViews(effectiveStatus(policy, at('2025-06-02T10:00+02:00')));
const evening = audienceViews(effectiveStatus(policy, at('2025-06-02T18:00+02:00')));
const contact = (name: string) => contacts.find((c) => c.name === name);

describe('groupPrecedence', () => {
  it("orders a contact's groups by the group list and drops unknown ones", () => {
    expect(groupPrecedence(contact('Bea'), groups)).toEqual(['friends', 'coworkers']);
    expect(groupPrecedence({ aor: 'sip:x@y', groups: ['nope', 'family'] }, groups)).toEqual(['family']);
    expect(groupPrecedence(undefined, groups)).toEqual([]);
  });
});

describe('audienceOf', () => {
  it('gives the first named group its view, else everyone else', () => {
    expect(audienceOf(working, ['friends'])).toEqual({ group: 'friends', view: { availability: 'busy', note: 'At work', activities: [] } });
    expect(audienceOf(working, ['coworkers']).view.availability).toBe('online');
    expect(audienceOf(working, ['friends', 'coworkers']).group).toBe('friends');
    // Family is not named by the work profile.
    expect(audienceOf(working, ['family'])).toEqual({ group: EVERYONE_ELSE, view: { availability: 'away', activities: [] } });
    expect(audienceOf(evening, ['friends']).group).toBe(EVERYONE_ELSE);
  });

  it('a manual status overrides every group', () => {
    const manual = { view: { availability: 'busy' as const, activities: ['meeting'] }, until: 'cleared' as const, setAt: 0 };
    const views = audienceViews(effectiveStatus({ ...policy, manual }, at('2025-06-02T10:00+02:00')));
    expect(views.source).toBe('manual');
    for (const precedence of [['friends'], ['coworkers'], []]) {
      expect(audienceOf(views, precedence)).toEqual({ group: undefined, view: manual.view });
    }
  });
});

describe('diffs', () => {
  it('sameView compares what goes on the wire', () => {
    expect(sameView({ availability: 'busy', activities: ['meeting'] }, { availability: 'busy', activities: ['meeting'] })).toBe(true);
    expect(sameView({ availability: 'busy', activities: [] }, { availability: 'busy', note: 'x', activities: [] })).toBe(false);
    expect(sameView({ availability: 'busy', activities: ['a', 'b'] }, { availability: 'busy', activities: ['b', 'a'] })).toBe(false);
  });

  it('at 17:00 Friends and everyone else change, a group that stays the same does not', () => {
    // Work: friends busy, coworkers online, * away. Evening (default): * online.
    expect(viewsChanged(working, evening)).toEqual(new Set(['friends', EVERYONE_ELSE]));
    expect(viewsChanged(working, working)).toEqual(new Set());
  });

  it('per watcher: a contact in two groups changes only if its deciding group does', () => {
    const onlyFamily = Profile.parse({
      id: 'family-only',
      name: 'Family',
      views: {
        family: { availability: 'busy' },
        friends: { availability: 'busy', note: 'At work' },
        [EVERYONE_ELSE]: { availability: 'away' },
      },
    });
    const other = audienceViews(effectiveStatus({ schedule: schedule('Europe/Berlin', [], 'family-only'), profiles: [onlyFamily] }, 0));
    const friendsAndFamily = ['friends', 'family'];
    // Family's view changed (away -> busy), but Friends decides for this contact and stayed the same.
    expect(other.profileId).toBe('family-only');
    expect(viewsChanged(working, other)).toEqual(new Set(['family', 'coworkers']));
    expect(watcherViewChanged(working, other, friendsAndFamily)).toBe(false);
    expect(watcherViewChanged(working, other, ['family'])).toBe(true);
    expect(watcherViewChanged(working, other, ['coworkers'])).toBe(true);
  });
});
