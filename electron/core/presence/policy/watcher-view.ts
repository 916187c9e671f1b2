/**
 * "What does this watcher see now?" (docs/DESIGN.md#private-by-default), in the order the domain states:
 *   1. authorization: pending -> plain offline (nothing real), blocked -> plain offline (polite
 *      block: the same view, field for field, as a real "appear offline" without a note);
 *   2. a manual status in force;
 *   3. the active profile's view for the watcher's group (see audience.ts for several groups),
 *      else EVERYONE_ELSE.
 * A watcher with no authorization record is pending: nobody has allowed them.
 */
import {
  EVERYONE_ELSE,
  type Contact,
  type Group,
  type GroupId,
  type PresenceView,
  type Watcher,
  type WatcherStatus,
  type WatcherViewAnswer,
  type GroupViewAnswer,
} from '../../../../shared/domain/presence.js';
import type { Reason } from '../../../../shared/domain/reason.js';
import { normalizeAddress } from '../../../../shared/domain/address.js';
import { audienceOf, audienceViews, groupPrecedence, offlineView, type AudienceViews } from './audience.js';
import { effectiveStatus, type EffectiveStatus, type PresencePolicy } from './effective-status.js';

export interface WatcherView {
  source: WatcherViewAnswer['source'];
  /** The group whose view applies, or EVERYONE_ELSE; only for source 'profile'. */
  group: string | undefined;
  view: PresenceView;
}

/** The notifier's per-watcher decision, without the words (cheap enough for every NOTIFY). */
export function watcherView(views: AudienceViews, authorization: WatcherStatus | undefined, precedence: readonly GroupId[]): WatcherView {
  if (authorization === 'blocked') return { source: 'blocked', group: undefined, view: offlineView() };
  if (authorization !== 'allowed') return { source: 'pending', group: undefined, view: offlineView() };
  const { group, view } = audienceOf(views, precedence);
  return views.manual ? { source: 'manual', group: undefined, view } : { source: 'profile', group, view };
}

export interface WatcherQuery {
  /** The watcher's address (any form; compared normalised). */
  watcher: string;
  watchers: readonly Watcher[];
  contacts: readonly Contact[];
  groups: readonly Group[];
  policy: PresencePolicy;
  now: number;
}

export function whatDoesWatcherSee(query: WatcherQuery): WatcherViewAnswer {
  const aor = normalizeAddress(query.watcher);
  const authorization = query.watchers.find((watcher) => normalizeAddress(watcher.aor) === aor)?.status;
  const contact = query.contacts.find((candidate) => normalizeAddress(candidate.aor) === aor);
  const status = effectiveStatus(query.policy, query.now);
  const decided = watcherView(audienceViews(status), authorization, groupPrecedence(contact, query.groups));
  return {
    watcher: aor,
    view: decided.view,
    ...(decided.group !== undefined ? { group: decided.group } : {}),
    source: decided.source,
    ...(decided.source === 'profile' ? { profileId: status.profile.id } : {}),
    explanation: explain(decided, aor, status, query.groups),
  };
}

export interface GroupQuery {
  /** A group id, or EVERYONE_ELSE. */
  group: string;
  groups: readonly Group[];
  policy: PresencePolicy;
  now: number;
}

/** What any allowed member of a group sees (EVERYONE_ELSE: an allowed watcher in no named group). */
export function whatDoesGroupSee(query: GroupQuery): GroupViewAnswer {
  const status = effectiveStatus(query.policy, query.now);
  const precedence = query.group === EVERYONE_ELSE ? [] : [query.group];
  const decided = watcherView(audienceViews(status), 'allowed', precedence);
  // A group the profile does not name sees what everyone else sees: say so, under its own name.
  const asEveryone = decided.group === EVERYONE_ELSE && query.group !== EVERYONE_ELSE ? query.group : undefined;
  return {
    group: query.group,
    view: decided.view,
    source: decided.source,
    ...(decided.source === 'profile' ? { profileId: status.profile.id } : {}),
    explanation: explain(decided, '', status, query.groups, asEveryone),
  };
}

/**
 * The facts behind an answer, for the words to be made where they are shown (shared/words/en.ts):
 * who, what they see, and for a manual status or a profile until when and which profile and group
 * (by name). `asEveryone`: a group the profile does not name, asked about by id.
 */
function explain(decided: WatcherView, watcher: string, status: EffectiveStatus, groups: readonly Group[], asEveryone?: string): Reason {
  const seen = { availability: decided.view.availability, ...(decided.view.note !== undefined ? { note: decided.view.note } : {}) };
  if (decided.source === 'pending') return { code: 'view.pending', params: { watcher, ...seen } };
  if (decided.source === 'blocked') return { code: 'view.blocked', params: { watcher, ...seen } };
  const until = status.until === undefined ? {} : { until: status.until, at: status.at, timeZone: status.timeZone };
  if (decided.source === 'manual') {
    return status.until === undefined && status.manual?.until === 'cleared'
      ? { code: 'view.manual-until-cleared', params: seen }
      : { code: 'view.manual', params: { ...seen, ...until } };
  }
  const nameOf = (id: string) => groups.find((group) => group.id === id)?.name ?? id;
  const profile = { profile: status.profile.name, ...seen, ...until };
  if (asEveryone !== undefined) return { code: 'view.group-as-everyone', params: { group: nameOf(asEveryone), ...profile } };
  if (decided.group === EVERYONE_ELSE || decided.group === undefined) return { code: 'view.everyone', params: profile };
  return { code: 'view.group', params: { group: nameOf(decided.group), ...profile } };
}
