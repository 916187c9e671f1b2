import { describe, expect, it } from 'vitest';
import { activeOccurrence, activeProfileId, activeRule, nextBoundary } from '../../../../shared/domain/schedule.js';
import { MON_FRI, at, rule, schedule, workHours } from './testing/test-fixtures.js';
import { InvalidTimeZoneError } from '../../../../shared/domain/zone-time.js';

const SUN = [0];

describe('Mon-Fri 09:00-17:00 in Europe/Berlin', () => {
  const berlin = workHours('Europe/Berlin');

  it('switches at exactly 09:00 and 17:00 local time', () => {
    const nine = at('2025-06-02T09:00+02:00'); // a Monday
    const five = at('2025-06-02T17:00+02:00');
    expect(activeProfileId(berlin, nine - 1)).toBe('default');
    expect(activeProfileId(berlin, nine)).toBe('work');
    expect(activeProfileId(berlin, five - 1)).toBe('work');
    expect(activeProfileId(berlin, five)).toBe('default');
    expect(nextBoundary(berlin, nine - 60_000)).toBe(nine);
    expect(nextBoundary(berlin, nine)).toBe(five);
    expect(nextBoundary(berlin, five)).toBe(at('2025-06-03T09:00+02:00'));
  });

  it('skips the weekend, using the local weekday', () => {
    const fridayEvening = at('2025-06-06T17:00+02:00');
    expect(nextBoundary(berlin, fridayEvening)).toBe(at('2025-06-09T09:00+02:00'));
    expect(activeRule(berlin, at('2025-06-07T10:00+02:00'))).toBeUndefined();
    // 07:30 UTC on Monday is 09:30 in Berlin: work; on Sunday 23:30 UTC it is Monday 01:30 local: not yet.
    expect(activeProfileId(berlin, at('2025-06-09T07:30Z'))).toBe('work');
  });

  it('stays 09:00-17:00 local on the days around the March change', () => {
    expect(nextBoundary(berlin, at('2025-03-28T12:00+01:00'))).toBe(at('2025-03-28T17:00+01:00'));
    expect(nextBoundary(berlin, at('2025-03-28T17:00+01:00'))).toBe(at('2025-03-31T09:00+02:00'));
    expect(nextBoundary(berlin, at('2025-03-31T09:00+02:00'))).toBe(at('2025-03-31T17:00+02:00'));
    expect(activeProfileId(berlin, at('2025-03-31T08:30+02:00'))).toBe('default');
  });

  it('stays 09:00-17:00 local on the days around the October change', () => {
    expect(nextBoundary(berlin, at('2025-10-24T17:00+02:00'))).toBe(at('2025-10-27T09:00+01:00'));
    expect(nextBoundary(berlin, at('2025-10-27T09:00+01:00'))).toBe(at('2025-10-27T17:00+01:00'));
    expect(activeProfileId(berlin, at('2025-10-27T16:30+01:00'))).toBe('work');
  });
});

describe('rules at 01:30, 02:30 and 03:00 on DST nights', () => {
  it('Berlin spring forward: 02:30 does not exist, so it fires at 03:00 CEST', () => {
    const s = schedule('Europe/Berlin', [rule('night', SUN, '02:30', '04:00', 'work')]);
    expect(nextBoundary(s, at('2025-03-29T12:00+01:00'))).toBe(at('2025-03-30T03:00+02:00'));
    expect(nextBoundary(s, at('2025-03-30T03:00+02:00'))).toBe(at('2025-03-30T04:00+02:00'));
    expect(activeProfileId(s, at('2025-03-30T01:59+01:00'))).toBe('default');
  });

  it('Berlin spring forward: 01:30-03:00 lasts the half hour of real time there is', () => {
    const s = schedule('Europe/Berlin', [rule('night', SUN, '01:30', '03:00', 'work')]);
    const occurrence = activeOccurrence(s, at('2025-03-30T01:45+01:00'));
    expect(occurrence?.start).toBe(at('2025-03-30T01:30+01:00'));
    expect(occurrence?.end).toBe(at('2025-03-30T03:00+02:00'));
    expect(occurrence!.end - occurrence!.start).toBe(30 * 60_000);
  });

  it('Berlin fall back: 02:30 happens twice and the boundary fires once, at the first', () => {
    const s = schedule('Europe/Berlin', [rule('night', SUN, '02:30', '03:00', 'work')]);
    const first = at('2025-10-26T02:30+02:00');
    const second = at('2025-10-26T02:30+01:00');
    expect(nextBoundary(s, at('2025-10-25T12:00+02:00'))).toBe(first);
    // From the first 02:30 the next change is 03:00 CET: the second 02:30 is no boundary.
    expect(nextBoundary(s, first)).toBe(at('2025-10-26T03:00+01:00'));
    expect(activeProfileId(s, second)).toBe('work');
    expect(activeProfileId(s, at('2025-10-26T03:00+01:00'))).toBe('default');
  });

  it('Berlin fall back: 01:30-02:30 ends at the first 02:30', () => {
    const s = schedule('Europe/Berlin', [rule('night', SUN, '01:30', '02:30', 'work')]);
    expect(nextBoundary(s, at('2025-10-26T01:30+02:00'))).toBe(at('2025-10-26T02:30+02:00'));
    expect(activeProfileId(s, at('2025-10-26T02:10+01:00'))).toBe('default');
  });

  it('New York spring forward: a rule wholly inside the gap does not happen that day', () => {
    const s = schedule('America/New_York', [rule('gap', SUN, '02:15', '02:45', 'work')]);
    expect(nextBoundary(s, at('2025-03-08T12:00-05:00'))).toBe(at('2025-03-16T02:15-04:00'));
  });

  it('New York spring forward: 01:30-03:00 and a 03:00 start', () => {
    const s = schedule('America/New_York', [rule('early', SUN, '01:30', '03:00', 'work'), rule('three', SUN, '03:00', '04:00', 'late')]);
    expect(nextBoundary(s, at('2025-03-09T00:00-05:00'))).toBe(at('2025-03-09T01:30-05:00'));
    expect(nextBoundary(s, at('2025-03-09T01:30-05:00'))).toBe(at('2025-03-09T03:00-04:00'));
    expect(activeProfileId(s, at('2025-03-09T03:00-04:00'))).toBe('late');
  });

  it('New York fall back: 01:30-02:30 starts at the first 01:30 and spans both', () => {
    const s = schedule('America/New_York', [rule('night', SUN, '01:30', '02:30', 'work')]);
    const first = at('2025-11-02T01:30-04:00');
    expect(nextBoundary(s, at('2025-11-01T12:00-04:00'))).toBe(first);
    expect(activeProfileId(s, at('2025-11-02T01:30-05:00'))).toBe('work');
    expect(nextBoundary(s, first)).toBe(at('2025-11-02T02:30-05:00'));
  });
});

describe('odd offsets', () => {
  it('Lord Howe: a 30-minute gap moves 02:15 to 02:30 and drops a rule inside it', () => {
    const s = schedule('Australia/Lord_Howe', [
      rule('inside', SUN, '02:00', '02:15', 'late'),
      rule('after', SUN, '02:15', '03:00', 'work'),
    ]);
    expect(nextBoundary(s, at('2025-10-04T12:00+10:30'))).toBe(at('2025-10-05T02:30+11:00'));
    expect(nextBoundary(s, at('2025-10-05T02:30+11:00'))).toBe(at('2025-10-05T03:00+11:00'));
  });

  it('Lord Howe: a 30-minute fall back starts a 01:45 rule at its first occurrence', () => {
    const s = schedule('Australia/Lord_Howe', [rule('night', SUN, '01:45', '09:00', 'work')]);
    expect(nextBoundary(s, at('2025-04-05T12:00+11:00'))).toBe(at('2025-04-06T01:45+11:00'));
  });

  it('Kathmandu (+05:45): Mon-Fri 09:00-17:00', () => {
    const s = workHours('Asia/Kathmandu');
    expect(nextBoundary(s, at('2025-06-02T03:00Z'))).toBe(at('2025-06-02T03:15Z'));
    expect(nextBoundary(s, at('2025-06-02T03:15Z'))).toBe(at('2025-06-02T11:15Z'));
  });
});

describe('past midnight', () => {
  const s = schedule('Europe/Berlin', [rule('late', [5], '22:00', '06:00', 'work')]); // Friday only

  it('belongs to the day it starts on and ends the next morning', () => {
    expect(activeProfileId(s, at('2025-06-06T21:59+02:00'))).toBe('default');
    expect(activeProfileId(s, at('2025-06-07T05:59+02:00'))).toBe('work');
    expect(nextBoundary(s, at('2025-06-06T23:00+02:00'))).toBe(at('2025-06-07T06:00+02:00'));
    // Saturday night is not listed.
    expect(nextBoundary(s, at('2025-06-07T06:00+02:00'))).toBe(at('2025-06-13T22:00+02:00'));
  });

  it('runs across the spring-forward night, ending after the gap', () => {
    const sat = schedule('Europe/Berlin', [rule('late', [6], '22:00', '02:30', 'work')]);
    expect(nextBoundary(sat, at('2025-03-29T22:00+01:00'))).toBe(at('2025-03-30T03:00+02:00'));
  });

  it('start == end is a full day (25 hours of real time across fall back)', () => {
    const day = schedule('Europe/Berlin', [rule('day', SUN, '00:00', '00:00', 'work')]);
    const occurrence = activeOccurrence(day, at('2025-10-26T12:00+01:00'));
    expect(occurrence!.end - occurrence!.start).toBe(25 * 3_600_000);
  });
});

describe('overlapping rules', () => {
  const s = schedule('Europe/Berlin', [
    rule('work', MON_FRI, '09:00', '17:00', 'work'),
    rule('lunch', MON_FRI, '12:00', '13:00', 'lunch'),
    rule('late', MON_FRI, '16:00', '18:00', 'late'),
    rule('also-nine', MON_FRI, '09:00', '10:00', 'other'),
  ]);
  const monday = (hhmm: string): number => at(`2025-06-02T${hhmm}+02:00`);

  it('the rule that started most recently wins, and the one beneath resumes after it', () => {
    expect(activeRule(s, monday('12:30'))?.id).toBe('lunch');
    expect(activeRule(s, monday('13:00'))?.id).toBe('work');
    expect(activeRule(s, monday('16:30'))?.id).toBe('late');
    expect(activeRule(s, monday('17:30'))?.id).toBe('late');
    expect(nextBoundary(s, monday('11:00'))).toBe(monday('12:00'));
    expect(nextBoundary(s, monday('12:00'))).toBe(monday('13:00'));
    expect(nextBoundary(s, monday('13:00'))).toBe(monday('16:00'));
    expect(nextBoundary(s, monday('16:00'))).toBe(monday('18:00'));
  });

  it('equal starts go to the rule earlier in the list', () => {
    expect(activeRule(s, monday('09:30'))?.id).toBe('work');
    const swapped = schedule('Europe/Berlin', [...s.rules].reverse());
    expect(activeRule(swapped, monday('09:30'))?.id).toBe('also-nine');
    expect(nextBoundary(swapped, monday('09:00'))).toBe(monday('10:00'));
  });
});

describe('boundaries are changes of profile', () => {
  it('one rule handing over to another of the same profile is no boundary', () => {
    const s = schedule('Europe/Berlin', [
      rule('morning', MON_FRI, '09:00', '12:00', 'work'),
      rule('afternoon', MON_FRI, '12:00', '17:00', 'work'),
    ]);
    expect(nextBoundary(s, at('2025-06-02T10:00+02:00'))).toBe(at('2025-06-02T17:00+02:00'));
  });

  it('is undefined when the profile never changes', () => {
    expect(nextBoundary(schedule('Europe/Berlin', []), 0)).toBeUndefined();
    expect(nextBoundary(schedule('Europe/Berlin', [rule('x', MON_FRI, '09:00', '17:00', 'default')]), 0)).toBeUndefined();
    const always = schedule('Europe/Berlin', [rule('all', [0, 1, 2, 3, 4, 5, 6], '00:00', '00:00', 'work')]);
    expect(activeProfileId(always, at('2025-10-26T02:30+01:00'))).toBe('work');
    expect(nextBoundary(always, at('2025-01-01T00:00Z'))).toBeUndefined();
    // Covered day after day by rules of one profile that overlap across local midnight: each
    // window of days must see the rules begun on the days before it.
    const ALL = [0, 1, 2, 3, 4, 5, 6];
    const overlapping = schedule('Europe/Berlin', [
      rule('noon-to-noon', ALL, '12:00', '12:00', 'work'),
      rule('short', ALL, '00:30', '01:00', 'work'),
    ]);
    expect(nextBoundary(overlapping, at('2025-03-20T13:00+01:00'))).toBeUndefined();
  });
});

it('an invalid time zone is a clear error', () => {
  const bad = { ...workHours(), timeZone: 'Europe/Atlantis' };
  expect(() => activeRule(bad, 0)).toThrow(InvalidTimeZoneError);
  expect(() => nextBoundary(bad, 0)).toThrow(/Europe\/Atlantis/);
});
