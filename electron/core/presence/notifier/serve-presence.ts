/**
 * Our status and the notifier that serves it, wired together for the core: every change of what
 * some audience sees (a boundary, a manual status, an edit, waking up) reaches the notifier.
 */
import type { ParleyEvent } from '../../../../shared/ipc.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import type { Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import { PresenceStatus } from '../status/presence-status.js';
import { PresenceNotifier, type NotifierDeps } from './presence-notifier.js';

export interface ServedPresence {
  status: PresenceStatus;
  notifier: PresenceNotifier;
  clock: Clock;
  start(): void;
  stop(): void;
  /** After sleep: re-evaluate the schedule now (timers may not have fired). */
  wake(): void;
}

export interface ServePresenceDeps {
  repo: PresenceRepo;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  onSubscribed?: NotifierDeps['onSubscribed'];
}

export function servePresence(deps: ServePresenceDeps): ServedPresence {
  const status = new PresenceStatus(deps);
  const notifier = new PresenceNotifier({ ...deps, views: () => status.views });
  status.onViewsChanged(() => notifier.changed());
  return {
    status,
    notifier,
    clock: deps.clock,
    start: () => status.start(),
    stop: () => status.stop(),
    wake: () => status.wake(),
  };
}
