/**
 * Our own status as time passes: the schedule's active profile, a manual status while it lasts,
 * and the views each audience gets. Built on the policy's PolicyTimer (boundaries, wake-up);
 * this adds the stored settings, the manual status commands, the `status` event whenever the
 * ActiveStatus changes (a boundary, a manual status set, cleared or lapsed, an edit), and a
 * signal for the notifier whenever what some audience sees may have changed.
 */
import type { ActiveStatus } from '../../../../shared/contract/presence.js';
import type { ManualStatus, PresenceView } from '../../../../shared/domain/presence.js';
import type { ParleyEvent } from '../../../../shared/ipc.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import type { Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import {
  PolicyTimer,
  audienceViews,
  effectiveStatus,
  type AudienceViews,
  type EffectiveStatus,
  type PresencePolicy,
} from '../policy/index.js';

export interface PresenceStatusDeps {
  repo: PresenceRepo;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
}

export function activeStatusOf(status: EffectiveStatus): ActiveStatus {
  return {
    profileId: status.profile.id,
    ...(status.boundary !== undefined ? { nextBoundary: status.boundary } : {}),
    manual: status.manual ?? null,
  };
}

export class PresenceStatus {
  private readonly timer: PolicyTimer;
  private readonly listeners = new Set<() => void>();
  private readonly userListeners = new Set<(manual: ManualStatus | null, changedAt: number) => void>();
  private lastEmitted: string | undefined;

  constructor(private readonly deps: PresenceStatusDeps) {
    const { clock } = deps;
    // Every evaluation the timer makes by itself (a boundary, a manual lapse, a periodic re-arm)
    // is followed by a look at the ActiveStatus, which can change without any view changing.
    const observed: Clock = {
      now: () => clock.now(),
      setTimeout: (fn, ms) => clock.setTimeout(() => (fn(), this.statusMayHaveChanged()), ms),
      clearTimeout: (handle) => clock.clearTimeout(handle),
    };
    this.timer = new PolicyTimer({
      clock: observed,
      policy: () => this.policy(),
      onChange: () => this.viewsMayHaveChanged(),
      onError: (error) => deps.logger.warn('presence settings could not be evaluated', { error }),
    });
  }

  start(): void {
    this.timer.start();
    this.statusMayHaveChanged();
  }

  stop(): void {
    this.timer.stop();
  }

  /** After sleep: boundaries may have passed while timers could not fire. */
  wake(): void {
    this.timer.wake();
    this.statusMayHaveChanged();
  }

  /** Profiles, the schedule or the manual status were edited. */
  configChanged(): void {
    this.timer.configChanged();
    this.statusMayHaveChanged();
  }

  /** Called whenever what some audience sees may have changed. */
  onViewsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The stored settings as the policy reads them. */
  policy(): PresencePolicy {
    const { repo } = this.deps;
    return { schedule: repo.schedule(), profiles: repo.profiles(), manual: repo.manualStatus() ?? undefined };
  }

  /** The status in force now (evaluated afresh when the timer has not run yet). */
  get effective(): EffectiveStatus {
    return this.timer.status ?? effectiveStatus(this.policy(), this.deps.clock.now());
  }

  get views(): AudienceViews {
    return this.timer.current ?? audienceViews(this.effective);
  }

  get active(): ActiveStatus {
    return activeStatusOf(this.effective);
  }

  setManual(view: PresenceView, until: ManualStatus['until']): ActiveStatus {
    const now = this.deps.clock.now();
    return this.userChanged({ view, until, setAt: now }, now);
  }

  clearManual(): ActiveStatus {
    return this.userChanged(null, this.deps.clock.now());
  }

  /** Hear every manual status the user sets or clears on this device (status-sync.ts tells the others). */
  onUserChange(listener: (manual: ManualStatus | null, changedAt: number) => void): () => void {
    this.userListeners.add(listener);
    return () => this.userListeners.delete(listener);
  }

  /**
   * A manual status set or cleared on another device of the account: taken when it is newer than
   * the last change known here (the latest change wins), and not told on again. True when taken.
   */
  adopt(manual: ManualStatus | null, changedAt: number): boolean {
    if (changedAt <= this.deps.repo.manualChangedAt()) return false;
    this.deps.repo.setManualStatus(manual, changedAt);
    this.configChanged();
    return true;
  }

  private userChanged(manual: ManualStatus | null, changedAt: number): ActiveStatus {
    this.deps.repo.setManualStatus(manual, changedAt);
    this.configChanged();
    for (const listener of this.userListeners) {
      try {
        listener(manual, changedAt);
      } catch (error) {
        this.deps.logger.warn('status listener failed', { error });
      }
    }
    return this.active;
  }

  private viewsMayHaveChanged(): void {
    for (const listener of this.listeners) {
      try {
        listener();
      } catch (error) {
        this.deps.logger.warn('presence listener failed', { error });
      }
    }
  }

  private statusMayHaveChanged(): void {
    const status = this.timer.status;
    if (!status) return;
    // A lapsed manual status is dropped from storage, so a later schedule edit cannot revive it.
    if (!status.manual && this.deps.repo.manualStatus()) this.deps.repo.setManualStatus(null);
    const active = activeStatusOf(status);
    const key = JSON.stringify(active);
    if (key === this.lastEmitted) return;
    const first = this.lastEmitted === undefined;
    this.lastEmitted = key;
    if (!first) this.deps.emit({ type: 'status', status: active });
  }
}
