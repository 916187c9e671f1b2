/**
 * Which view of a profile an audience gets (docs/DESIGN.md#views-per-group), the one rule the core's notifier and
 * "what does X see" and the screen's week view all follow. Pure.
 */
import { EVERYONE_ELSE, type GroupId, type PresenceView, type Profile } from './presence.js';

/**
 * What everyone sees when the settings name no usable profile (validation reports why). Plain
 * "online", what a messenger without profiles would show.
 */
export const FALLBACK_PROFILE: Profile = {
  id: '',
  name: 'Available to everyone',
  views: { [EVERYONE_ELSE]: { availability: 'online', activities: [] } },
};

/** The profile with this id, else the default profile, else FALLBACK_PROFILE. */
export function resolveProfile(profiles: readonly Profile[], id: string, defaultId: string): Profile {
  return profiles.find((profile) => profile.id === id) ?? profiles.find((profile) => profile.id === defaultId) ?? FALLBACK_PROFILE;
}

/**
 * Plain offline with nothing else: what "appear offline" without a note puts on the wire, and so
 * what pending and blocked watchers get, field for field, so they cannot tell.
 */
export function offlineView(): PresenceView {
  return { availability: 'offline', activities: [] };
}

export interface ProfileAudience {
  /** The group whose view applies, or EVERYONE_ELSE. */
  group: string;
  view: PresenceView;
}

/**
 * The view for an allowed watcher whose groups, in precedence order, are `precedence`: the first
 * group the profile names, else EVERYONE_ELSE. `viewOf` reads the profile's views by key.
 */
export function profileAudience(viewOf: (key: string) => PresenceView | undefined, precedence: readonly GroupId[]): ProfileAudience {
  for (const group of precedence) {
    const view = viewOf(group);
    if (view) return { group, view };
  }
  // A valid profile always has EVERYONE_ELSE (the schema insists); offline is the safe answer otherwise.
  return { group: EVERYONE_ELSE, view: viewOf(EVERYONE_ELSE) ?? offlineView() };
}

/**
 * Our own availability now, as everyone else sees it: the status set by hand while it lasts, else
 * the active profile's view. Do-not-disturb and auto-away read it.
 */
export function ownAvailability(
  status: { profileId: string; manual: { view: PresenceView } | null },
  profiles: readonly Profile[],
  defaultProfileId: string,
): PresenceView['availability'] {
  if (status.manual) return status.manual.view.availability;
  return resolveProfile(profiles, status.profileId, defaultProfileId).views[EVERYONE_ELSE]?.availability ?? 'online';
}
