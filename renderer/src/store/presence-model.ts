/**
 * The presence part of the read model and its pure reducers: the snapshot's `presence`, then the
 * presence events (buddy, watcher, status, roster, presence-service). Buddies and watchers are keyed by their
 * normalised address, so a NOTIFY's `sip:Bob@Example.org;transport=tcp` lands on the contact
 * `sip:bob@example.org`. Nothing here touches the DOM, the network or a clock.
 */
import {
  EMPTY_PRESENCE,
  normalizeAddress,
  type ActiveStatus,
  type BuddyPresence,
  type Contact,
  type Group,
  type PresenceService,
  type PresenceSnapshot,
  type Profile,
  type Schedule,
  type SequencedEvent,
  type Watcher,
} from '../../../shared/ipc.js';
import { EMPTY_BUDDIES, keepBuddies, withBuddyEntries, type BuddyMap } from './buddy-map.js';

export interface PresenceModel {
  groups: Group[];
  contacts: Contact[];
  /** What we know of each buddy, by normalised address (buddy-map.ts: read with buddyOf). */
  buddies: BuddyMap;
  /** Who watches (or asked to watch) us, by normalised address. */
  watchers: Record<string, Watcher>;
  profiles: Profile[];
  schedule: Schedule;
  status: ActiveStatus;
  /** Who serves our presence (direct or the server, and why); undefined until an account is attached. */
  service: PresenceService | undefined;
}

export type PresenceEvent = Extract<SequencedEvent, { type: 'buddy' | 'watcher' | 'status' | 'roster' | 'presence-service' }>;

function byAddress<T extends { aor: string }>(items: readonly T[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const item of items) out[normalizeAddress(item.aor)] = item;
  return out;
}

export function presenceFromSnapshot(snapshot: PresenceSnapshot): PresenceModel {
  return {
    groups: snapshot.groups,
    contacts: snapshot.contacts,
    buddies: withBuddyEntries(
      EMPTY_BUDDIES,
      snapshot.buddies.map((buddy) => [normalizeAddress(buddy.aor), buddy] as const),
    ),
    watchers: byAddress(snapshot.watchers),
    profiles: snapshot.profiles,
    schedule: snapshot.schedule,
    status: snapshot.status,
    service: snapshot.service,
  };
}

export const initialPresence: PresenceModel = presenceFromSnapshot(EMPTY_PRESENCE);

export function applyPresenceEvent(presence: PresenceModel, event: PresenceEvent): PresenceModel {
  switch (event.type) {
    case 'buddy':
      return withBuddies(presence, [event.buddy]);
    case 'watcher':
      return withWatcher(presence, event.watcher);
    case 'status':
      return withStatus(presence, event.status);
    case 'roster':
      return {
        ...presence,
        groups: event.groups,
        contacts: event.contacts,
        profiles: event.profiles,
        schedule: event.schedule,
        // A removed contact is no longer watched: its last known state would only mislead.
        buddies: keepContacts(presence.buddies, event.contacts),
      };
    case 'presence-service':
      return { ...presence, service: event.service };
  }
}

/** Buddies' new states, in order (the last state of each wins), copying only the shards they touch. */
export function withBuddies(presence: PresenceModel, buddies: readonly BuddyPresence[]): PresenceModel {
  return {
    ...presence,
    buddies: withBuddyEntries(
      presence.buddies,
      buddies.map((buddy) => [normalizeAddress(buddy.aor), buddy] as const),
    ),
  };
}

export function withWatcher(presence: PresenceModel, watcher: Watcher): PresenceModel {
  return { ...presence, watchers: { ...presence.watchers, [normalizeAddress(watcher.aor)]: watcher } };
}

export function withStatus(presence: PresenceModel, status: ActiveStatus): PresenceModel {
  return { ...presence, status };
}

/** A contact the core saved (saveContact's answer): its roster event follows and wins. */
export function withContact(presence: PresenceModel, contact: Contact): PresenceModel {
  const aor = normalizeAddress(contact.aor);
  const others = presence.contacts.filter((c) => normalizeAddress(c.aor) !== aor);
  return { ...presence, contacts: [...others, contact] };
}

/** Answers of saveProfile, saveGroup and setSchedule, shown before their roster event arrives. */
export function withProfile(presence: PresenceModel, profile: Profile): PresenceModel {
  return { ...presence, profiles: replaceById(presence.profiles, profile) };
}

export function withGroup(presence: PresenceModel, group: Group): PresenceModel {
  return { ...presence, groups: replaceById(presence.groups, group) };
}

export function withSchedule(presence: PresenceModel, schedule: Schedule): PresenceModel {
  return { ...presence, schedule };
}

/** Replaces the item with the same id in place, or appends it. */
function replaceById<T extends { id: string }>(items: readonly T[], item: T): T[] {
  const index = items.findIndex((i) => i.id === item.id);
  if (index < 0) return [...items, item];
  const next = items.slice();
  next[index] = item;
  return next;
}

function keepContacts(buddies: BuddyMap, contacts: readonly Contact[]): BuddyMap {
  const wanted = new Set(contacts.map((c) => normalizeAddress(c.aor)));
  return keepBuddies(buddies, (aor) => wanted.has(aor));
}
