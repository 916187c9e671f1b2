/**
 * Who watches us at the presence server (RFC 3857 presence.winfo, RFC 3858 documents): in server
 * mode every watcher; in direct mode the watchers the server holds for us while we were offline
 * (docs/DESIGN.md#held-subscriptions), so a request made then appears at the next login. Parley
 * subscribes to the winfo of its own AOR; every watcher the server names becomes a
 * Watcher { source: 'server' } in the presence repo and a `watcher` event.
 *
 * Authorization stays Parley's: a watcher nobody has allowed or blocked is 'pending' (awaiting the
 * user's decision) whatever the server's own status says, and a decision already made is kept.
 * What the server does with that decision is another matter: see SERVER_MODE_EXPLANATION in
 * shared/contract/presence.ts (the bundled Kamailio lets every watcher see the published state).
 *
 * Partial documents apply on top of the version before them; a gap in the versions means NOTIFYs
 * were lost, and the subscription is refreshed so the server sends the full state again.
 */
import type { Watcher } from '../../../../shared/domain/presence.js';
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { ParleyEvent, RegistrationState } from '../../../../shared/ipc.js';
import {
  WATCHERINFO_CONTENT_TYPE,
  XmlError,
  applyWatcherInfo,
  decodeWatcherInfo,
  type WatcherInfoState,
} from '../../../sip/presence/index.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import { waitAtMost, type Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import { DueQueue } from '../subscriber/due-queue.js';
import type { NotifyBody } from '../../../sip/subscription/subscriber-dialogs.js';
import { sipUri, type UserAgent } from '../../../sip/user-agent.js';
import { CLOSE_WAIT_MS, EventSubscription, type SubscriptionListener } from '../subscriber/event-subscription.js';
import { OnlineGate } from '../subscriber/online-gate.js';

export const WINFO_EXPIRES = 3600;

export interface WatcherInfoDeps {
  ua: UserAgent;
  aor: string;
  repo: PresenceRepo;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  random?: () => number;
  expires?: number;
}

export class WatcherInfo implements SubscriptionListener {
  private readonly subscription: EventSubscription;
  private readonly queue: DueQueue;
  private state: WatcherInfoState | undefined;
  private readonly gate = new OnlineGate();

  constructor(private readonly deps: WatcherInfoDeps) {
    const self = sipUri(deps.aor);
    if (!self) throw new Error(`not a SIP URI: ${deps.aor}`);
    this.queue = new DueQueue(deps.clock, (error) => deps.logger.warn('watcher-info timer failed', { error }));
    // The watched resource is our own list at the server; this subscription's reasons are never shown.
    this.subscription = new EventSubscription(
      { core: deps.ua.userAgentCore, self, clock: deps.clock, queue: this.queue, logger: deps.logger, random: deps.random ?? Math.random },
      { target: self, peer: deps.aor, event: 'presence.winfo', accept: WATCHERINFO_CONTENT_TYPE, expires: deps.expires ?? WINFO_EXPIRES },
      this,
    );
  }

  onRegistration(state: RegistrationState['state']): void {
    const step = this.gate.update(state);
    if (step === 'start') this.subscription.start();
    else if (step === 'reconnect') this.reconnected();
  }

  reconnected(): void {
    if (this.gate.hasStarted) this.subscription.refreshNow();
  }

  /** Un-SUBSCRIBE; settles once the server's final NOTIFY is answered (at most CLOSE_WAIT_MS). */
  async stop(): Promise<void> {
    this.subscription.stop();
    await waitAtMost(this.deps.clock, this.subscription.closed(), CLOSE_WAIT_MS);
    this.subscription.letGo();
    this.queue.stop();
  }

  onNotify(_dialog: string, body: NotifyBody): void {
    if (body.contentType !== WATCHERINFO_CONTENT_TYPE) return;
    let result;
    try {
      result = applyWatcherInfo(this.state, decodeWatcherInfo(body.text));
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
      this.deps.logger.info('watcher-info NOTIFY body refused', { code: error.code });
      return;
    }
    if (result.kind === 'gap') {
      this.deps.logger.info('watcher-info versions skipped; asking for the full state', { expected: result.expected, got: result.got });
      this.subscription.refreshNow();
      return;
    }
    if (result.kind === 'stale') return;
    this.state = result.state;
    const now = this.deps.clock.now();
    const self = normalizeAddress(this.deps.aor);
    for (const mentioned of result.changed) {
      const aor = normalizeAddress(mentioned.uri);
      if (aor === self) continue; // our own devices watching us
      const known = this.deps.repo.watcher(aor);
      const subscribed = mentioned.status === 'active' || mentioned.status === 'pending' || mentioned.status === 'waiting';
      const watcher: Watcher = {
        aor,
        status: known?.status ?? 'pending',
        source: 'server',
        subscribed,
        lastSeen: now,
      };
      if (known && known.status === watcher.status && known.source === 'server' && known.subscribed === subscribed) continue;
      this.deps.repo.saveWatcher(watcher);
      this.deps.emit({ type: 'watcher', watcher });
    }
  }

  onDialogEnded(): void {
    // A new subscription gets a full document; partial ones before it cannot apply.
    this.state = undefined;
  }

  onChange(): void {}
}
