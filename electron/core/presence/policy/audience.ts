/**
 * Who sees what: the views of the status in force per audience (a group, or everyone else), and the
 * per-watcher diff the notifier uses to send NOTIFY only to watchers whose view changed.
 *
 * A contact in several groups: its groups are taken in the order of the user's group list (the
 * order the buddy list shows), and the first one the profile names decides; if the profile names
 * none of them, EVERYONE_ELSE does. Group ids not in the group list are ignored.
 */
import { EVERYONE_ELSE, type Contact, type Group, type GroupId, type PresenceView } from '../../../../shared/domain/presence.js';
import { offlineView, profileAudience } from '../../../../shared/domain/profile-view.js';
import type { EffectiveStatus } from './effective-status.js';

export { offlineView };

/** The views in force at one moment, ready to be handed to each allowed watcher. */
export interface AudienceViews {
  source: 'manual' | 'profile';
  profileId: string;
  /** While a manual status is in force, every allowed watcher sees this. */
  manual: PresenceView | undefined;
  /** The active profile's views by group id, EVERYONE_ELSE included. */
  byGroup: ReadonlyMap<string, PresenceView>;
}

export function audienceViews(status: EffectiveStatus): AudienceViews {
  return {
    source: status.manual ? 'manual' : 'profile',
    profileId: status.profile.id,
    manual: status.manual?.view,
    byGroup: new Map(Object.entries(status.profile.views)),
  };
}

/** The contact's group ids in precedence order (the group list's order); unknown ids dropped. */
export function groupPrecedence(contact: Contact | undefined, groups: readonly Group[]): GroupId[] {
  if (!contact || contact.groups.length === 0) return [];
  const member = new Set(contact.groups);
  return groups.filter((group) => member.has(group.id)).map((group) => group.id);
}

export interface Audience {
  /** The group whose view applies, or EVERYONE_ELSE; undefined while a manual status is in force. */
  group: string | undefined;
  view: PresenceView;
}

/** The view an allowed watcher with these groups (in precedence order) sees. */
export function audienceOf(views: AudienceViews, precedence: readonly GroupId[]): Audience {
  if (views.manual) return { group: undefined, view: views.manual };
  return profileAudience((key) => views.byGroup.get(key), precedence);
}

/** Whether two views would put the same presence on the wire. */
export function sameView(a: PresenceView, b: PresenceView): boolean {
  return (
    a.availability === b.availability &&
    a.note === b.note &&
    a.activities.length === b.activities.length &&
    a.activities.every((activity, i) => activity === b.activities[i])
  );
}

/** Whether an allowed watcher with these groups (precedence order) sees something else after than before. */
export function watcherViewChanged(before: AudienceViews, after: AudienceViews, precedence: readonly GroupId[]): boolean {
  return !sameView(audienceOf(before, precedence).view, audienceOf(after, precedence).view);
}

/**
 * The audiences whose view changed: group ids (for a watcher in that group alone) and
 * EVERYONE_ELSE (for watchers in no group either profile names). A cheap first filter; for a
 * watcher in several groups, watcherViewChanged is the answer.
 */
export function viewsChanged(before: AudienceViews, after: AudienceViews): Set<string> {
  const keys = new Set<string>([EVERYONE_ELSE, ...before.byGroup.keys(), ...after.byGroup.keys()]);
  const changed = new Set<string>();
  for (const key of keys) {
    const precedence = key === EVERYONE_ELSE ? [] : [key];
    if (watcherViewChanged(before, after, precedence)) changed.add(key);
  }
  return changed;
}
