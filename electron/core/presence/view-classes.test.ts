import { describe, expect, it } from 'vitest';
import { audienceViews, effectiveStatus } from './policy/index.js';
import { classViews, contactClasses, sharedClass, viewClass } from './view-classes.js';

const groups = [
  { id: 'friends', name: 'Friends' },
  { id: 'coworkers', name: 'Co-workers' },
];
const profile = {
  id: 'work',
  name: 'Work',
  views: {
    friends: { availability: 'busy' as const, activities: [] },
    coworkers: { availability: 'online' as const, activities: [] },
    '*': { availability: 'away' as const, activities: [] },
  },
};

describe('view classes', () => {
  it('one opaque class per audience, the same for the same key, another under another key', () => {
    const names = [viewClass('k', []), viewClass('k', ['friends']), viewClass('k', ['friends', 'coworkers']), sharedClass('k')];
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(name).toMatch(/^v[A-Za-z0-9_-]{16}$/);
    expect(viewClass('k', ['friends'])).toBe(viewClass('k', ['friends']));
    expect(viewClass('other', ['friends'])).not.toBe(viewClass('k', ['friends']));
  });

  it("a contact's class follows its groups in the group list's order; each class carries its audience's view", () => {
    const contacts = [
      { aor: 'sip:bob@x', groups: ['friends'] },
      { aor: 'sip:carol@x', groups: ['coworkers', 'friends'] },
      { aor: 'sip:dave@x', groups: [] },
    ];
    const classes = contactClasses('k', contacts, groups);
    expect(classes).toEqual({
      'sip:bob@x': viewClass('k', ['friends']),
      'sip:carol@x': viewClass('k', ['friends', 'coworkers']),
      'sip:dave@x': viewClass('k', []),
    });
    const status = effectiveStatus(
      { profiles: [profile], schedule: { timeZone: 'UTC', rules: [], defaultProfileId: 'work' }, manual: undefined },
      0,
    );
    const views = classViews('k', audienceViews(status), contacts, groups);
    expect(views.map((v) => [v.cls, v.view.availability])).toEqual([
      [viewClass('k', []), 'away'],
      [viewClass('k', ['friends']), 'busy'],
      [viewClass('k', ['friends', 'coworkers']), 'busy'],
    ]);
  });
});
