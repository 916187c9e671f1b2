/**
 * Checks of the presence settings as a whole, in words a person can act on. The schemas in
 * shared/domain/presence.ts check each value's shape; these check how the values refer to each
 * other. Errors make the settings unusable; warnings name references that are ignored.
 */
import { EVERYONE_ELSE, isTimeZone, type Contact, type Group, type Profile, type Schedule } from '../../../../shared/domain/presence.js';
import { describeRule } from './wording.js';

export interface PolicySettings {
  schedule: Schedule;
  profiles: readonly Profile[];
  groups: readonly Group[];
  contacts?: readonly Contact[];
}

export interface PolicyProblems {
  /** Must be fixed before the settings can be used. */
  errors: string[];
  /** References that do nothing and are ignored. */
  warnings: string[];
}

/** A problem with the time zone, or undefined when Intl knows it. */
export function timeZoneProblem(timeZone: string): string | undefined {
  return isTimeZone(timeZone)
    ? undefined
    : `The schedule's time zone "${timeZone}" is not a known IANA time zone (for example "Europe/Berlin").`;
}

function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

export function validatePolicy(settings: PolicySettings): PolicyProblems {
  const { schedule, profiles, groups } = settings;
  const errors: string[] = [];
  const warnings: string[] = [];

  const zone = timeZoneProblem(schedule.timeZone);
  if (zone) errors.push(zone);

  for (const id of duplicates(profiles.map((profile) => profile.id))) {
    errors.push(`Two profiles share the id "${id}".`);
  }
  for (const id of duplicates(groups.map((group) => group.id))) errors.push(`Two groups share the id "${id}".`);
  for (const id of duplicates(schedule.rules.map((rule) => rule.id))) {
    errors.push(`Two schedule rules share the id "${id}".`);
  }

  const profileIds = new Set(profiles.map((profile) => profile.id));
  const groupIds = new Set(groups.map((group) => group.id));
  for (const profile of profiles) {
    if (!(EVERYONE_ELSE in profile.views)) {
      errors.push(`Profile "${profile.name}" does not say what everyone else sees.`);
    }
    for (const groupId of Object.keys(profile.views)) {
      if (groupId !== EVERYONE_ELSE && !groupIds.has(groupId)) {
        warnings.push(`Profile "${profile.name}" sets a view for group "${groupId}", which does not exist; it is ignored.`);
      }
    }
  }

  if (!profileIds.has(schedule.defaultProfileId)) {
    errors.push(`The schedule's default profile "${schedule.defaultProfileId}" does not exist.`);
  }
  for (const rule of schedule.rules) {
    if (!profileIds.has(rule.profileId)) {
      errors.push(`Schedule rule ${describeRule(rule)} uses profile "${rule.profileId}", which does not exist.`);
    }
  }

  for (const contact of settings.contacts ?? []) {
    for (const groupId of contact.groups) {
      if (!groupIds.has(groupId)) {
        warnings.push(`${contact.name?.trim() || contact.aor} is in group "${groupId}", which does not exist; it is ignored.`);
      }
    }
  }
  return { errors, warnings };
}
