/**
 * The words of the "what does this watcher see?" answers: short, in the user's own time zone,
 * and naming the zone so a traveller is not misled.
 */
import type { PresenceView, WeeklyRule } from '../../../../shared/domain/presence.js';
import { AVAILABILITY_LABELS, DAY_LABELS as WEEKDAYS, formatWhen } from '../../../../shared/words/presence.js';
const NOTE_CHARS_SHOWN = 60;

/** "Busy", or "Busy (“In a meeting”)" with the note shortened to a glance. */
export function describeView(view: PresenceView): string {
  const label = AVAILABILITY_LABELS[view.availability];
  const note = view.note?.trim();
  if (!note) return label;
  const shown = note.length > NOTE_CHARS_SHOWN ? `${note.slice(0, NOTE_CHARS_SHOWN - 1)}…` : note;
  return `${label} (“${shown}”)`;
}

/**
 * "until 17:00 (Europe/Berlin)" when `until` is later the same local day, "until Mon 09:00 (…)"
 * within the coming week, else "until 2026-03-29 03:00 (…)".
 */
export function describeUntil(until: number, now: number, timeZone: string): string {
  return `until ${formatWhen(until, now, timeZone)} (${timeZone})`;
}

/** "Mon-Fri", "Sat, Sun", "Mon, Wed-Fri": runs of three or more days joined with a dash, Monday first. */
export function describeDays(days: readonly number[]): string {
  const mondayFirst = [1, 2, 3, 4, 5, 6, 0].filter((day) => days.includes(day));
  const parts: string[] = [];
  for (let i = 0; i < mondayFirst.length; ) {
    let j = i;
    while (j + 1 < mondayFirst.length && (mondayFirst[j]! + 1) % 7 === mondayFirst[j + 1]!) j++;
    const run = mondayFirst.slice(i, j + 1).map((day) => WEEKDAYS[day]!);
    parts.push(run.length >= 3 ? `${run[0]}-${run[run.length - 1]}` : run.join(', '));
    i = j + 1;
  }
  return parts.join(', ');
}

/** "Mon-Fri 09:00-17:00". */
export function describeRule(rule: WeeklyRule): string {
  return `${describeDays(rule.days)} ${rule.start}-${rule.end}`;
}
