/**
 * Presence as the core sees it: one object that owns our status and the notifier serving it
 * (direct presence), the subscriber watching buddies, and in server mode the publisher and the
 * watcher-info subscription. The core tells it about the endpoint, the registration, reconnects
 * and wake-ups; it answers the presence commands and the presence part of the snapshot. With an
 * XCAP root in the account the contact list is also kept on the server (roster-sync/).
 *
 * Lifecycle:  start ──attach(endpoint, account)──> live ──detach──> (attach again on a new endpoint) ... stop
 */
import type { PresenceService as ServiceState, PresenceSnapshot, ServerKind } from '../../../shared/contract/presence.js';
import type { AccountConfig, ParleyEvent, RegistrationState } from '../../../shared/ipc.js';
import type { PresenceRepo } from '../../storage/presence-repo.js';
import type { Endpoint } from '../account/endpoint.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { servePresence, type ServedPresence } from './notifier/serve-presence.js';
import { presenceHandlers, presenceSnapshot, type PresenceHandlers } from './presence-commands.js';
import { PresencePublisher, type PresencePublisherDeps } from './publisher/presence-publisher.js';
import { publishedView } from './publisher/published-view.js';
import { contactListUri } from '../../sip/xcap/rls-services.js';
import type { RosterSync } from './roster-sync/roster-sync.js';
import { accountXcapClient, serverList } from './roster-sync/server-list.js';
import type { DocumentSync } from './xcap-sync/document-sync.js';
import { presRulesSync } from './xcap-sync/pres-rules-sync.js';
import { presenceSettingsSync } from './xcap-sync/presence-settings-sync.js';
import { PresenceSubscriber } from './subscriber/presence-subscriber.js';
import { WatcherInfo } from './winfo/watcher-info.js';
import { answerProbe, isPresenceProbe } from '../../sip/subscription/presence-probe.js';
import { modeFor, ServerKindProbe } from './server-kind.js';
import { StatusSync, type StatusSyncDeps } from './status-sync.js';
import type { IncomingChat } from '../conversations/incoming-chat.js';

export interface PresenceServiceDeps {
  repo: PresenceRepo;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** The account's other devices, for one status across them (status-sync.ts); absent: this device alone. */
  ownDevices?: Pick<StatusSyncDeps, 'accountAddress' | 'fromOurselves'> & { note(contentType: string, body: string): void };
}

/** What a publisher needs besides the view. */
type PublisherBase = Omit<PresencePublisherDeps, 'view'>;

type IncomingSubscribe = Parameters<ServedPresence['notifier']['onSubscribe']>[0];

export class PresenceService {
  readonly commands: PresenceHandlers;
  /** Our status and the notifier serving it to watchers (direct presence). */
  private readonly served: ServedPresence;
  /** Watching buddies. */
  private readonly subscriber: PresenceSubscriber;
  /**
   * With a server: who watches us there (watcher-info): in server mode every watcher, in direct
   * mode those the server holds for us (docs/DESIGN.md#held-subscriptions); and in server mode
   * our publication.
   */
  private server?: { winfo: WatcherInfo; publisher?: PresencePublisher; unhook?: () => void; probe?: ServerKindProbe };
  /** One status across the account's devices, when the core gave us them. */
  private readonly statusSync: StatusSync | undefined;
  /** Who serves our presence now (the snapshot's `service`). */
  private service: ServiceState | undefined;
  /** The registration's last state: a publisher started later (a server found to be a presence agent) starts from it. */
  private registration: RegistrationState['state'] | undefined;
  /** The contact list kept on the server (XCAP), when the account names an XCAP root. */
  private list?: RosterSync;
  /** The watcher decisions kept on the server (pres-rules), with the list. */
  private rules?: DocumentSync<unknown>;
  /** The profiles and schedule kept on the server, with the list. */
  private settings?: DocumentSync<unknown>;
  /** Set while a merge from the server is applied: that roster change is not an edit to write back. */
  private applyingServerList = false;
  /** The same for watcher decisions from the server (pres-rules). */
  private applyingServerRules = false;

  constructor(private readonly deps: PresenceServiceDeps) {
    this.subscriber = new PresenceSubscriber({ clock: deps.clock, logger: deps.logger, emit: this.emit });
    this.served = servePresence({
      repo: deps.repo,
      clock: deps.clock,
      logger: deps.logger,
      emit: this.emit,
      // Someone who subscribes to us is online: a buddy we could not reach is worth a try now.
      onSubscribed: (aor) => this.subscriber.peerIsAlive(aor),
    });
    const devices = deps.ownDevices;
    if (devices) {
      const sync = new StatusSync({
        accountAddress: devices.accountAddress,
        fromOurselves: devices.fromOurselves,
        send: (_to, contentType, body) => devices.note(contentType, body),
        adopt: (manual, changedAt) => this.served.status.adopt(manual, changedAt),
        logger: deps.logger,
      });
      this.statusSync = sync;
      this.served.status.onUserChange((manual, changedAt) => sync.changed(manual, changedAt));
    }
    const handlers = presenceHandlers(deps.repo, this.emit, this.served);
    this.commands = {
      ...handlers,
      answerWatcher: async (request) => {
        const watcher = await handlers.answerWatcher(request);
        // Newly allowed: a watcher the server holds for us learns it at their next refresh; if we
        // watch them too, refreshing our subscription now is a sign of life their Parley acts on
        // at once (docs/DESIGN.md#held-subscriptions).
        if (watcher.status === 'allowed') this.subscriber.refresh(watcher.aor);
        return watcher;
      },
    };
  }

  /** Every presence event goes out through here; a roster change also changes whom we watch. */
  private readonly emit = (event: ParleyEvent): void => {
    this.deps.emit(event);
    if (event.type !== 'roster' && event.type !== 'watcher') return;
    // the pres-rules document holds both the decisions and the contacts (allowed without asking)
    if (!this.applyingServerRules) this.rules?.localChanged();
    if (event.type !== 'roster') return;
    this.subscriber.setContacts(event.contacts);
    if (!this.applyingServerList) this.list?.localChanged();
    // a roster event follows every edit of the profiles and the schedule too
    if (!this.applyingServerList) this.settings?.localChanged();
  };

  /** Watcher decisions came from the server (a merge): the notifier re-decides; not written back. */
  private serverRulesApplied(event: ParleyEvent): void {
    this.applyingServerRules = true;
    try {
      this.emit(event);
    } finally {
      this.applyingServerRules = false;
    }
  }

  /** The list came from the server (a merge): the roster event, as an edit would make it. */
  private serverListApplied(): void {
    const { repo } = this.deps;
    this.applyingServerList = true;
    try {
      this.emit({ type: 'roster', groups: repo.groups(), contacts: repo.contacts(), profiles: repo.profiles(), schedule: repo.schedule() });
    } finally {
      this.applyingServerList = false;
    }
    this.served.notifier.changed();
  }

  snapshot(): PresenceSnapshot {
    const snapshot = presenceSnapshot(this.deps.repo, this.served.status, this.subscriber.presences());
    return this.service ? { ...snapshot, service: this.service } : snapshot;
  }

  start(): void {
    this.served.start();
    this.subscriber.setContacts(this.deps.repo.contacts());
  }

  stop(): void {
    this.list?.stop();
    this.rules?.stop();
    this.settings?.stop();
    this.served.stop();
    this.subscriber.stop();
  }

  onSubscribe(request: IncomingSubscribe): void {
    // A presence probe (ours or another device's of the account) only wants to arrive.
    if (isPresenceProbe(request)) {
      this.server?.probe?.arrived(request.message.callId);
      answerProbe(request);
      return;
    }
    this.served.notifier.onSubscribe(request);
  }

  /** A status note from another device of the account (status-sync.ts); refused without one. */
  onStatusNote(incoming: IncomingChat): void {
    if (this.statusSync) this.statusSync.take(incoming);
    else void incoming.reject({ statusCode: 403 });
  }

  /** A MESSAGE came from this peer (its From URI): they are online. */
  onMessageFrom(from: string): void {
    this.subscriber.peerIsAlive(from);
  }

  /** A new endpoint: serve watchers, watch buddies; with a server learn our watchers there, in server mode also publish. */
  attach(endpoint: Endpoint, account: AccountConfig | undefined, password?: string): void {
    this.served.notifier.attach(endpoint);
    // With the list on the server, its resource list server is asked for the whole list at once.
    this.subscriber.attach(endpoint, account?.xcapRoot ? contactListUri(endpoint.aor) : undefined);
    const list = {
      repo: this.deps.repo,
      logger: this.deps.logger,
      emit: this.emit,
      rosterChanged: () => this.serverListApplied(),
      onSynced: () => this.subscriber.listWritten(),
    };
    const xcap = accountXcapClient(account, endpoint.aor, password);
    this.list = xcap && serverList(list, xcap, endpoint.aor);
    void this.list?.start();
    this.rules =
      xcap &&
      presRulesSync({
        client: xcap,
        repo: this.deps.repo,
        logger: this.deps.logger,
        emit: (event) => this.serverRulesApplied(event),
        decisionsChanged: () => this.served.notifier.changed(),
        now: () => this.deps.clock.now(),
      });
    void this.rules?.start();
    this.settings =
      xcap &&
      presenceSettingsSync({
        client: xcap,
        repo: this.deps.repo,
        logger: this.deps.logger,
        notice: (text) => this.emit({ type: 'notice', level: 'warning', text }),
        settingsChanged: () => {
          this.served.status.configChanged();
          this.serverListApplied();
        },
      });
    void this.settings?.start();
    if (!account?.proxy) {
      this.setService({ mode: 'direct', basis: 'no-server' });
      return;
    }
    const { clock, logger, repo } = this.deps;
    const base = { ua: endpoint.ua, aor: endpoint.aor, clock, logger };
    this.server = { winfo: new WatcherInfo({ ...base, repo, emit: this.emit }) };
    const chosen = account.presenceMode ?? 'auto';
    if (chosen !== 'auto') {
      this.setService({ mode: chosen, basis: 'account' });
      if (chosen === 'server') this.publish(base);
      return;
    }
    // Automatic: start as this server was last found to be (else direct) and ask it again.
    const proxy = account.proxy;
    const last = repo.serverKind(proxy);
    this.server.probe = new ServerKindProbe({ ...base, onKind: (kind) => this.serverKindFound(proxy, kind, base) });
    this.setService({ mode: modeFor('unknown', last), basis: 'detecting', ...(last ? { serverKind: last } : {}) });
    if (this.service?.mode === 'server') this.publish(base);
  }

  /** Server presence: PUBLISH what "everyone else" sees, again whenever it changes. */
  private publish(base: PublisherBase): void {
    const server = this.server;
    if (!server || server.publisher) return;
    const publisher = new PresencePublisher({ ...base, view: () => publishedView(this.served.status.views) });
    server.publisher = publisher;
    server.unhook = this.served.status.onViewsChanged(() => publisher.viewChanged());
    if (this.registration) publisher.onRegistration(this.registration);
  }

  /** Back to direct presence: the publication is removed (watchers reach us through the server). */
  private stopPublishing(): void {
    const server = this.server;
    if (!server?.publisher) return;
    server.unhook?.();
    void server.publisher.stop();
    server.publisher = undefined;
    server.unhook = undefined;
  }

  /** The probe answered: remember the kind, and serve our presence the way this server needs. */
  private serverKindFound(proxy: string, kind: ServerKind, base: PublisherBase): void {
    const last = this.deps.repo.serverKind(proxy);
    if (kind !== 'unknown') this.deps.repo.setServerKind(proxy, kind);
    const known = kind === 'unknown' ? last : kind;
    const mode = modeFor(kind, last);
    if (mode === 'server') this.publish(base);
    else this.stopPublishing();
    this.setService({ mode, basis: known ? 'detected' : 'detecting', ...(known ? { serverKind: known } : {}) });
  }

  private setService(service: ServiceState): void {
    const same =
      this.service?.mode === service.mode && this.service.basis === service.basis && this.service.serverKind === service.serverKind;
    this.service = service;
    if (!same) this.emit({ type: 'presence-service', service });
  }

  /**
   * The endpoint is going: final NOTIFYs to our watchers, un-SUBSCRIBE and un-PUBLISH, while the
   * endpoint (and the registration) can still carry them.
   */
  async detach(): Promise<void> {
    this.list?.stop();
    this.list = undefined;
    this.rules?.stop();
    this.rules = undefined;
    this.settings?.stop();
    this.settings = undefined;
    await this.served.notifier.detach();
    const server = this.server;
    this.server = undefined;
    server?.unhook?.();
    server?.probe?.stop();
    // Each settles once the server has answered (or a short bound): un-SUBSCRIBEs with their final NOTIFYs, the un-PUBLISH.
    await this.subscriber.detach();
    // Watcher-info after the buddies: ended at the same time, a buddy's final NOTIFY was at times
    // answered 481 (final-notify.int.test.ts caught it once direct mode had watcher-info too).
    await Promise.all([server?.winfo.stop(), server?.publisher?.stop()]);
  }

  onRegistration(state: RegistrationState['state']): void {
    const wasRegistered = this.registration === 'registered';
    this.registration = state;
    // (first, so that a probe reaching us does not wait behind the subscriptions and the publication)
    if (state === 'registered' && !wasRegistered) this.server?.probe?.probe();
    this.subscriber.onRegistration(state);
    this.server?.publisher?.onRegistration(state);
    this.server?.winfo.onRegistration(state);
  }

  /** The flow or the server was reset: subscriptions and the publication are refreshed now. */
  reconnected(): void {
    this.server?.probe?.probe();
    this.subscriber.reconnected();
    this.server?.publisher?.reconnected();
    this.server?.winfo.reconnected();
  }

  /** Woke from sleep: the schedule is re-evaluated now (timers may not have fired), and everything refreshed. */
  wake(): void {
    this.served.wake();
    this.reconnected();
  }
}
