/** Presence in words for the screen: pure functions of data, a time zone and the current time. */
import type { Availability, PresenceView } from '../../../shared/ipc.js';
import { AVAILABILITY_LABELS, DAY_LABELS, formatWhen } from '../../../shared/domain/presence-words.js';

export { AVAILABILITY_LABELS, DAY_LABELS, formatWhen };

export const AVAILABILITIES: readonly Availability[] = ['online', 'away', 'busy', 'offline'];

/** The status menu's words: "offline" is something one appears to be. */
export const STATUS_CHOICES: Record<Availability, string> = { ...AVAILABILITY_LABELS, offline: 'Appear offline' };

/** The order days are shown in: Monday first. */
export const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0] as const;

/** "Busy — In a meeting", or just "Busy". */
export function viewText(view: PresenceView): string {
  const note = view.note?.trim();
  return note ? `${AVAILABILITY_LABELS[view.availability]} — ${note}` : AVAILABILITY_LABELS[view.availability];
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

