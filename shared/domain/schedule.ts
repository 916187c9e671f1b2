/**
 * Weekly schedules evaluated in the schedule's own time zone (docs/DESIGN.md#views-per-group).
 *
 * Semantics, in local time of `schedule.timeZone`:
 *   - A rule occurs on each local weekday it lists, from `start` that day to `end` the same day, or
 *     to `end` the next day when end <= start (a rule past midnight belongs to the day it starts
 *     on; start == end is a full 24 hours).
 *   - DST: a start or end at a local time that happens twice (fall-back) is at its first
 *     occurrence; one that does not exist (spring-forward gap) is at the first instant after the
 *     gap. An occurrence whose start and end land on the same instant (e.g. 02:00-02:30 inside a
 *     gap) does not happen that day.
 *   - Overlaps: among the occurrences in force, the one that started most recently wins (a short
 *     "lunch" rule inside "work hours" takes over, and work hours resume after it); equal starts
 *     go to the rule earlier in `schedule.rules`.
 *   - No rule in force: `schedule.defaultProfileId`.
 *   - A boundary is an instant at which the active profile changes; a rule handing over to another
 *     rule of the same profile is not a boundary.
 */
import type { Schedule, WeeklyRule } from './presence.js';
import { DAY_MS, MINUTE_MS, instantOfWall, localDay, minutesOfDay, weekdayOf } from './zone-time.js';

/** One occurrence of a rule, as instants: [start, end). */
export interface RuleOccurrence {
  rule: WeeklyRule;
  /** Position in schedule.rules (breaks ties between equal starts). */
  index: number;
  start: number;
  end: number;
}

/** Every occurrence of the schedule's rules that starts on local days [fromDay, toDay). */
export function occurrences(schedule: Schedule, fromDay: number, toDay: number): RuleOccurrence[] {
  const instants = new Map<number, number>();
  const instant = (wall: number): number => {
    let at = instants.get(wall);
    if (at === undefined) {
      at = instantOfWall(schedule.timeZone, wall);
      instants.set(wall, at);
    }
    return at;
  };
  const found: RuleOccurrence[] = [];
  for (let day = fromDay; day < toDay; day++) {
    const weekday = weekdayOf(day);
    schedule.rules.forEach((rule, index) => {
      if (!rule.days.includes(weekday)) return;
      const startMinute = minutesOfDay(rule.start);
      const endMinute = minutesOfDay(rule.end);
      const endDay = endMinute <= startMinute ? day + 1 : day;
      const start = instant(day * DAY_MS + startMinute * MINUTE_MS);
      const end = instant(endDay * DAY_MS + endMinute * MINUTE_MS);
      if (end > start) found.push({ rule, index, start, end });
    });
  }
  return found;
}

/** The occurrence in force at `at` by the precedence above, or undefined. */
export function winningOccurrence(found: readonly RuleOccurrence[], at: number): RuleOccurrence | undefined {
  let best: RuleOccurrence | undefined;
  for (const occurrence of found) {
    if (occurrence.start > at || at >= occurrence.end) continue;
    if (!best || occurrence.start > best.start || (occurrence.start === best.start && occurrence.index < best.index)) {
      best = occurrence;
    }
  }
  return best;
}

// A rule lasts at most 24 h of local time (25 h of real time across fall-back), so anything in
// force on a local day started that day or the day before; one more day is margin.
const LOOKBACK_DAYS = 2;

/** The occurrence in force at `now` (the rule and its start and end instants), or undefined. */
export function activeOccurrence(schedule: Schedule, now: number): RuleOccurrence | undefined {
  const today = localDay(schedule.timeZone, now);
  return winningOccurrence(occurrences(schedule, today - LOOKBACK_DAYS, today + 1), now);
}

/** The rule in force at `now`, or undefined when the default profile applies. */
export function activeRule(schedule: Schedule, now: number): WeeklyRule | undefined {
  return activeOccurrence(schedule, now)?.rule;
}

/** The id of the profile the schedule makes active at `now`. */
export function activeProfileId(schedule: Schedule, now: number): string {
  return activeRule(schedule, now)?.profileId ?? schedule.defaultProfileId;
}

/** A stretch of one local day during which one profile is active: [start, end) as instants. */
export interface ProfileSpan {
  start: number;
  end: number;
  profileId: string;
}

/**
 * The active profile across local day `day` (days since 1970-01-01 in the schedule's zone), as
 * spans from local midnight to the next, in order, neighbours with the same profile joined. What
 * the screen's week view draws; the same precedence as activeProfileId at every instant.
 */
export function profileSpansOfDay(schedule: Schedule, day: number): ProfileSpan[] {
  const zone = schedule.timeZone;
  const dayStart = instantOfWall(zone, day * DAY_MS);
  const dayEnd = instantOfWall(zone, (day + 1) * DAY_MS);
  const found = occurrences(schedule, day - LOOKBACK_DAYS, day + 1);
  const cuts = new Set<number>([dayStart, dayEnd]);
  for (const { start, end } of found) {
    if (start > dayStart && start < dayEnd) cuts.add(start);
    if (end > dayStart && end < dayEnd) cuts.add(end);
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const spans: ProfileSpan[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    const profileId = winningOccurrence(found, start)?.rule.profileId ?? schedule.defaultProfileId;
    const last = spans[spans.length - 1];
    if (last && last.profileId === profileId) last.end = end;
    else spans.push({ start, end, profileId });
  }
  return spans;
}

const WINDOW_DAYS = 7;
// A weekly pattern that does not change the profile within a year never will: a year holds every
// DST transition the zone has.
const MAX_WINDOWS = 53;

/**
 * The first instant after `now` at which the active profile changes, or undefined when it never
 * does. The profile at the returned instant differs from the profile at `now`, and is the same as
 * at `now` for every instant in between.
 */
export function nextBoundary(schedule: Schedule, now: number): number | undefined {
  if (schedule.rules.every((rule) => rule.profileId === schedule.defaultProfileId)) return undefined;
  const zone = schedule.timeZone;
  const profileAt = (found: readonly RuleOccurrence[], at: number): string =>
    winningOccurrence(found, at)?.rule.profileId ?? schedule.defaultProfileId;
  const firstDay = localDay(zone, now);
  const current = profileAt(occurrences(schedule, firstDay - LOOKBACK_DAYS, firstDay + 1), now);
  for (let window = 0; window < MAX_WINDOWS; window++) {
    const fromDay = firstDay + window * WINDOW_DAYS;
    const toDay = fromDay + WINDOW_DAYS;
    // This window judges the instants from local midnight of `fromDay` (or now) to local midnight
    // of `toDay`: exactly those that only occurrences starting on days [fromDay - 2, toDay) cover.
    const windowStart = Math.max(now + 1, instantOfWall(zone, fromDay * DAY_MS));
    const windowEnd = instantOfWall(zone, toDay * DAY_MS);
    const found = occurrences(schedule, fromDay - LOOKBACK_DAYS, toDay);
    const candidates = new Set<number>();
    for (const { start, end } of found) {
      if (start >= windowStart && start < windowEnd) candidates.add(start);
      if (end >= windowStart && end < windowEnd) candidates.add(end);
    }
    for (const at of [...candidates].sort((a, b) => a - b)) {
      if (profileAt(found, at) !== current) return at;
    }
  }
  return undefined;
}
