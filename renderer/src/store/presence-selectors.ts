/**
 * Derived views of the presence read model for components: the buddy list by group, what a buddy's
 * state means on screen, the watcher requests, our active status in words. Pure functions.
 */
import {
  EVERYONE_ELSE,
  samePeer,
  type Availability,
  type BuddyPresence,
  type Contact,
  type Profile,
  type Watcher,
} from '../../../shared/ipc.js';
import { wordReason } from '../../../shared/words/word-reason.js';
import { AVAILABILITY_LABELS, describeUntil, localTimeZone } from './presence-format.js';
import type { PresenceModel } from './presence-model.js';
import { audienceView } from './week-view.js';

/** How a buddy is shown: a dot colour, a label and why. */
export type BuddyShown = 'online' | 'away' | 'busy' | 'offline' | 'awaiting' | 'failed' | 'unknown';

export interface BuddyStatus {
  shown: BuddyShown;
  label: string;
  note?: string;
  /** Could not be refreshed in time: shown greyed, not trusted. */
  stale: boolean;
  /** The reason of a failed subscription, or what is going on. */
  detail?: string;
}

/** `name`: the buddy's name on screen, for its reason (which names only the buddy); else its address. */
export function buddyStatus(buddy: BuddyPresence | undefined, name?: string): BuddyStatus {
  if (!buddy) return { shown: 'unknown', label: 'Unknown', stale: false };
  const note = buddy.view?.note?.trim() || undefined;
  const reason = buddy.reason && wordReason(buddy.reason, name !== undefined ? () => name : undefined);
  if (buddy.subscription === 'failed') {
    return { shown: 'failed', label: 'Cannot be watched', stale: false, detail: reason || 'The subscription was refused.' };
  }
  if (buddy.subscription === 'pending') {
    return {
      shown: 'awaiting',
      label: 'Awaiting authorization',
      stale: buddy.stale,
      detail: 'They have not allowed you to see their presence yet.',
    };
  }
  if (buddy.view) {
    const detail = buddy.stale
      ? 'Not refreshed lately: this may be out of date.'
      : buddy.subscription === 'retrying'
        ? 'Reconnecting…'
        : undefined;
    return { shown: buddy.view.availability, label: AVAILABILITY_LABELS[buddy.view.availability], note, stale: buddy.stale, detail };
  }
  if (buddy.subscription === 'retrying')
    return { shown: 'unknown', label: 'Reconnecting…', stale: buddy.stale, detail: reason || undefined };
  return { shown: 'unknown', label: 'Unknown', stale: buddy.stale };
}

// Names as people sort them: "Person9" before "Person10", case and accents aside.
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Two names in the order a person expects, in their locale. */
export function compareNames(a: string, b: string): number {
  return collator.compare(a, b);
}

export function contactName(contact: Contact): string {
  return contact.name?.trim() || contact.aor;
}

export function findContact(presence: PresenceModel, address: string): Contact | undefined {
  return presence.contacts.find((c) => samePeer(c.aor, address));
}

/** Who asked to watch us and waits for an answer, most recent first. */
export function pendingWatchers(presence: Pick<PresenceModel, 'watchers'>): Watcher[] {
  return Object.values(presence.watchers)
    .filter((w) => w.status === 'pending')
    .sort((a, b) => b.lastSeen - a.lastSeen);
}

/** Every watcher the user answered, by address. */
export function answeredWatchers(presence: Pick<PresenceModel, 'watchers'>): Watcher[] {
  return Object.values(presence.watchers)
    .filter((w) => w.status !== 'pending')
    .sort((a, b) => a.aor.localeCompare(b.aor));
}

export function profileById(presence: PresenceModel, id: string): Profile | undefined {
  return presence.profiles.find((p) => p.id === id);
}

export interface ActiveStatusText {
  availability: Availability;
  /** "Busy", or the active profile's name. */
  label: string;
  note?: string;
  /** Where it comes from: "Set by hand", or "Profile Work hours". */
  source: string;
  /** "until 17:00" ("(Europe/Berlin)" after it when that is not this computer's zone), "until you clear it", "no change scheduled". */
  until: string;
  manual: boolean;
}

/** Our own status in words, for the status menu. A profile shows what "everyone else" sees. */
export function activeStatusText(presence: PresenceModel, now: number, readerZone = localTimeZone()): ActiveStatusText {
  const { status, schedule } = presence;
  const boundary = status.nextBoundary;
  const untilBoundary = boundary !== undefined ? describeUntil(boundary, now, schedule.timeZone, readerZone) : undefined;
  if (status.manual) {
    const { view, until } = status.manual;
    return {
      availability: view.availability,
      label: AVAILABILITY_LABELS[view.availability],
      note: view.note?.trim() || undefined,
      source: 'Set by hand',
      until: until === 'cleared' ? 'until you clear it' : (untilBoundary ?? 'until the schedule next changes'),
      manual: true,
    };
  }
  const profile = profileById(presence, status.profileId);
  const everyone = profile?.views[EVERYONE_ELSE];
  return {
    availability: everyone?.availability ?? 'online',
    label: profile?.name ?? status.profileId,
    note: everyone?.note?.trim() || undefined,
    source: status.profileId === schedule.defaultProfileId ? 'Default profile' : 'From the schedule',
    until: untilBoundary ?? 'no change scheduled',
    manual: false,
  };
}

export interface GroupPreviewTarget {
  /** A group id, or EVERYONE_ELSE. */
  groupId: string;
  title: string;
}

/** The groups to preview, each group of the roster and then everyone else. */
export function groupPreviewTargets(presence: PresenceModel): GroupPreviewTarget[] {
  return [
    ...presence.groups.map((group) => ({ groupId: group.id, title: group.name })),
    { groupId: EVERYONE_ELSE, title: 'Everyone else' },
  ];
}

/** Those who see one availability of ours: the audiences' names and the word. */
export interface AudiencePart {
  availability: Availability;
  label: string;
  /** Group names in the group list's order, "everyone else" last. */
  audiences: string[];
}

/**
 * Who sees which state of ours now: one part per availability, e.g. Busy to Friends, Available
 * to Co-workers and everyone else. A status set by hand is one part (everyone allowed sees it).
 * `text` is null when everyone sees the same, so the status menu only speaks of groups when they differ.
 */
export function statusByAudience(presence: PresenceModel): { parts: AudiencePart[]; text: string | null } {
  const { status, schedule, profiles, groups } = presence;
  const views: { name: string; availability: Availability }[] = status.manual
    ? [{ name: 'everyone', availability: status.manual.view.availability }]
    : (() => {
        const profile = profileById(presence, status.profileId) ?? profileById(presence, schedule.defaultProfileId) ?? profiles[0];
        if (!profile) return [{ name: 'everyone', availability: 'online' as const }];
        return [...groups.map((g) => ({ name: g.name, id: g.id })), { name: 'everyone else', id: EVERYONE_ELSE }].map(({ name, id }) => ({
          name,
          availability: audienceView(profile, id).availability,
        }));
      })();
  const parts: AudiencePart[] = [];
  for (const { name, availability } of views) {
    const part = parts.find((p) => p.availability === availability);
    if (part) part.audiences.push(name);
    else parts.push({ availability, label: AVAILABILITY_LABELS[availability], audiences: [name] });
  }
  if (parts.length < 2) return { parts, text: null };
  const names = (audiences: string[]) =>
    audiences.length === 1 ? audiences[0]! : `${audiences.slice(0, -1).join(', ')} and ${audiences[audiences.length - 1]!}`;
  return { parts, text: parts.map((p) => `${p.label} to ${names(p.audiences)}`).join(', ') };
}
