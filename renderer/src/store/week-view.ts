/**
 * The schedule's week as one audience (a group, or EVERYONE_ELSE) sees it: seven local days,
 * Monday first, each cut into blocks by the profile in force. The spans come from the schedule
 * code the core runs (shared/domain/schedule.ts) and the view per audience from the core's own
 * rule (shared/domain/profile-view.ts), so the picture cannot disagree with what watchers get.
 * A status set by hand is left out on purpose: the week shows the plan, the preview shows "now".
 */
import { EVERYONE_ELSE, type Availability, type PresenceView, type Profile, type Schedule } from '../../../shared/ipc.js';
import { profileAudience, resolveProfile } from '../../../shared/domain/profile-view.js';
import { profileSpansOfDay } from '../../../shared/domain/schedule.js';
import { DAY_MS, MINUTE_MS, localDay, wallTime, weekdayOf } from '../../../shared/domain/zone-time.js';
import { viewText } from './presence-format.js';

export interface WeekBlock {
  /** Minutes since local midnight, [start, end). */
  startMinute: number;
  endMinute: number;
  availability: Availability;
  /** "Busy — Heads down". */
  label: string;
  profileName: string;
  /** A sentence for assistive technology, e.g. "Tuesday 09:00 to 17:00: Busy — Heads down (profile Work hours)". */
  description: string;
}

export interface WeekDay {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** The user's locale's name of the day, e.g. "Tuesday", "Dienstag". */
  name: string;
  short: string;
  blocks: WeekBlock[];
}

/** "HH:MM" of minutes since midnight; 1440 reads "24:00". */
export function clockOf(minutes: number): string {
  const hours = Math.floor(minutes / 60);
  return `${String(hours).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** The locale's names of a weekday (0 = Sunday), through Intl. */
export function weekdayNames(weekday: number, locale?: string): { name: string; short: string } {
  // 2024-01-07 was a Sunday; read in UTC so the machine's zone cannot shift the day.
  const date = Date.UTC(2024, 0, 7 + weekday);
  const name = new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(date);
  const short = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(date);
  return { name, short };
}

/** The local days (days since 1970-01-01 in the zone) of the week holding `now`, Monday first. */
export function weekOf(timeZone: string, now: number): number[] {
  const today = localDay(timeZone, now);
  const monday = today - ((weekdayOf(today) + 6) % 7);
  return Array.from({ length: 7 }, (_, i) => monday + i);
}

export interface WeekInput {
  schedule: Schedule;
  profiles: readonly Profile[];
}

/** The view a member of `audience` (a group id or EVERYONE_ELSE) gets from a profile. */
export function audienceView(profile: Profile, audience: string): PresenceView {
  return profileAudience((key) => profile.views[key], audience === EVERYONE_ELSE ? [] : [audience]).view;
}

/** What `audience` sees across this week (the week holding `now` in the schedule's zone). */
export function weekView(input: WeekInput, audience: string, now: number, locale?: string): WeekDay[] {
  const { schedule, profiles } = input;
  const zone = schedule.timeZone;
  return weekOf(zone, now).map((day) => {
    const weekday = weekdayOf(day);
    const names = weekdayNames(weekday, locale);
    const minuteOf = (instant: number) => Math.round((wallTime(zone, instant) - day * DAY_MS) / MINUTE_MS);
    const blocks: WeekBlock[] = [];
    for (const span of profileSpansOfDay(schedule, day)) {
      const startMinute = Math.max(0, minuteOf(span.start));
      const endMinute = Math.min(24 * 60, minuteOf(span.end));
      // A span inside a repeated hour (fall-back) reads backwards on the wall clock: nothing to draw.
      if (endMinute <= startMinute) continue;
      const profile = resolveProfile(profiles, span.profileId, schedule.defaultProfileId);
      const view = audienceView(profile, audience);
      const label = viewText(view);
      blocks.push({
        startMinute,
        endMinute,
        availability: view.availability,
        label,
        profileName: profile.name,
        description: `${names.name} ${clockOf(startMinute)} to ${clockOf(endMinute)}: ${label} (profile ${profile.name})`,
      });
    }
    return { weekday, ...names, blocks };
  });
}
