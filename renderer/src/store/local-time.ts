/**
 * Times and days in the user's locale and time zone. The formatters are made once: a
 * `toLocaleTimeString` call builds a new one each time, which cost tens of milliseconds when a long
 * conversation opened.
 */
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const shortDateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dateYearFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'long', year: 'numeric' });

/** "14:05" (or "2:05 PM"). */
export function clockTime(at: number): string {
  return timeFormat.format(at);
}

/** The local calendar day as a number, immune to DST: whole days between local midnights. */
export function dayNumber(at: number): number {
  const d = new Date(at);
  return Math.round(Date.UTC(d.getFullYear(), d.getMonth(), d.getDate()) / 86_400_000);
}

/** "14:05" today, "3 Mar 14:05" otherwise. */
export function formatTime(at: number, now: number): string {
  const time = clockTime(at);
  return dayNumber(at) === dayNumber(now) ? time : `${shortDateFormat.format(at)} ${time}`;
}

/** "Today", "Yesterday", "Tuesday, 3 March" this year, "3 March 2025" before. */
export function dayLabel(at: number, now: number): string {
  const days = dayNumber(now) - dayNumber(at);
  if (days === 0) return 'Today';
  if (days === 1) return 'Yesterday';
  return new Date(at).getFullYear() === new Date(now).getFullYear() ? dateFormat.format(at) : dateYearFormat.format(at);
}
