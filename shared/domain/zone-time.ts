/**
 * Wall-clock time in an IANA time zone, from Intl alone (Node and Chromium ship the full ICU data).
 *
 * A "wall" value is the local date and time of a zone written as if it were UTC epoch ms
 * (Date.UTC of the local fields). Wall values are what schedules are written in; instants are what
 * timers fire at. Going from instant to wall is a lookup; going back is not a function, because of
 * DST: a wall time can happen twice (fall-back) or never (spring-forward). instantOfWall settles both.
 */

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

export class InvalidTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`"${timeZone}" is not a known IANA time zone (for example "Europe/Berlin" or "America/New_York")`);
    this.name = 'InvalidTimeZoneError';
  }
}

// Building a DateTimeFormat costs far more than using one; schedules use a handful of zones.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new InvalidTimeZoneError(timeZone);
    }
    formatters.set(timeZone, format);
  }
  return format;
}

/** The local date and time of `instant` in the zone, as a wall value (ms kept). */
export function wallTime(timeZone: string, instant: number): number {
  const field: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of formatter(timeZone).formatToParts(instant)) field[part.type] = Number(part.value);
  const millis = ((instant % 1000) + 1000) % 1000;
  return (
    Date.UTC(field.year ?? 1970, (field.month ?? 1) - 1, field.day ?? 1, field.hour ?? 0, field.minute ?? 0, field.second ?? 0) + millis
  );
}

/** The zone's UTC offset at `instant`, in ms (east positive). */
export function offsetAt(timeZone: string, instant: number): number {
  return wallTime(timeZone, instant) - instant;
}

/** The local calendar day of `instant`, as days since 1970-01-01. */
export function localDay(timeZone: string, instant: number): number {
  return Math.floor(wallTime(timeZone, instant) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday, for a day number (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

/**
 * The instant at which the zone's clocks show `wall`:
 *   - a time that happens twice (fall-back) -> its first occurrence;
 *   - a time that never happens (spring-forward gap) -> the first instant after the gap.
 */
export function instantOfWall(timeZone: string, wall: number): number {
  // Offsets a day either side bracket any transition near `wall` (offsets stay within ±14 h).
  const before = offsetAt(timeZone, wall - DAY_MS);
  const after = offsetAt(timeZone, wall + DAY_MS);
  const first = wall - Math.max(before, after);
  const second = wall - Math.min(before, after);
  if (wallTime(timeZone, first) === wall) return first;
  if (wallTime(timeZone, second) === wall) return second;
  // A gap: at `first` the clocks still read earlier than `wall`, at `second` already later.
  // Find the transition, the first instant whose reading is not earlier than `wall`.
  let lo = first;
  let hi = second;
  if (!(wallTime(timeZone, lo) < wall && wallTime(timeZone, hi) > wall)) return second;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallTime(timeZone, mid) < wall) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Minutes since local midnight for "HH:MM". */
export function minutesOfDay(hhmm: string): number {
  const [hours, minutes] = hhmm.split(':');
  return Number(hours) * 60 + Number(minutes);
}
