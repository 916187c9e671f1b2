/**
 * The presence commands of the contract (shared/contract/presence.ts) and the presence part of the
 * snapshot. Roster, profiles and schedule are stored here (edits are checked as a whole by the
 * policy's validatePolicy first); our status lives in status/presence-status.ts, and the notifier
 * (notifier/presence-notifier.ts) is told of every edit that may change what a watcher sees. The
 * subscriber and the publisher react to the `roster` and `status` events.
 */
import type { PresenceCommandName, PresenceSnapshot } from '../../../shared/contract/presence.js';
import { normalizeAddress } from '../../../shared/domain/address.js';
import {
  EVERYONE_ELSE,
  type BuddyPresence,
  type Contact,
  type Profile,
  type Schedule,
  type Watcher,
} from '../../../shared/domain/presence.js';
import type { ParleyEvent } from '../../../shared/ipc.js';
import { DEFAULT_PROFILE, type PresenceRepo } from '../../storage/presence-repo.js';
import type { Clock } from '../../support/clock.js';
import type { CommandHandlers } from '../core.js';
import { UserError } from '../core.js';
import { authorizationBook, effectiveWatchers } from './notifier/authorization.js';
import type { PresenceNotifier } from './notifier/presence-notifier.js';
import { validatePolicy, whatDoesGroupSee, whatDoesWatcherSee, type PolicySettings } from './policy/index.js';
import type { PresenceStatus } from './status/presence-status.js';

export type PresenceHandlers = Pick<CommandHandlers, PresenceCommandName>;

/** The live presence services the commands drive. */
export interface PresenceServices {
  status: PresenceStatus;
  notifier: PresenceNotifier;
  clock: Clock;
}

/** `buddies`: the subscriber's current states (subscriber/presence-subscriber.ts presences()). */
export function presenceSnapshot(repo: PresenceRepo, status?: PresenceStatus, buddies: readonly BuddyPresence[] = []): PresenceSnapshot {
  const schedule = repo.schedule();
  return {
    groups: repo.groups(),
    contacts: repo.contacts(),
    buddies: [...buddies],
    watchers: repo.watchers(),
    profiles: repo.profiles(),
    schedule,
    status: status?.active ?? { profileId: schedule.defaultProfileId, manual: repo.manualStatus() },
  };
}

/** Problems `after` has that `before` did not: an edit is refused only for what it breaks. */
function introduced(before: readonly string[], after: readonly string[]): string[] {
  const known = new Set(before);
  return after.filter((problem) => !known.has(problem));
}

function settingsOf(repo: PresenceRepo): PolicySettings {
  return { schedule: repo.schedule(), profiles: repo.profiles(), groups: repo.groups() };
}

/** Refuses an edit that makes the settings unusable (a schedule naming a missing profile, ...). */
function checkEdit(repo: PresenceRepo, edit: (settings: PolicySettings) => PolicySettings): void {
  const current = settingsOf(repo);
  const problems = introduced(validatePolicy(current).errors, validatePolicy(edit(current)).errors);
  if (problems.length > 0) throw new UserError(problems.join(' '), 'invalid-request');
}

/** Refuses a contact in a group that does not exist (the policy would ignore that membership). */
function checkContact(repo: PresenceRepo, contact: Contact): void {
  const settings = settingsOf(repo);
  const problems = introduced(validatePolicy(settings).warnings, validatePolicy({ ...settings, contacts: [contact] }).warnings);
  if (problems.length > 0) throw new UserError(problems.join(' '), 'invalid-request');
}

function withProfile(profiles: readonly Profile[], profile: Profile): Profile[] {
  return [...profiles.filter((p) => p.id !== profile.id), profile];
}

export function presenceHandlers(repo: PresenceRepo, emit: (event: ParleyEvent) => void, services: PresenceServices): PresenceHandlers {
  const { status, notifier, clock } = services;
  const rosterChanged = <T>(value: T): T => {
    emit({ type: 'roster', groups: repo.groups(), contacts: repo.contacts(), profiles: repo.profiles(), schedule: repo.schedule() });
    notifier.changed();
    return value;
  };
  const policyChanged = <T>(value: T): T => {
    status.configChanged();
    return rosterChanged(value);
  };
  const storedWatcher = (aor: string): Watcher | undefined => repo.watchers().find((w) => normalizeAddress(w.aor) === aor);
  const saveWatcher = (watcher: Watcher): Watcher => {
    repo.saveWatcher(watcher);
    emit({ type: 'watcher', watcher });
    notifier.changed();
    return watcher;
  };
  // The settings as they stand at `at`: a status set by hand only after it was set (a preview of
  // an earlier moment shows the schedule); whether it has lapsed by then the policy decides.
  const policyAt = (at: number) => {
    const policy = status.policy();
    return policy.manual && policy.manual.setAt > at ? { ...policy, manual: undefined } : policy;
  };
  const addToGroup = (aor: string, group: string): void => {
    if (!repo.groups().some((g) => g.id === group)) throw new UserError(`there is no group "${group}"`, 'invalid-request');
    const contact = repo.contacts().find((c) => normalizeAddress(c.aor) === aor) ?? { aor, groups: [] };
    if (!contact.groups.includes(group)) rosterChanged(repo.saveContact({ ...contact, groups: [...contact.groups, group] }));
  };

  return {
    setStatus: async ({ view, until }) => status.setManual(view, until),
    clearStatus: async () => status.clearManual(),
    saveContact: async (contact) => {
      checkContact(repo, contact);
      const saved = rosterChanged(repo.saveContact(contact));
      // A buddy may watch us back: someone waiting for an answer is allowed by being added.
      const waiting = storedWatcher(normalizeAddress(contact.aor));
      if (waiting?.status === 'pending') saveWatcher({ ...waiting, status: 'allowed' });
      return saved;
    },
    removeContact: async ({ aor }) => rosterChanged({ removed: repo.deleteContact(aor) }),
    saveGroup: async (group) => rosterChanged(repo.saveGroup(group)),
    deleteGroup: async ({ id }) => rosterChanged({ deleted: repo.deleteGroup(id) }),
    saveProfile: async (profile) => {
      checkEdit(repo, (settings) => ({ ...settings, profiles: withProfile(settings.profiles, profile) }));
      // A fresh database only implies the built-in default profile; store it before the first
      // profile of the user's own, or the default (and what everyone sees) would silently change.
      const profiles = repo.profiles();
      if (profiles.length === 1 && profiles[0] === DEFAULT_PROFILE && profile.id !== DEFAULT_PROFILE.id) repo.saveProfile(DEFAULT_PROFILE);
      return policyChanged(repo.saveProfile(profile));
    },
    deleteProfile: async ({ id }) => {
      checkEdit(repo, (settings) => ({ ...settings, profiles: settings.profiles.filter((p) => p.id !== id) }));
      return policyChanged({ deleted: repo.deleteProfile(id) });
    },
    setSchedule: async (schedule: Schedule) => {
      checkEdit(repo, (settings) => ({ ...settings, schedule }));
      return policyChanged(repo.setSchedule(schedule));
    },
    answerWatcher: async ({ aor: address, decision, group }) => {
      const aor = normalizeAddress(address);
      if (decision === 'allow' && group !== undefined) addToGroup(aor, group);
      const stored = storedWatcher(aor);
      return saveWatcher({
        aor: stored?.aor ?? aor,
        status: decision === 'allow' ? 'allowed' : 'blocked',
        source: stored?.source ?? 'direct',
        subscribed: notifier.isSubscribed(aor) || (stored?.source === 'server' && stored.subscribed),
        lastSeen: stored?.lastSeen ?? clock.now(),
      });
    },
    whatDoesWatcherSee: async ({ watcher, at }) => {
      const now = at ?? clock.now();
      const contacts = repo.contacts();
      return whatDoesWatcherSee({
        watcher,
        watchers: effectiveWatchers(authorizationBook(repo.watchers(), contacts), now),
        contacts,
        groups: repo.groups(),
        policy: policyAt(now),
        now,
      });
    },
    whatDoesGroupSee: async ({ group, at }) => {
      const groups = repo.groups();
      if (group !== EVERYONE_ELSE && !groups.some((g) => g.id === group))
        throw new UserError(`there is no group "${group}"`, 'invalid-request');
      const now = at ?? clock.now();
      return whatDoesGroupSee({ group, groups, policy: policyAt(now), now });
    },
  };
}
