import { describe, expect, it } from 'vitest';
import type { Schedule } from './presence.js';
import { activeProfileId, profileSpansOfDay } from './schedule.js';
import { localDay } from './zone-time.js';

const work: Schedule = {
  timeZone: 'Europe/Berlin',
  defaultProfileId: 'default',
  rules: [
    { id: 'work', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work' },
    { id: 'late', days: [5], start: '22:00', end: '02:00', profileId: 'late' },
  ],
};
const instant = (iso: string) => Date.parse(iso);

describe('profileSpansOfDay', () => {
  it('cuts a working day at the rule edges, in the zone', () => {
    const tuesday = localDay('Europe/Berlin', instant('2025-06-10T12:00:00Z'));
    expect(profileSpansOfDay(work, tuesday)).toEqual([
      { start: instant('2025-06-09T22:00:00Z'), end: instant('2025-06-10T07:00:00Z'), profileId: 'default' },
      { start: instant('2025-06-10T07:00:00Z'), end: instant('2025-06-10T15:00:00Z'), profileId: 'work' },
      { start: instant('2025-06-10T15:00:00Z'), end: instant('2025-06-10T22:00:00Z'), profileId: 'default' },
    ]);
  });

  it('carries a rule past midnight into the next day, and agrees with activeProfileId inside every span', () => {
    const saturday = localDay('Europe/Berlin', instant('2025-06-14T12:00:00Z'));
    const spans = profileSpansOfDay(work, saturday);
    expect(spans.map((s) => s.profileId)).toEqual(['late', 'default']);
    for (const span of spans) expect(activeProfileId(work, span.start)).toBe(span.profileId);
  });

  it('spans 23 hours on the spring-forward day', () => {
    const day = localDay('Europe/Berlin', instant('2025-03-30T12:00:00Z'));
    const spans = profileSpansOfDay(work, day);
    expect(spans).toHaveLength(1);
    expect(spans[0]!.end - spans[0]!.start).toBe(23 * 3600_000);
  });
});
