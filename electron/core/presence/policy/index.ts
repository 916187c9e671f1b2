/** Presence policy (docs/DESIGN.md#views-per-group): schedules, profiles, manual status and what each watcher sees. */
export { activeOccurrence, activeProfileId, activeRule, nextBoundary, type RuleOccurrence } from '../../../../shared/domain/schedule.js';
export {
  FALLBACK_PROFILE,
  effectiveStatus,
  manualInForce,
  manualLapsesAt,
  resolveProfile,
  type EffectiveStatus,
  type PresencePolicy,
} from './effective-status.js';
export {
  audienceOf,
  audienceViews,
  groupPrecedence,
  offlineView,
  sameView,
  viewsChanged,
  watcherViewChanged,
  type Audience,
  type AudienceViews,
} from './audience.js';
export { watcherView, whatDoesGroupSee, whatDoesWatcherSee, type GroupQuery, type WatcherQuery, type WatcherView } from './watcher-view.js';
export { timeZoneProblem, validatePolicy, type PolicyProblems, type PolicySettings } from './validate.js';
export { DEFAULT_MAX_ARM_MS, PolicyTimer, type PolicyChange, type PolicyTimerOptions } from './policy-timer.js';
export { InvalidTimeZoneError } from '../../../../shared/domain/zone-time.js';
