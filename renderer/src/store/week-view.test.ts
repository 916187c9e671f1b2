import { describe, expect, it } from 'vitest';
import { EVERYONE_ELSE, type Profile, type Schedule } from '../../../shared/ipc.js';
import { clockOf, weekView } from './week-view.js';

const profiles: Profile[] = [
  { id: 'available', name: 'Available', views: { [EVERYONE_ELSE]: { availability: 'online', activities: [] } } },
  {
    id: 'work',
    name: 'Work hours',
    views: {
      friends: { availability: 'busy', note: 'Heads down', activities: [] },
      coworkers: { availability: 'online', activities: [] },
      [EVERYONE_ELSE]: { availability: 'away', activities: [] },
    },
  },
];
const schedule: Schedule = {
  timeZone: 'America/New_York',
  defaultProfileId: 'available',
  rules: [{ id: 'r', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work' }],
};
// A Wednesday afternoon in New York.
const now = Date.parse('2025-06-11T18:00:00Z');

describe('weekView', () => {
  it('shows seven days Monday first with the locale’s day names', () => {
    const week = weekView({ schedule, profiles }, 'friends', now, 'en-US');
    expect(week.map((d) => d.weekday)).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(week[0]!.name).toBe('Monday');
    expect(weekView({ schedule, profiles }, 'friends', now, 'de-DE')[1]!.name).toBe('Dienstag');
  });

  it('cuts each working day in the schedule’s zone, with words for every block', () => {
    const tuesday = weekView({ schedule, profiles }, 'friends', now, 'en-US')[1]!;
    expect(tuesday.blocks.map((b) => [clockOf(b.startMinute), clockOf(b.endMinute), b.availability, b.label])).toEqual([
      ['00:00', '09:00', 'online', 'Available'],
      ['09:00', '17:00', 'busy', 'Busy — Heads down'],
      ['17:00', '24:00', 'online', 'Available'],
    ]);
    expect(tuesday.blocks[1]!.description).toBe('Tuesday 09:00 to 17:00: Busy — Heads down (profile Work hours)');
  });

  it('gives each audience its own view, a group the profile does not name what everyone else sees', () => {
    const at = (audience: string) => weekView({ schedule, profiles }, audience, now, 'en-US')[0]!.blocks[1]!.label;
    expect(at('coworkers')).toBe('Available');
    expect(at(EVERYONE_ELSE)).toBe('Away');
    expect(at('family')).toBe('Away');
    const sunday = weekView({ schedule, profiles }, 'friends', now, 'en-US')[6]!;
    expect(sunday.blocks).toHaveLength(1);
    expect(sunday.blocks[0]).toMatchObject({ startMinute: 0, endMinute: 1440, label: 'Available' });
  });
});
