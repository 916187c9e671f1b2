import { describe, expect, it } from 'vitest';
import { at } from './testing/test-fixtures.js';
import { DAY_MS, InvalidTimeZoneError, instantOfWall, localDay, wallTime, weekdayOf } from '../../../../shared/domain/zone-time.js';

/** Wall value of a local date and time, as the schedule code writes it. */
const wall = (local: string): number => Date.parse(`${local}:00Z`);

describe('wallTime', () => {
  it('reads local time with odd offsets (+05:45, +10:30)', () => {
    expect(wallTime('Asia/Kathmandu', at('2025-06-01T03:15Z'))).toBe(wall('2025-06-01T09:00'));
    expect(wallTime('Australia/Lord_Howe', at('2025-06-01T00:00Z'))).toBe(wall('2025-06-01T10:30'));
  });

  it('keeps milliseconds', () => {
    expect(wallTime('Europe/Berlin', at('2025-01-01T00:00:00.123Z'))).toBe(wall('2025-01-01T01:00') + 123);
  });

  it('names an unknown zone clearly', () => {
    expect(() => wallTime('Mars/Olympus_Mons', 0)).toThrow(InvalidTimeZoneError);
    expect(() => wallTime('Mars/Olympus_Mons', 0)).toThrow(/"Mars\/Olympus_Mons" is not a known IANA time zone/);
  });
});

describe('instantOfWall', () => {
  it('maps ordinary local times by the offset in force', () => {
    expect(instantOfWall('Europe/Berlin', wall('2025-03-29T09:00'))).toBe(at('2025-03-29T09:00+01:00'));
    expect(instantOfWall('Europe/Berlin', wall('2025-03-31T09:00'))).toBe(at('2025-03-31T09:00+02:00'));
    expect(instantOfWall('Asia/Kathmandu', wall('2025-06-01T09:00'))).toBe(at('2025-06-01T09:00+05:45'));
  });

  it('moves a time inside the spring-forward gap to the first instant after the gap', () => {
    // Berlin 2025-03-30: 02:00 CET -> 03:00 CEST.
    expect(instantOfWall('Europe/Berlin', wall('2025-03-30T02:00'))).toBe(at('2025-03-30T03:00+02:00'));
    expect(instantOfWall('Europe/Berlin', wall('2025-03-30T02:30'))).toBe(at('2025-03-30T03:00+02:00'));
    expect(instantOfWall('Europe/Berlin', wall('2025-03-30T03:00'))).toBe(at('2025-03-30T03:00+02:00'));
    // New York 2025-03-09: 02:00 EST -> 03:00 EDT.
    expect(instantOfWall('America/New_York', wall('2025-03-09T02:30'))).toBe(at('2025-03-09T03:00-04:00'));
    expect(instantOfWall('America/New_York', wall('2025-03-09T01:30'))).toBe(at('2025-03-09T01:30-05:00'));
    // Lord Howe 2025-10-05: a 30-minute jump, 02:00 +10:30 -> 02:30 +11:00.
    expect(instantOfWall('Australia/Lord_Howe', wall('2025-10-05T02:15'))).toBe(at('2025-10-05T02:30+11:00'));
  });

  it('takes the first occurrence of a time that happens twice', () => {
    // Berlin 2025-10-26: 03:00 CEST -> 02:00 CET, 02:xx happens twice.
    expect(instantOfWall('Europe/Berlin', wall('2025-10-26T02:30'))).toBe(at('2025-10-26T02:30+02:00'));
    expect(instantOfWall('Europe/Berlin', wall('2025-10-26T03:00'))).toBe(at('2025-10-26T03:00+01:00'));
    // New York 2025-11-02: 02:00 EDT -> 01:00 EST, 01:xx happens twice.
    expect(instantOfWall('America/New_York', wall('2025-11-02T01:30'))).toBe(at('2025-11-02T01:30-04:00'));
    expect(instantOfWall('America/New_York', wall('2025-11-02T02:30'))).toBe(at('2025-11-02T02:30-05:00'));
    // Lord Howe 2025-04-06: 02:00 +11:00 -> 01:30 +10:30, 01:30-01:59 happens twice.
    expect(instantOfWall('Australia/Lord_Howe', wall('2025-04-06T01:45'))).toBe(at('2025-04-06T01:45+11:00'));
  });
});

describe('local days', () => {
  it('counts days and weekdays in the zone, not in UTC', () => {
    // 23:30 UTC on a Sunday is already Monday in Berlin and still Sunday in New York.
    const instant = at('2025-03-30T23:30Z');
    expect(weekdayOf(localDay('Europe/Berlin', instant))).toBe(1);
    expect(weekdayOf(localDay('America/New_York', instant))).toBe(0);
    expect(localDay('Europe/Berlin', instant) * DAY_MS).toBe(wall('2025-03-31T00:00'));
    expect(weekdayOf(0)).toBe(4);
    expect(weekdayOf(-1)).toBe(3);
  });
});
