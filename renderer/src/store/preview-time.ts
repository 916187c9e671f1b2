/**
 * The moment a "what will they see on Tuesday at 10:00?" preview asks about: the next time the
 * schedule's zone shows that weekday and time (today, if it is still ahead), as an instant the
 * core takes (whatDoesGroupSee's `at`). Pure.
 */
import { DAY_MS, MINUTE_MS, instantOfWall, localDay, minutesOfDay, weekdayOf } from '../../../shared/domain/zone-time.js';

/** `weekday`: 0 = Sunday … 6 = Saturday; `time`: "HH:MM" local to `timeZone`. */
export function nextLocalMoment(timeZone: string, now: number, weekday: number, time: string): number {
  const today = localDay(timeZone, now);
  const ahead = (weekday - weekdayOf(today) + 7) % 7;
  const at = (day: number) => instantOfWall(timeZone, day * DAY_MS + minutesOfDay(time) * MINUTE_MS);
  const candidate = at(today + ahead);
  return candidate >= now ? candidate : at(today + ahead + 7);
}
