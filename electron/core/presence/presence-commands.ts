/**
 * The presence commands of the contract (shared/contract/presence.ts) and the presence part of the
 * snapshot. Roster, profiles and schedule are stored here; subscriptions, the notifier and the
 * publisher react to the `roster` and `status` events.
 */
import type { PresenceCommandName, PresenceSnapshot } from '../../../shared/contract/presence.js';
import type { ParleyEvent } from '../../../shared/ipc.js';
import type { PresenceRepo } from '../../storage/presence-repo.js';
import type { CommandHandlers } from '../core.js';
import { UserError } from '../core.js';

export type PresenceHandlers = Pick<CommandHandlers, PresenceCommandName>;

export function presenceSnapshot(repo: PresenceRepo): PresenceSnapshot {
  const schedule = repo.schedule();
  return {
    groups: repo.groups(),
    contacts: repo.contacts(),
    buddies: [],
    watchers: repo.watchers(),
    profiles: repo.profiles(),
    schedule,
    status: { profileId: schedule.defaultProfileId, manual: repo.manualStatus() },
  };
}

export function presenceHandlers(repo: PresenceRepo, emit: (event: ParleyEvent) => void): PresenceHandlers {
  const notYet = async (): Promise<never> => {
    throw new UserError('not available yet', 'failed');
  };
  const rosterChanged = <T>(value: T): T => {
    emit({ type: 'roster', groups: repo.groups(), contacts: repo.contacts(), profiles: repo.profiles(), schedule: repo.schedule() });
    return value;
  };
  return {
    setStatus: notYet,
    clearStatus: notYet,
    saveContact: async (contact) => rosterChanged(repo.saveContact(contact)),
    removeContact: async ({ aor }) => rosterChanged({ removed: repo.deleteContact(aor) }),
    saveGroup: async (group) => rosterChanged(repo.saveGroup(group)),
    deleteGroup: async ({ id }) => rosterChanged({ deleted: repo.deleteGroup(id) }),
    saveProfile: async (profile) => rosterChanged(repo.saveProfile(profile)),
    deleteProfile: async ({ id }) => rosterChanged({ deleted: repo.deleteProfile(id) }),
    setSchedule: async (schedule) => rosterChanged(repo.setSchedule(schedule)),
    answerWatcher: notYet,
    whatDoesWatcherSee: notYet,
  };
}
