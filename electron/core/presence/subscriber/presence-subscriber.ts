/**
 * Watching buddies (docs/DESIGN.md#watching-others): one presence subscription per contact, made
 * when the account is registered (or works directly), made again after every reconnect, added and
 * removed as the roster changes, and each buddy's state emitted as a `buddy` event.
 *
 * How it is driven (see parley-core.ts):
 *   attach(endpoint) / detach()   the endpoint's lifetime (account set, changed, removed, quit);
 *                                 detach un-SUBSCRIBEs and settles once the notifiers' final
 *                                 NOTIFYs are answered (at most CLOSE_WAIT_MS);
 *   setContacts(contacts)         the roster, at start and on every `roster` event;
 *   onRegistration(state)         subscribing starts once registered (or in direct mode);
 *   reconnected()                 the flow or the server was reset: refresh everything now;
 *   peerIsAlive(aor)              PUBLIC, for the notifier and the messaging side: that buddy just
 *                                 subscribed to us or sent us a MESSAGE, so they are online: a
 *                                 subscription to them that is retrying, or has lapsed, goes now;
 *                                 an active one whose dialogs sent no state is refreshed now.
 *   refresh(aor)                  PUBLIC: refresh the subscription to that buddy now.
 *   listWritten()                 the contact list is on the server now (core/presence/roster-sync):
 *                                 a resource list the server refused before is tried once more.
 *
 * Resource lists (docs/DESIGN.md#resource-lists): attached with a list URI, one SUBSCRIBE goes to
 * the whole list (list-subscription.ts) and the buddies' own SUBSCRIBEs wait for its answer; the
 * buddies it covers are fed from its NOTIFYs and show its state, the others (not in the list yet)
 * are watched one by one; if the server refuses the list, every buddy is watched by itself.
 *
 * Scale: 5,000 buddies share one DueQueue (one timer, work in batches per event-loop turn), events
 * are gathered for `debounceMs` so a burst of NOTIFYs for one buddy is one event and emitted at
 * most TURN_BATCH per turn, roster changes are applied once per turn with a set difference (no
 * O(n²) over the roster) and a big roster is added TURN_BATCH per turn, and at most SUBSCRIBES_IN_FLIGHT
 * initial SUBSCRIBEs is unanswered at once (subscribe-pacing.ts), so the server is not flooded.
 */
import type { BuddyPresence, Contact } from '../../../../shared/domain/presence.js';
import { normalizeAddress } from '../../../../shared/domain/address.js';
import type { ParleyEvent, RegistrationState } from '../../../../shared/ipc.js';
import { PIDF_CONTENT_TYPE } from '../../../sip/presence/index.js';
import { sipUri, type URI, type UserAgent } from '../../../sip/user-agent.js';
import { waitAtMost, type Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import { Buddy } from './buddy.js';
import { DueQueue } from './due-queue.js';
import { CLOSE_WAIT_MS, EventSubscription, type SubscriptionContext } from './event-subscription.js';
import { ListSubscription, type ListOwner } from './list-subscription.js';
import { OnlineGate } from './online-gate.js';
import { SubscribePacing } from './subscribe-pacing.js';
import { TurnBatches } from './turn-batches.js';

/** Seconds asked for: an hour, Kamailio's max_expires; refreshes then come at 45–54 min. */
export const PRESENCE_EXPIRES = 3600;
export const BUDDY_DEBOUNCE_MS = 100;
/**
 * At most this many buddies are emitted, or added to the watch list, per event-loop turn: a
 * gathered burst of 5,000 buddy events (or a roster of 5,000 at start) done in one turn keeps the
 * main loop from everything else (NOTIFYs, the UI's IPC) for ~100 ms.
 */
export const TURN_BATCH = 250;

export interface PresenceSubscriberDeps {
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  random?: () => number;
  expires?: number;
  debounceMs?: number;
  /** Buddies emitted or added per event-loop turn (default TURN_BATCH). */
  turnBatch?: number;
  /** Initial SUBSCRIBEs awaiting an answer at once (default SUBSCRIBES_IN_FLIGHT). */
  subscribesInFlight?: number;
}

/** What the subscriber needs of an endpoint (electron/core/account/endpoint.ts). */
export interface SubscribingEndpoint {
  ua: UserAgent;
  aor: string;
}

export class PresenceSubscriber {
  private readonly buddies = new Map<string, Buddy>();
  private readonly keys = new Map<string, string>();
  /** Contacts whose address is not a SIP URI (told once, not parsed again on every pass). */
  private readonly unwatchable = new Set<string>();
  private contacts: readonly Contact[] = [];
  /** Contacts of the roster not yet watched, by key, the next one last; undefined: compare again. */
  private toAdd: [string, Contact][] | undefined;
  private context: SubscriptionContext | undefined;
  private ownAor = '';
  /** Registered, or working directly without a registrar. */
  private readonly gate = new OnlineGate(new Set(['registered', 'direct']));
  private rosterQueued = false;
  private readonly dirty = new Set<Buddy>();
  private readonly lastEmitted = new WeakMap<Buddy, string>();
  /** Emits the gathered buddies, after the debounce. */
  private readonly flushing: TurnBatches;
  /** Adds what is left of a big roster on the next turns. */
  private readonly syncing: TurnBatches;
  /** The resource list this endpoint subscribes to, if any (its URI, and the subscription once made). */
  private listTarget: URI | undefined;
  private list: ListSubscription | undefined;
  /** The list was refused, and tried again once the list was written: not again on this endpoint. */
  private listRetried = false;
  /** The roster sync has written the list to the server on this endpoint. */
  private listOnServer = false;
  /** Buddies whose own SUBSCRIBE waits for the list's first answer (it may cover them). */
  private readonly held = new Set<Buddy>();

  constructor(private readonly deps: PresenceSubscriberDeps) {
    const batch = deps.turnBatch ?? TURN_BATCH;
    this.flushing = new TurnBatches(deps.clock, batch, (budget) => this.flush(budget));
    this.syncing = new TurnBatches(deps.clock, batch, (budget) => this.sync(budget));
  }

  /**
   * A new endpoint: subscriptions are bound to its user agent, so they are made anew. `list`: the
   * URI of our contact list at the server's resource list server, when we keep one there.
   */
  attach(endpoint: SubscribingEndpoint, list?: string): void {
    void this.detach();
    const self = sipUri(endpoint.aor);
    if (!self) return;
    const queue = new DueQueue(this.deps.clock, (error) => this.deps.logger.warn('presence timer failed', { error }));
    this.context = {
      core: endpoint.ua.userAgentCore,
      self,
      clock: this.deps.clock,
      queue,
      logger: this.deps.logger,
      random: this.deps.random ?? Math.random,
      pacing: new SubscribePacing(this.deps.subscribesInFlight),
    };
    this.ownAor = normalizeAddress(endpoint.aor);
    this.toAdd = undefined;
    this.gate.reset();
    this.listTarget = list ? sipUri(list) : undefined;
    this.listRetried = false;
    this.listOnServer = false;
    if (this.listTarget)
      this.list = new ListSubscription(this.context, this.listTarget, this.deps.expires ?? PRESENCE_EXPIRES, this.listOwner);
    this.applyRoster();
  }

  /** PUBLIC: our list is on the server now; one the server refused (not there yet?) is tried again. */
  listWritten(): void {
    this.listOnServer = true;
    this.retryList();
  }

  /** Once per endpoint, after the list was written: a refusal may have come before it was there. */
  private retryList(): void {
    const context = this.context;
    if (!context || this.list || !this.listTarget || this.listRetried || !this.listOnServer) return;
    this.listRetried = true;
    this.list = new ListSubscription(context, this.listTarget, this.deps.expires ?? PRESENCE_EXPIRES, this.listOwner);
    if (this.gate.hasStarted) this.list.subscription.startSoon();
  }

  private readonly listOwner: ListOwner = {
    covered: (aors, settled) => {
      const list = this.list;
      if (!list) return;
      for (const [key, buddy] of [...this.buddies]) {
        if (aors.has(key) && !buddy.listed) {
          this.held.delete(buddy);
          buddy.subscription.stop();
          buddy.listed = list.subscription;
          this.markDirty(buddy);
        } else if (settled && !aors.has(key) && buddy.listed) this.unlist(key, buddy);
      }
      // while a split full state may still name them, the buddies not named yet keep waiting
      if (settled) this.releaseHeld();
    },
    document: (aor, key, body) => {
      const buddy = this.buddies.get(aor);
      if (buddy?.listed) buddy.onNotify(key, body);
    },
    ended: (aor, key) => {
      const buddy = this.buddies.get(aor);
      if (buddy?.listed) buddy.onDialogEnded(key);
    },
    changed: () => {
      for (const buddy of this.buddies.values()) if (buddy.listed) this.markDirty(buddy);
      // no answer from the list for now (retrying): the buddies waiting for it go by themselves
      if (this.list && this.list.subscription.state === 'retrying') this.releaseHeld();
    },
    fallback: () => {
      this.list = undefined;
      for (const [key, buddy] of [...this.buddies]) if (buddy.listed) this.unlist(key, buddy);
      this.releaseHeld();
      this.retryList();
    },
  };

  /** The list no longer covers this buddy: it is watched by itself again (a fresh subscription). */
  private unlist(key: string, buddy: Buddy): void {
    buddy.listed = undefined;
    this.buddies.delete(key);
    this.dirty.delete(buddy);
    this.toAdd = undefined;
    this.syncing.schedule(0);
  }

  /** The buddies waiting for the list's answer subscribe by themselves now. */
  private releaseHeld(): void {
    if (!this.gate.hasStarted) return;
    for (const buddy of this.held) if (!buddy.listed && this.buddies.get(this.keyOf(buddy.aor)) === buddy) buddy.subscription.startSoon();
    this.held.clear();
  }

  /** Whether a buddy's own SUBSCRIBE waits: the list has not answered yet, or its full state is still coming. */
  private get holding(): boolean {
    return this.list !== undefined && (this.list.subscription.state === 'none' || this.list.isSettling);
  }

  /** Start a buddy's own subscription, or hold it for the list's answer. */
  private startBuddy(buddy: Buddy): void {
    if (buddy.listed) return;
    if (this.holding) this.held.add(buddy);
    else buddy.subscription.startSoon();
  }

  /**
   * Un-SUBSCRIBE everything and let go of the endpoint; what was shown is no longer known. Settles
   * once every notifier's final NOTIFY has been answered 200 (RFC 6665 §4.1.2.3), or after
   * CLOSE_WAIT_MS: the endpoint must still be there to answer them.
   */
  async detach(): Promise<void> {
    const context = this.context;
    if (!context) return;
    this.context = undefined;
    this.gate.reset();
    const list = this.list;
    this.list = undefined;
    this.listTarget = undefined;
    this.held.clear();
    list?.stop();
    const subscriptions = [...this.buddies.values()].map((buddy) => buddy.subscription);
    if (list) subscriptions.push(list.subscription);
    for (const buddy of this.buddies.values()) {
      buddy.subscription.stop();
      if (this.lastEmitted.has(buddy))
        this.deps.emit({ type: 'buddy', buddy: { aor: buddy.aor, view: null, subscription: 'none', stale: false } });
    }
    this.buddies.clear();
    await waitAtMost(this.deps.clock, Promise.all(subscriptions.map((subscription) => subscription.closed())), CLOSE_WAIT_MS);
    for (const subscription of subscriptions) subscription.letGo();
    context.queue.stop();
  }

  /** The roster: applied once per event-loop turn, however many roster events came in it. */
  setContacts(contacts: readonly Contact[]): void {
    this.contacts = contacts;
    this.toAdd = undefined;
    this.unwatchable.clear();
    if (this.rosterQueued) return;
    this.rosterQueued = true;
    queueMicrotask(() => {
      this.rosterQueued = false;
      this.applyRoster();
    });
  }

  onRegistration(state: RegistrationState['state']): void {
    const step = this.gate.update(state);
    if (step === 'start') {
      this.list?.subscription.startSoon();
      for (const buddy of this.buddies.values()) this.startBuddy(buddy);
    } else if (step === 'reconnect') this.reconnected();
  }

  /** The flow to the server or the server itself was reset (or we woke): refresh every subscription now. */
  reconnected(): void {
    if (!this.gate.hasStarted) return;
    this.list?.subscription.refreshNow();
    for (const buddy of this.buddies.values()) if (!buddy.listed) buddy.subscription.refreshNow();
  }

  /**
   * PUBLIC (for the notifier and messaging): `aor` just subscribed to our presence or sent us a
   * MESSAGE, so they are reachable now. If we watch them and that subscription is retrying or has
   * lapsed, it is made again at once instead of waiting out its back-off.
   */
  peerIsAlive(aor: string): void {
    if (!this.gate.hasStarted) return;
    const buddy = this.buddies.get(normalizeAddress(aor));
    if (!buddy || buddy.listed) return;
    // An active subscription whose dialogs have told us nothing is one a server holds for a buddy
    // who was offline or blocked us (docs/DESIGN.md#held-subscriptions): refreshed, the server
    // answers 481 and the new SUBSCRIBE reaches the buddy's device. (Not a pending one: two
    // Parleys waiting for each other's answer would refresh each other without end.) One that is
    // retrying goes again now.
    if (buddy.subscription.state === 'active' && !buddy.spoken) buddy.subscription.refreshNow();
    buddy.subscription.retryNow();
  }

  /** Refresh our subscription to this buddy now (a sign of life to them: see PresenceService). */
  refresh(aor: string): void {
    if (!this.gate.hasStarted) return;
    const buddy = this.buddies.get(normalizeAddress(aor));
    if (buddy && !buddy.listed) buddy.subscription.refreshNow();
  }

  /** Every watched buddy's state now (for the snapshot). */
  presences(): BuddyPresence[] {
    return [...this.buddies.values()].map((buddy) => buddy.presence());
  }

  private applyRoster(): void {
    if (this.sync()) this.syncing.schedule(0);
  }

  /**
   * Makes the watch list match the roster: removals at once, additions at most a turn batch per
   * turn (each needs a URI parsed and a subscription built), the rest on the following turns.
   */
  private sync(budget = this.deps.turnBatch ?? TURN_BATCH): boolean {
    this.syncing.cancel(); // this pass is the one that runs now
    const context = this.context;
    if (!context) return false;
    if (!this.toAdd) this.compare();
    const toAdd = this.toAdd!;
    let added = 0;
    while (toAdd.length > 0) {
      const [key, contact] = toAdd[toAdd.length - 1]!;
      if (this.buddies.has(key) || this.unwatchable.has(contact.aor)) {
        toAdd.pop();
        continue;
      }
      if (added++ >= budget) return true;
      toAdd.pop();
      const target = sipUri(contact.aor);
      if (!target) {
        this.unwatchable.add(contact.aor);
        this.deps.logger.info('contact is not a SIP address; not watched', { aor: contact.aor.slice(0, 128) });
        continue;
      }
      const buddy = this.watch(context, contact, target);
      this.buddies.set(key, buddy);
      if (this.gate.hasStarted) this.startBuddy(buddy);
    }
    return false;
  }

  /**
   * Once per roster change (not once per pass: a 5,000-contact roster is added in 20 passes):
   * stop watching who left the roster, and list who is to be added, first contact last (taken from
   * the end).
   */
  private compare(): void {
    const wanted = new Map<string, Contact>();
    for (const contact of this.contacts) {
      const key = this.keyOf(contact.aor);
      if (key !== this.ownAor) wanted.set(key, contact);
    }
    for (const [key, buddy] of this.buddies) {
      if (wanted.has(key)) continue;
      buddy.subscription.stop();
      this.buddies.delete(key);
      this.dirty.delete(buddy);
      this.held.delete(buddy);
    }
    this.toAdd = [...wanted].filter(([key]) => !this.buddies.has(key)).reverse();
  }

  /** normalizeAddress, remembered: a roster event carries every contact, and 5,000 regex runs per event add up. */
  private keyOf(aor: string): string {
    let key = this.keys.get(aor);
    if (key === undefined) {
      if (this.keys.size > 4 * Math.max(1024, this.contacts.length)) this.keys.clear();
      key = normalizeAddress(aor);
      this.keys.set(aor, key);
    }
    return key;
  }

  private watch(context: SubscriptionContext, contact: Contact, target: URI): Buddy {
    const buddy = new Buddy(
      contact.aor,
      () => this.deps.clock.now(),
      this.deps.logger,
      (b) => this.markDirty(b),
    );
    buddy.subscription = new EventSubscription(
      context,
      { target, peer: contact.aor, event: 'presence', accept: PIDF_CONTENT_TYPE, expires: this.deps.expires ?? PRESENCE_EXPIRES },
      buddy,
    );
    return buddy;
  }

  private markDirty(buddy: Buddy): void {
    this.dirty.add(buddy);
    this.flushing.schedule(this.deps.debounceMs ?? BUDDY_DEBOUNCE_MS);
  }

  /** Emits up to `budget` gathered buddies (in the order they changed); true when some are left. */
  private flush(budget: number): boolean {
    let handled = 0;
    for (const buddy of this.dirty) {
      if (handled++ >= budget) return true;
      this.dirty.delete(buddy);
      if (this.buddies.get(this.keyOf(buddy.aor)) !== buddy) continue;
      const presence = buddy.presence();
      const text = JSON.stringify(presence);
      if (this.lastEmitted.get(buddy) === text) continue;
      this.lastEmitted.set(buddy, text);
      this.deps.emit({ type: 'buddy', buddy: presence });
    }
    return false;
  }

  /** Quit: stop the debounce and roster timers too. */
  stop(): void {
    void this.detach();
    this.flushing.cancel();
    this.syncing.cancel();
  }
}
