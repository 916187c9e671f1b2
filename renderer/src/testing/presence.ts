/** Presence data for renderer unit tests: a small roster with two groups and a work-hours profile. */
import { EMPTY_PRESENCE, type BuddyPresence, type PresenceSnapshot } from '../../../shared/ipc.js';

export function testPresence(overrides: Partial<PresenceSnapshot> = {}): PresenceSnapshot {
  return {
    ...EMPTY_PRESENCE,
    groups: [
      { id: 'friends', name: 'Friends' },
      { id: 'work', name: 'Co-workers' },
    ],
    contacts: [
      { aor: 'sip:bob@example.org', name: 'Bob', groups: ['friends'] },
      { aor: 'sip:carol@example.org', groups: ['work', 'friends'] },
      { aor: 'sip:dave@example.org', groups: [] },
    ],
    profiles: [
      { id: 'available', name: 'Available', views: { '*': { availability: 'online', activities: [] } } },
      {
        id: 'work-hours',
        name: 'Work hours',
        views: {
          '*': { availability: 'away', note: 'Working', activities: [] },
          friends: { availability: 'busy', activities: [] },
        },
      },
    ],
    schedule: { timeZone: 'Europe/Berlin', rules: [], defaultProfileId: 'available' },
    ...overrides,
  };
}

/** A buddy whose subscription is active and who is available, unless `overrides` say otherwise. */
export function testBuddy(aor: string, overrides: Partial<BuddyPresence> = {}): BuddyPresence {
  return { aor, view: { availability: 'online', activities: [] }, subscription: 'active', stale: false, ...overrides };
}
