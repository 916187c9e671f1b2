/**
 * Presence in words, the same on both sides: the "what does X see" sentences (en.ts), the CLI's
 * and the screen's labels. Pure functions of data, a time zone and the current time (Intl only).
 */
import type { PresenceService } from '../contract/presence.js';
import type { Availability } from '../domain/availability.js';

export const AVAILABILITY_LABELS: Record<Availability, string> = {
  online: 'Available',
  away: 'Away',
  busy: 'Busy',
  offline: 'Offline',
};

/** Sunday first, as the schedule's day numbers (0 = Sunday … 6 = Saturday). */
export const DAY_LABELS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

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
 * When something ends, in the given zone: "17:00" later the same local day, "Mon 09:00" within
 * the coming week, "2026-03-29 03:00" beyond it. A zone Intl does not know reads in UTC.
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

const NOTE_CHARS_SHOWN = 60;

/** "Busy", or "Busy (“In a meeting”)" with the note shortened to a glance. */
export function describeView(view: { availability: Availability; note?: string | undefined }): string {
  const label = AVAILABILITY_LABELS[view.availability];
  const note = view.note?.trim();
  if (!note) return label;
  const shown = note.length > NOTE_CHARS_SHOWN ? `${note.slice(0, NOTE_CHARS_SHOWN - 1)}…` : note;
  return `${label} (“${shown}”)`;
}

/**
 * "until 17:00" when `until` is later the same local day in `timeZone`, "until Mon 09:00" within
 * the coming week, else "until 2026-03-29 03:00". The zone is named, "until 17:00 (Europe/Berlin)",
 * unless it is the reader's own (`readerZone`): a schedule kept in another zone than the
 * computer's clock says so, and the usual case stays short enough for one line.
 */
export function describeUntil(until: number, now: number, timeZone: string, readerZone?: string): string {
  const when = formatWhen(until, now, timeZone);
  return timeZone === readerZone ? `until ${when}` : `until ${when} (${timeZone})`;
}

/** The zone this machine's clock shows (the reader's own, for describeUntil). */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** One line for the account view: who serves our presence now, and what that means for per-group views. */
export function presenceServiceWords(service: PresenceService): string {
  if (service.basis === 'no-server') return 'Served by Parley: people subscribe to this computer directly; each group sees its own status.';
  if (service.serverKind === 'neither')
    return 'Your server neither serves presence nor passes requests on to Parley: nobody can see your status through it.';
  const how =
    service.basis === 'account' ? 'as the account says' : service.basis === 'detecting' ? 'checking your server…' : 'found automatically';
  return service.mode === 'direct'
    ? `Served by Parley (${how}): your server passes requests on; each group sees its own status.`
    : `Served by your server (${how}): Parley publishes one status, so every watcher sees the same one.`;
}
