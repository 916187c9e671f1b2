/**
 * Parley's own presence agent (docs/DESIGN.md#direct-or-server-presence): answers SUBSCRIBE for our address of
 * record, from peers directly or relayed by the proxy, and keeps every watcher's NOTIFYs current.
 *
 *  - A SUBSCRIBE is checked (sip/subscription/subscribe-request.ts), its watcher looked up (authorization.ts): an
 *    unknown watcher is stored as pending and announced with a `watcher` event; the answer is 202
 *    for pending, 200 for allowed, with the granted Expires, followed at once by a NOTIFY.
 *  - A blocked watcher is answered 480, as if no device of ours were there: the bundled server
 *    then holds the SUBSCRIBE itself, exactly as for a user who is offline, so the watcher gets
 *    the same answer either way (docs/DESIGN.md#blocked-or-offline). Blocking a watcher who is
 *    subscribed ends their subscription as quitting does (below); re-subscribing brings the 480.
 *  - Each watcher sees what the policy says for them (notify-content.ts). Several watchers, and
 *    several subscriptions (devices) per watcher, are independent dialogs.
 *  - changed() is called for anything that may change what someone sees (status, schedule
 *    boundary, edits, authorization, wake-up). Changes are gathered for `coalesceMs` and then
 *    each subscription gets at most one NOTIFY, only if its own content changed; a subscription
 *    never has more than one NOTIFY in flight (sip/subscription/watcher-dialog.ts).
 *  - detach() (quit, account or network change) ends every subscription with a final NOTIFY,
 *    "terminated;reason=deactivated" (we may be back soon: re-subscribing will tell), carrying
 *    the offline document for allowed and blocked watchers, so they show us offline at once.
 */
import { randomBytes } from 'node:crypto';
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { Contact, Group, Watcher } from '../../../../shared/domain/presence.js';
import type { AccountConfig, ParleyEvent } from '../../../../shared/ipc.js';
import type { PresenceRepo } from '../../../storage/presence-repo.js';
import { waitAtMost, type Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import { groupPrecedence, offlineView, watcherView, type AudienceViews } from '../policy/index.js';
import { authorizationBook, authorizationOf, type AuthorizationBook } from './authorization.js';
import { notifyContent } from './notify-content.js';
import { checkSubscribe } from '../../../sip/subscription/subscribe-request.js';
import type { UserAgent } from '../../../sip/user-agent.js';
import { deviceTupleId } from '../../../sip/presence/index.js';
import {
  dialogStateFor,
  refuse as reply,
  WatcherDialog,
  type IncomingSubscribeRequest,
  type NotifyContent,
  type ReSubscribeUserAgentServer,
  type UserAgentCore,
  type TerminationReason,
  type WatcherDialogOwner,
} from '../../../sip/subscription/watcher-dialog.js';

/** Gathering window for bursts of changes. */
export const DEFAULT_COALESCE_MS = 150;
/** How long detach() waits for the final NOTIFYs to be answered. */
export const DEFAULT_DETACH_WAIT_MS = 2000;
/** Bounds on what strangers can make us hold (each subscription is a dialog and timers). */
export const MAX_SUBSCRIPTIONS = 1000;
export const MAX_SUBSCRIPTIONS_PER_WATCHER = 16;

export interface NotifierDeps {
  repo: PresenceRepo;
  /** The views in force now (status/presence-status.ts). */
  views(): AudienceViews;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** A watcher started a subscription (the subscriber side retries its own at once then). */
  onSubscribed?(aor: string): void;
  coalesceMs?: number;
  detachWaitMs?: number;
}

/** What the notifier needs of the live SIP identity (account/endpoint.ts's Endpoint). */
export interface NotifierEndpoint {
  readonly ua: UserAgent;
  readonly aor: string;
  readonly account: AccountConfig | undefined;
}

interface Served {
  core: UserAgentCore;
  ua: UserAgent;
  /** The entity of our documents: our address of record. */
  entity: string;
  /** With a registrar, the user part a relayed SUBSCRIBE's To must name; undefined = any (direct mode). */
  user: string | undefined;
  /** This device's tuple id (pidf-encode.ts deviceTupleId). */
  tupleId: string;
}

/** Everything a round of NOTIFYs reads, read once per round. */
interface Round {
  views: AudienceViews;
  book: AuthorizationBook;
  groups: Group[];
  contacts: Map<string, Contact>;
}

export class PresenceNotifier {
  private served: Served | undefined;
  private closing = false;
  private readonly dialogs = new Set<WatcherDialog>();
  private flushTimer: unknown;
  private flushArmed = false;
  private readonly owner: WatcherDialogOwner;

  constructor(private readonly deps: NotifierDeps) {
    this.owner = {
      clock: deps.clock,
      logger: deps.logger,
      contact: () => this.served?.ua.contact.toString() ?? '',
      onResubscribe: (dialog, request) => this.resubscribe(dialog, request),
      onExpired: (dialog) => dialog.terminate('timeout', this.contentFor(dialog, this.round())),
      onEnded: (dialog) => this.ended(dialog),
    };
  }

  /** Serve SUBSCRIBEs on this endpoint (after it started). */
  attach(endpoint: NotifierEndpoint): void {
    const account = endpoint.account;
    this.served = {
      core: endpoint.ua.userAgentCore,
      ua: endpoint.ua,
      entity: normalizeAddress(endpoint.aor),
      user: account?.proxy ? (endpoint.ua.configuration.uri.user ?? undefined) : undefined,
      tupleId: deviceTupleId(normalizeAddress(endpoint.aor), endpoint.ua.contact.uri.user ?? ''),
    };
    this.closing = false;
  }

  /** End every subscription with a final NOTIFY and stop serving (before the endpoint stops). */
  async detach(reason: TerminationReason = 'deactivated'): Promise<void> {
    this.closing = true;
    this.disarm();
    const served = this.served;
    if (served && this.dialogs.size > 0) {
      const round = this.round();
      const offline = notifyContent(served.entity, { source: 'profile', group: undefined, view: offlineView() }, served.tupleId);
      const open = [...this.dialogs];
      for (const dialog of open) {
        const pending = authorizationOf(round.book, dialog.watcher) === 'pending';
        dialog.terminate(reason, pending ? { state: 'pending', body: undefined } : offline);
      }
      await waitAtMost(
        this.deps.clock,
        Promise.all(open.map((dialog) => dialog.whenEnded)),
        this.deps.detachWaitMs ?? DEFAULT_DETACH_WAIT_MS,
      );
    }
    for (const dialog of [...this.dialogs]) dialog.end();
    this.served = undefined;
  }

  /** Something may have changed what some watcher sees: NOTIFY those it did, once the burst is over. */
  changed(): void {
    if (this.flushArmed || !this.served || this.closing) return;
    this.flushArmed = true;
    this.flushTimer = this.deps.clock.setTimeout(() => {
      this.flushArmed = false;
      this.flush();
    }, this.deps.coalesceMs ?? DEFAULT_COALESCE_MS);
  }

  /** Whether this watcher has a live subscription now. */
  isSubscribed(address: string): boolean {
    return this.countOf(normalizeAddress(address)) > 0;
  }

  private countOf(aor: string): number {
    let count = 0;
    for (const dialog of this.dialogs) if (dialog.watcher === aor) count++;
    return count;
  }

  /** An out-of-dialog SUBSCRIBE (endpoint.ts hands every one here). */
  onSubscribe(request: IncomingSubscribeRequest): void {
    try {
      this.subscribe(request);
    } catch (error) {
      // Bad network input must not take the process down; the watcher learns of it.
      this.deps.logger.warn('SUBSCRIBE failed', { error });
      reply(request, { ok: false, status: 500, reason: 'Server Internal Error', headers: [] });
    }
  }

  private subscribe(request: IncomingSubscribeRequest): void {
    const message = request.message;
    const served = this.served;
    if (!served || this.closing) {
      reply(request, { ok: false, status: 480, reason: 'Temporarily Unavailable', headers: [] });
      return;
    }
    if (served.user !== undefined && message.to.uri.user !== served.user) {
      reply(request, { ok: false, status: 404, reason: 'Not Found', headers: [] });
      return;
    }
    const decision = checkSubscribe({
      event: message.getHeader('event'),
      accept: message.getHeaders('accept'),
      expires: message.getHeader('expires'),
    });
    if (!decision.ok) {
      reply(request, decision);
      return;
    }
    const toTag = randomBytes(8).toString('hex');
    const state = dialogStateFor(message, toTag);
    if (!state) {
      reply(request, { ok: false, status: 400, reason: 'Missing Contact', headers: [] });
      return;
    }
    const watcher = normalizeAddress(message.from.uri.toString());
    if (this.dialogs.size >= MAX_SUBSCRIPTIONS || this.countOf(watcher) >= MAX_SUBSCRIPTIONS_PER_WATCHER) {
      reply(request, { ok: false, status: 503, reason: 'Too Many Subscriptions', headers: ['Retry-After: 600'] });
      return;
    }
    const round = this.round();
    const authorization = authorizationOf(round.book, watcher);
    if (authorization === 'blocked') {
      reply(request, { ok: false, status: 480, reason: 'Temporarily Unavailable', headers: [] });
      return;
    }
    const pending = authorization === 'pending';
    request.accept({
      statusCode: pending ? 202 : 200,
      toTag,
      extraHeaders: [
        // RFC 3261 §12.1.1: the response that makes a dialog carries the request's Record-Route.
        ...message.getHeaders('record-route').map((route) => `Record-Route: ${route}`),
        `Contact: ${this.owner.contact()}`,
        `Expires: ${decision.expires}`,
      ],
    });
    const dialog = new WatcherDialog(served.core, state, watcher, decision.eventId, this.owner);
    this.dialogs.add(dialog);
    this.recordWatcher(watcher, round.book);
    this.start(dialog, decision.expires, this.contentFor(dialog, round));
    this.deps.onSubscribed?.(watcher);
  }

  private resubscribe(dialog: WatcherDialog, request: ReSubscribeUserAgentServer): void {
    const message = request.message;
    const decision = checkSubscribe({
      event: message.getHeader('event'),
      accept: message.getHeaders('accept'),
      expires: message.getHeader('expires'),
    });
    if (!decision.ok || !dialog.isOpen || this.closing) {
      reply(request, decision.ok ? { ok: false, status: 481, reason: 'Subscription Does Not Exist', headers: [] } : decision);
      return;
    }
    request.accept({ statusCode: 200, extraHeaders: [`Contact: ${this.owner.contact()}`, `Expires: ${decision.expires}`] });
    const round = this.round();
    this.recordWatcher(dialog.watcher, round.book);
    this.start(dialog, decision.expires, this.contentFor(dialog, round));
    // A refresh is a sign of life too (a watcher who just allowed us refreshes at once).
    if (decision.expires > 0) this.deps.onSubscribed?.(dialog.watcher);
  }

  /** After an accepted SUBSCRIBE: the NOTIFY with the full state, or the final one for Expires: 0. */
  private start(dialog: WatcherDialog, expires: number, content: NotifyContent): void {
    if (expires === 0) {
      dialog.terminate('timeout', content);
      return;
    }
    if (this.isBlocked(dialog, this.round())) {
      dialog.terminate('deactivated', content);
      return;
    }
    dialog.refresh(expires);
    dialog.push(content, true);
  }

  private flush(): void {
    if (!this.served || this.closing || this.dialogs.size === 0) return;
    const round = this.round();
    for (const dialog of this.dialogs) {
      // A watcher blocked meanwhile sees us go, as when we quit (detach): the offline document
      // and "deactivated"; their next SUBSCRIBE is answered 480 and held by the server.
      if (this.isBlocked(dialog, round)) dialog.terminate('deactivated', this.contentFor(dialog, round));
      else dialog.push(this.contentFor(dialog, round));
    }
  }

  private isBlocked(dialog: WatcherDialog, round: Round): boolean {
    return authorizationOf(round.book, dialog.watcher) === 'blocked';
  }

  private round(): Round {
    const { repo } = this.deps;
    const contacts = repo.contacts();
    return {
      views: this.deps.views(),
      book: authorizationBook(repo.watchers(), contacts),
      groups: repo.groups(),
      contacts: new Map(contacts.map((contact) => [normalizeAddress(contact.aor), contact])),
    };
  }

  private contentFor(dialog: WatcherDialog, round: Round): NotifyContent {
    const authorization = authorizationOf(round.book, dialog.watcher);
    const decided = watcherView(round.views, authorization, groupPrecedence(round.contacts.get(dialog.watcher), round.groups));
    return notifyContent(this.served?.entity ?? '', decided, this.served?.tupleId);
  }

  /** Store the watcher's subscription (a stranger as pending, a roster contact as allowed). */
  private recordWatcher(aor: string, book: AuthorizationBook): void {
    const watcher: Watcher = {
      aor: book.watchers.get(aor)?.aor ?? aor,
      status: authorizationOf(book, aor),
      source: 'direct',
      subscribed: true,
      lastSeen: this.deps.clock.now(),
    };
    this.deps.repo.saveWatcher(watcher);
    this.deps.emit({ type: 'watcher', watcher });
  }

  private ended(dialog: WatcherDialog): void {
    this.dialogs.delete(dialog);
    if (this.isSubscribed(dialog.watcher)) return;
    const stored = this.deps.repo.watchers().find((watcher) => normalizeAddress(watcher.aor) === dialog.watcher);
    if (!stored?.subscribed) return;
    const watcher = { ...stored, subscribed: false };
    this.deps.repo.saveWatcher(watcher);
    this.deps.emit({ type: 'watcher', watcher });
  }

  private disarm(): void {
    if (this.flushArmed) this.deps.clock.clearTimeout(this.flushTimer);
    this.flushArmed = false;
  }
}
