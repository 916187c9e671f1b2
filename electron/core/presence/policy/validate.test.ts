import { describe, expect, it } from 'vitest';
import { EVERYONE_ELSE, Schedule, type Profile } from '../../../../shared/domain/presence.js';
import { timeZoneProblem, validatePolicy } from './validate.js';
import { MON_FRI, contacts, groups, profiles, rule, schedule, workHours } from './testing/test-fixtures.js';
import { describeDays } from './wording.js';

describe('validatePolicy', () => {
  it('passes the work-hours example', () => {
    expect(validatePolicy({ schedule: workHours(), profiles, groups, contacts })).toEqual({ errors: [], warnings: [] });
  });

  it('rejects an unknown time zone, here and in the schema', () => {
    const bad = { ...workHours(), timeZone: 'Europe/Atlantis' };
    expect(validatePolicy({ schedule: bad, profiles, groups }).errors).toEqual([
      'The schedule\'s time zone "Europe/Atlantis" is not a known IANA time zone (for example "Europe/Berlin").',
    ]);
    expect(timeZoneProblem('Asia/Kathmandu')).toBeUndefined();
    expect(Schedule.safeParse(bad).success).toBe(false);
  });

  it('names rules and defaults that use missing profiles', () => {
    const s = schedule('Europe/Berlin', [rule('r1', MON_FRI, '09:00', '17:00', 'gym')], 'nothing');
    expect(validatePolicy({ schedule: s, profiles, groups }).errors).toEqual([
      'The schedule\'s default profile "nothing" does not exist.',
      'Schedule rule Mon-Fri 09:00-17:00 uses profile "gym", which does not exist.',
    ]);
  });

  it('insists on a view for everyone else (for data that skipped the schema)', () => {
    const partial: Profile = { id: 'p', name: 'Partial', views: { friends: { availability: 'busy', activities: [] } } };
    expect(validatePolicy({ schedule: workHours(), profiles: [...profiles, partial], groups }).errors).toEqual([
      'Profile "Partial" does not say what everyone else sees.',
    ]);
  });

  it('warns about (and ignores) references to groups that do not exist', () => {
    const stray: Profile = {
      id: 'stray',
      name: 'Stray',
      views: { gone: { availability: 'busy', activities: [] }, [EVERYONE_ELSE]: { availability: 'online', activities: [] } },
    };
    const result = validatePolicy({
      schedule: workHours(),
      profiles: [...profiles, stray],
      groups,
      contacts: [{ aor: 'sip:zed@example.org', name: 'Zed', groups: ['old-group'] }],
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      'Profile "Stray" sets a view for group "gone", which does not exist; it is ignored.',
      'Zed is in group "old-group", which does not exist; it is ignored.',
    ]);
  });

  it('reports ids used twice', () => {
    const s = schedule('UTC', [rule('r', [1], '09:00', '10:00', 'work'), rule('r', [2], '09:00', '10:00', 'work')]);
    const result = validatePolicy({ schedule: s, profiles: [...profiles, profiles[0]!], groups: [...groups, groups[0]!] });
    expect(result.errors).toEqual([
      'Two profiles share the id "default".',
      'Two groups share the id "friends".',
      'Two schedule rules share the id "r".',
    ]);
  });
});

describe('describeDays', () => {
  it('writes runs of days the way people do', () => {
    expect(describeDays(MON_FRI)).toBe('Mon-Fri');
    expect(describeDays([0, 6])).toBe('Sat, Sun');
    expect(describeDays([1, 3, 4, 5])).toBe('Mon, Wed-Fri');
    expect(describeDays([0, 1, 2, 3, 4, 5, 6])).toBe('Mon-Sun');
  });
});
