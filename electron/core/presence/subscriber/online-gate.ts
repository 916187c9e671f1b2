/**
 * When a presence client (subscriber, publisher, watcher-info) acts on the registration state:
 * the first time the account is reachable (registered, or direct mode) it starts; each later
 * return after a loss is a reconnect, which refreshes what the server may have forgotten.
 * Refreshes of the registration itself (registered -> registered) are neither.
 */
import type { RegistrationState } from '../../../../shared/ipc.js';

export type GateStep = 'start' | 'reconnect' | undefined;

export class OnlineGate {
  private online = false;
  private started = false;

  constructor(private readonly reachable: ReadonlySet<RegistrationState['state']> = new Set(['registered'])) {}

  get hasStarted(): boolean {
    return this.started;
  }

  /** Starting over (a new endpoint): the next reachable state is a start again. */
  reset(): void {
    this.online = false;
    this.started = false;
  }

  update(state: RegistrationState['state']): GateStep {
    if (!this.reachable.has(state)) {
      this.online = false;
      return undefined;
    }
    if (this.online) return undefined;
    this.online = true;
    if (this.started) return 'reconnect';
    this.started = true;
    return 'start';
  }
}
