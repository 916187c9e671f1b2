/** Presence in words for the screen: pure functions of data, a time zone and the current time. */
import type { Availability, PresenceView, WatcherStatus } from '../../../shared/ipc.js';
import { AVAILABILITY_LABELS, DAY_LABELS, describeUntil, formatWhen, localTimeZone } from '../../../shared/words/presence.js';

export { AVAILABILITY_LABELS, DAY_LABELS, describeUntil, formatWhen, localTimeZone };

export const AVAILABILITIES: readonly Availability[] = ['online', 'away', 'busy', 'offline'];

/** The status menu's words: "offline" is something one appears to be. */
export const STATUS_CHOICES: Record<Availability, string> = { ...AVAILABILITY_LABELS, offline: 'Appear offline' };

/**
 * How long a status set by hand lasts: only what setStatus accepts (shared/contract/presence.ts);
 * "for 1 hour" or "until tomorrow" would need the core to keep a time of its own.
 */
export type UntilChoice = 'next-boundary' | 'cleared';
export const UNTIL_CHOICES: Record<UntilChoice, string> = {
  'next-boundary': 'my schedule next changes',
  cleared: 'I clear it',
};

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

/**
 * What adding a contact means for our own presence, as the core does it (notifier/authorization.ts):
 * anyone in the contacts may watch us back without a separate question, unless they were blocked.
 */
export function contactAddedNotice(name: string, watcher: WatcherStatus | undefined): string {
  if (watcher === 'blocked') return `${name} was added. You blocked them earlier, so they still see you as offline.`;
  return `${name} was added. Contacts may see your presence, so ${name} can now see it too (block them in the presence settings to stop that).`;
}
