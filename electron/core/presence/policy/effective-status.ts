/**
 * The status in force at a moment: the schedule's active profile, unless a manual status overrides
 * it (docs/DESIGN.md#views-per-group). Pure: everything comes in as arguments, time included.
 */
import { type ManualStatus, type Profile, type Schedule, type WeeklyRule } from '../../../../shared/domain/presence.js';
import { FALLBACK_PROFILE, resolveProfile } from '../../../../shared/domain/profile-view.js';
import { activeRule, nextBoundary } from '../../../../shared/domain/schedule.js';

export { FALLBACK_PROFILE, resolveProfile };

/** The user's presence settings, as the policy reads them. */
export interface PresencePolicy {
  schedule: Schedule;
  profiles: readonly Profile[];
  manual?: ManualStatus | undefined;
}

export interface EffectiveStatus {
  /** The instant this was evaluated for. */
  at: number;
  timeZone: string;
  /** The profile the schedule makes active (also while a manual status overrides it). */
  profile: Profile;
  /** The rule that made it active, or undefined for the default profile. */
  rule: WeeklyRule | undefined;
  /** The manual status in force; a lapsed one is left out. */
  manual: ManualStatus | undefined;
  /** When what watchers see next changes by itself (a boundary, or the manual status lapsing); undefined = never. */
  until: number | undefined;
  /** When the active profile next changes (also under a manual status); undefined = never. */
  boundary: number | undefined;
}

/**
 * When a manual status lapses: 'next-boundary' at the first boundary after it was set (computed
 * from setAt, so a Parley that slept across the boundary drops it on wake), 'cleared' never.
 */
export function manualLapsesAt(manual: ManualStatus, schedule: Schedule): number | undefined {
  return manual.until === 'cleared' ? undefined : nextBoundary(schedule, manual.setAt);
}

export function manualInForce(manual: ManualStatus | undefined, schedule: Schedule, now: number): boolean {
  if (!manual) return false;
  const lapse = manualLapsesAt(manual, schedule);
  return lapse === undefined || now < lapse;
}

export function effectiveStatus(policy: PresencePolicy, now: number): EffectiveStatus {
  const { schedule } = policy;
  const rule = activeRule(schedule, now);
  const profile = resolveProfile(policy.profiles, rule?.profileId ?? schedule.defaultProfileId, schedule.defaultProfileId);
  const manual = manualInForce(policy.manual, schedule, now) ? policy.manual : undefined;
  const boundary = nextBoundary(schedule, now);
  const until = manual ? manualLapsesAt(manual, schedule) : boundary;
  return { at: now, timeZone: schedule.timeZone, profile, rule, manual, until, boundary };
}
