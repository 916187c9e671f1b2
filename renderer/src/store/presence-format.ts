/** Presence in words for the screen: pure functions of data, a time zone and the current time. */
import type { Availability, PresenceView } from '../../../shared/ipc.js';

export const AVAILABILITIES: readonly Availability[] = ['online', 'away', 'busy', 'offline'];

export const AVAILABILITY_LABELS: Record<Availability, string> = {
  online: 'Online',
  away: 'Away',
  busy: 'Busy',
  offline: 'Offline',
};

/** The status menu's words: "offline" is something one appears to be. */
export const STATUS_CHOICES: Record<Availability, string> = { ...AVAILABILITY_LABELS, offline: 'Appear offline' };

/** Sunday first, as the schedule's day numbers (0 = Sunday … 6 = Saturday). */
export const DAY_LABELS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
/** The order days are shown in: Monday first. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** "Busy — In a meeting", or just "Busy". */
export function viewText(view: PresenceView): string {
  const note = view.note?.trim();
  return note ? `${AVAILABILITY_LABELS[view.availability]} — ${note}` : AVAILABILITY_LABELS[view.availability];
}

function parts(at: number, timeZone: string): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
}

/** Whole local days from `now` to `at` in the zone (calendar days, DST-proof). */
function daysBetween(now: Record<string, string>, at: Record<string, string>): number {
  const day = (p: Record<string, string>) => Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day));
  return Math.round((day(at) - day(now)) / 86_400_000);
}

/**
 * When something ends, in the schedule's zone: "17:00" later today, "Mon 09:00" within the week,
 * "2026-03-29 03:00" beyond it. A zone Intl does not know reads in UTC.
 */
export function formatWhen(at: number, now: number, timeZone: string): string {
  let zone = timeZone;
  try {
    parts(now, zone);
  } catch {
    zone = 'UTC';
  }
  const when = parts(at, zone);
  const clock = `${when.hour}:${when.minute}`;
  const days = daysBetween(parts(now, zone), when);
  if (days === 0) return clock;
  if (days > 0 && days < 7) return `${when.weekday} ${clock}`;
  return `${when.year}-${when.month}-${when.day} ${clock}`;
}

/** The IANA time zones this browser knows (for suggestions; the core checks the one chosen). */
export function knownTimeZones(): string[] {
  const intl = Intl as { supportedValuesOf?: (key: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

