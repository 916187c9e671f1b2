/**
 * Auto-away: after the set minutes without keyboard or mouse (the shell polls
 * powerMonitor.getSystemIdleTime()), an Available status becomes Away, and goes back on activity.
 * It never overrides the user: a status other than Available is left alone, and once the user sets
 * a status while auto-away (any status, even Away), coming back does not undo it. No Electron import.
 *
 *   watching ──idle ≥ limit, available──> away (we set it; its setAt noted)
 *   away ──activity──> the status before restored ──> watching
 *   away ──a status we did not set──> watching (the user's choice stands)
 */
import type { ActiveStatus } from '../../../shared/contract/presence.js';
import type { Availability } from '../../../shared/domain/availability.js';
import type { ManualStatus } from '../../../shared/domain/presence.js';
import type { Logger } from '../../support/logger.js';

export interface AutoAwayDeps {
  /** Seconds since the last input. */
  idleSeconds(): number;
  /** The setting; 0 is off. */
  minutes(): number;
  /** Our availability now, as others see it. */
  availability(): Availability;
  setAway(): Promise<ActiveStatus>;
  /** Put back the status from before (a manual one, or none: the schedule's). */
  restore(manual: ManualStatus | null): Promise<unknown>;
  logger: Logger;
}

export interface AutoAway {
  /** One poll: compare the idle time with the setting. */
  check(): Promise<void>;
  /** Our status changed (the core's `status` event). */
  onStatus(status: ActiveStatus): void;
  /** Whether the away status now is ours. */
  readonly active: boolean;
}

export function createAutoAway(deps: AutoAwayDeps): AutoAway {
  let manual: ManualStatus | null = null;
  // While away is ours: the status it replaced and the setAt of the one we set.
  let ours: { before: ManualStatus | null; setAt: number | null } | null = null;
  let working = false;

  const check = async () => {
    const minutes = deps.minutes();
    const idle = minutes > 0 && deps.idleSeconds() >= minutes * 60;
    if (working || idle === (ours !== null)) return;
    if (idle && deps.availability() !== 'online') return;
    working = true;
    try {
      if (idle) {
        ours = { before: manual, setAt: null };
        const status = await deps.setAway();
        if (ours) ours.setAt = status.manual?.setAt ?? null;
      } else {
        const { before } = ours!;
        ours = null;
        await deps.restore(before);
      }
    } catch (error) {
      deps.logger.warn('auto-away could not change the status', { error });
    } finally {
      working = false;
    }
  };

  return {
    check,
    onStatus(status) {
      // A status we did not set while away: the user chose it, coming back leaves it.
      if (ours && ours.setAt !== null && status.manual?.setAt !== ours.setAt) ours = null;
      manual = status.manual;
    },
    get active() {
      return ours !== null;
    },
  };
}
