/**
 * One RFC 6665 subscription of ours (to a buddy's presence, or to our own presence.winfo): when to
 * subscribe, refresh and try again, and what each answer means. The SIP is in electron/sip: the
 * dialogs, their refresh times and the SUBSCRIBE requests (sip/subscription/subscriber-dialogs.ts),
 * and the routing shim that brings us every NOTIFY of our SUBSCRIBE, whatever its From tag
 * (sip/subscription/notify-route.ts). Built on sip.js's core rather than its Subscriber API or
 * SubscribeUserAgentClient, because those:
 *   - install one dialog per SUBSCRIBE and answer 481 to the NOTIFYs of every other fork, while a
 *     proxy that relays our SUBSCRIBE to each of a buddy's devices (direct presence) must give
 *     one dialog per device, all composed into one state (RFC 6665 §4.1.4, §5.4.9);
 *   - run a setTimeout per dialog on Date.now (5,000 buddies = 5,000 timers, all due at the same
 *     moment after start-up, and untestable with an injected clock).
 *
 * States (shared/domain/presence.ts SubscriptionState):
 *   none ──SUBSCRIBE──2xx──> (202: pending) ──NOTIFY pending──> pending ──NOTIFY active──> active
 *   active|pending ──every dialog terminated / expired / 481──> retrying ──(at once or back-off)──> SUBSCRIBE
 *   any ──rejected, noresource, 403, 404 ...──> failed (not retried by itself)
 * Each dialog is refreshed on its own at 75–90 % of its time (subscriber-dialogs.ts). A dialog
 * that runs out unrefreshed is dropped: the owner then marks what it said as stale.
 *
 * Ending it (stop): an un-SUBSCRIBE (Expires: 0) in each dialog. RFC 6665 §4.1.2.3: the notifier
 * answers with a final NOTIFY (Subscription-State: terminated), which is still part of the dialog
 * and is answered 200. So each un-SUBSCRIBEd dialog lingers until its terminating NOTIFY comes, its
 * un-SUBSCRIBE is refused (then none will come), or CLOSING_MS pass; `closed()` tells when.
 */
import type { SubscriptionState } from '../../../../shared/domain/presence.js';
import { sameReason, type Reason } from '../../../../shared/domain/reason.js';
import type { Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import type { DueOwner, DueQueue } from './due-queue.js';
import { afterFailure, afterTermination, presenceBackoff, type RetryDecision } from './retry-policy.js';
import { NotifyRoute, type IncomingNotifyRequest } from '../../../sip/subscription/notify-route.js';
import {
  replyToNotify as reply,
  SubscriberDialogs,
  TIMER_N_MS,
  type IncomingResponse,
  type NotifyBody,
  type OutgoingRequestDelegate,
  type UserAgentCore,
  type SubscriberDialog as Dialog,
} from '../../../sip/subscription/subscriber-dialogs.js';
import { deltaSeconds } from '../../../sip/subscription/subscription-state.js';
import type { URI } from '../../../sip/user-agent.js';
import type { SubscribePacing, PacedClient } from './subscribe-pacing.js';

/**
 * How long a subscription we ended still answers its last NOTIFYs (so they get 200, not 481): the
 * un-SUBSCRIBE's own transaction may take Timer F (64 × T1) before the notifier sends its final NOTIFY.
 */
const CLOSING_MS = TIMER_N_MS;
/**
 * How long going away (the endpoint is about to stop) waits for the final NOTIFYs of its
 * un-SUBSCRIBEs: a live notifier sends them right after its 200, and quitting must not hang on
 * one that is gone. The same bound as the notifier's own final NOTIFYs on detach.
 */
export const CLOSE_WAIT_MS = 2000;
/** 423 answers followed in a row before giving up (a notifier that keeps raising is broken). */
const MAX_INTERVAL_RETRIES = 3;

/** What every subscription of one endpoint shares. */
export interface SubscriptionContext {
  core: UserAgentCore;
  /** Our address of record (From of every SUBSCRIBE). */
  self: URI;
  clock: Clock;
  queue: DueQueue;
  logger: Logger;
  random: () => number;
  /** Limits the initial SUBSCRIBEs waiting for an answer (subscribe-pacing.ts); none = no limit. */
  pacing?: SubscribePacing;
}

export interface SubscriptionListener {
  /** A NOTIFY of dialog `dialog` (the notifier's tag) carried this body. */
  onNotify(dialog: string, body: NotifyBody): void;
  /** That dialog ended (terminated, 481, ran out): what it said no longer speaks. */
  onDialogEnded(dialog: string): void;
  /** State, reason or liveness changed. */
  onChange(): void;
}

export interface EventSubscriptionOptions {
  target: URI;
  /** The watched address, as its reasons name it (the screen shows the contact's name for it). */
  peer: string;
  event: string;
  accept: string;
  /** Seconds asked for. */
  expires: number;
  /** More header lines for every SUBSCRIBE (a resource list subscription's "Supported: eventlist"). */
  extraHeaders?: readonly string[];
}

export class EventSubscription implements DueOwner {
  private _state: SubscriptionState = 'none';
  private _reason: Reason | undefined;
  private running = false;
  private expires: number;
  private generation = 0;
  private inFlight = false;
  /** The dialogs of the current attempt, and its SUBSCRIBE requests. */
  private readonly dialogs: SubscriberDialogs;
  private attempt = 0;
  private intervalRetries = 0;
  private retryAt: number | undefined;
  private notifyDeadline: number | undefined;
  private closingUntil: number | undefined;
  /** Dialogs we un-SUBSCRIBEd (their tags) whose terminating NOTIFY has not come yet. */
  private readonly closing = new Set<string>();
  /** Told once no un-SUBSCRIBEd dialog waits any more (see closed()). */
  private closedWaiters: (() => void)[] = [];
  private readonly route: NotifyRoute;
  /** Waiting in the pacing queue for a slot to send the initial SUBSCRIBE. */
  private queued = false;
  /** This attempt holds a pacing slot (until its SUBSCRIBE has a final answer or is left). */
  private holdsSlot = false;
  private readonly pacedClient: PacedClient = { proceed: () => this.proceed() };

  constructor(
    private readonly context: SubscriptionContext,
    private readonly options: EventSubscriptionOptions,
    private readonly listener: SubscriptionListener,
  ) {
    this.expires = options.expires;
    this.dialogs = new SubscriberDialogs({ ...options, core: context.core, self: context.self, random: context.random });
    this.route = new NotifyRoute(context.core, (uas) => this.onNotify(uas));
  }

  get state(): SubscriptionState {
    return this._state;
  }

  get reason(): Reason | undefined {
    return this._reason;
  }

  /** Whether some dialog is established and within its time: what it said can be trusted. */
  get live(): boolean {
    return this.dialogs.size > 0;
  }

  /** Subscribe (again) now. */
  start(): void {
    this.running = true;
    this.attempt = 0;
    this.begin();
  }

  /** Subscribe on one of the queue's next turns: thousands started at once are spread over turns. */
  startSoon(): void {
    this.running = true;
    this.attempt = 0;
    this.retryAt = this.context.clock.now();
    this.reschedule();
  }

  /**
   * The flow or the server came back, or the machine woke: refresh every dialog now (one the
   * server forgot answers 481 and is made again); a subscription waiting to retry goes now.
   */
  refreshNow(): void {
    if (!this.running || this._state === 'failed') return;
    const now = this.context.clock.now();
    if (this.dialogs.size === 0) {
      if (!this.inFlight) this.retryAt = now;
    } else for (const dialog of this.dialogs.values()) dialog.refreshAt = now;
    this.reschedule();
  }

  /**
   * The watched party shows signs of life (it subscribed to us, or sent us a MESSAGE): a
   * subscription that is retrying, or has no live dialog, tries again at once.
   */
  retryNow(): void {
    if (!this.running || this.inFlight || this.dialogs.size > 0) return;
    if (this._state === 'failed') return;
    this.attempt = 0;
    this.begin();
  }

  /**
   * Un-SUBSCRIBE (Expires: 0) every dialog. Each lingers until its terminating NOTIFY (answered 200)
   * or CLOSING_MS; other late NOTIFYs of the attempt get 481.
   */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.generation++;
    this.leavePacing();
    this.retryAt = undefined;
    this.notifyDeadline = undefined;
    for (const dialog of this.dialogs.values()) {
      this.closing.add(dialog.tag);
      // Refused (481: the notifier forgot it, 408: no answer): no final NOTIFY will come.
      this.sendInDialog(dialog, 0, { onReject: () => this.closedDialog(dialog.tag) });
    }
    const lingers = this.dialogs.size > 0 || this.inFlight;
    this.dialogs.clear();
    this.inFlight = false;
    this.setState('none', undefined);
    if (lingers) {
      this.closingUntil = this.context.clock.now() + CLOSING_MS;
      this.reschedule();
    } else this.dispose();
  }

  /** Settles once no dialog we un-SUBSCRIBEd waits for its terminating NOTIFY (at once when none does). */
  closed(): Promise<void> {
    if (this.closing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  /** An un-SUBSCRIBEd dialog is over (its terminating NOTIFY came, or none will). */
  private closedDialog(tag: string): void {
    // The last one: nothing is left to answer (sip.js's core answers any later NOTIFY 481 itself).
    if (this.closing.delete(tag) && this.closing.size === 0) this.dispose();
  }

  private settleClosed(): void {
    for (const resolve of this.closedWaiters.splice(0)) resolve();
  }

  /**
   * The owner lets go (after waiting CLOSE_WAIT_MS for closed()): a dialog still waiting for its
   * terminating NOTIFY keeps answering it 200 until CLOSING_MS after stop(), on the clock, as the
   * owner's queue stops. A notifier slower than the wait (a loaded server) would otherwise get 481
   * for a NOTIFY that arrives while the endpoint is still there (the rest of going away, or for
   * good when only presence was detached).
   */
  letGo(): void {
    if (this.closing.size === 0 || this.closingUntil === undefined) return this.dispose();
    const timer = this.context.clock.setTimeout(() => this.dispose(), Math.max(0, this.closingUntil - this.context.clock.now()));
    // Never what keeps a quitting process alive.
    (timer as { unref?: () => void } | undefined)?.unref?.();
  }

  /** Forget everything without sending (the endpoint is going away). */
  dispose(): void {
    this.running = false;
    this.generation++;
    this.leavePacing();
    this.dialogs.clear();
    this.closing.clear();
    this.closingUntil = undefined;
    this.unroute();
    this.context.queue.cancel(this);
    this.settleClosed();
  }

  wake(now: number): void {
    if (this.closingUntil !== undefined && now >= this.closingUntil) {
      this.dispose();
      return;
    }
    if (!this.running) return;
    if (this.retryAt !== undefined && now >= this.retryAt) {
      this.retryAt = undefined;
      this.begin();
      return;
    }
    if (this.notifyDeadline !== undefined && now >= this.notifyDeadline && this.dialogs.size === 0) {
      this.notifyDeadline = undefined;
      this.decide({ kind: 'later', reason: { code: 'subscription.no-notify', params: { peer: this.options.peer } } });
      return;
    }
    let ended = false;
    for (const dialog of [...this.dialogs.values()]) {
      if (now >= dialog.expiresAt) {
        this.endDialog(dialog);
        ended = true;
      } else if (now >= dialog.refreshAt && !dialog.refreshing) this.refresh(dialog);
    }
    if (ended && this.dialogs.size === 0) {
      this.decide({ kind: 'later', delayMs: 0, reason: { code: 'subscription.refresh-late', params: { peer: this.options.peer } } });
      return;
    }
    this.reschedule();
  }

  /**
   * A new subscription: new Call-ID and From tag, new dialogs. The SUBSCRIBE goes now, or when the
   * pacing (if any) has a slot; meanwhile the subscription counts as in flight.
   */
  private begin(): void {
    if (!this.running) return;
    this.unroute();
    this.endAll();
    this.retryAt = undefined;
    this.notifyDeadline = undefined;
    this.dialogs.forgetGrant();
    this.releaseSlot(); // the previous attempt's answer no longer matters
    ++this.generation;
    if (this._state !== 'none' && this._state !== 'pending') this.setState('retrying', this._reason);
    this.inFlight = true;
    const pacing = this.context.pacing;
    if (this.queued) return; // already waiting: this attempt goes when the slot comes
    if (pacing && !pacing.enter(this.pacedClient)) {
      this.queued = true;
      return;
    }
    this.holdsSlot = pacing !== undefined;
    this.send();
  }

  /** The pacing gave us a slot. */
  private proceed(): void {
    this.queued = false;
    this.holdsSlot = true;
    if (this.running && this.inFlight) this.send();
    else this.releaseSlot();
  }

  private send(): void {
    const generation = this.generation;
    try {
      const request = this.dialogs.initialRequest(this.expires);
      const { callId, fromTag } = this.dialogs.ids;
      this.route.route(callId, fromTag, this.options.event);
      const answered = () => this.releaseSlot();
      this.context.core.request(
        request,
        this.responses(
          generation,
          (response) => (answered(), this.initialAccepted(response)),
          (response) => (answered(), this.initialRejected(response)),
        ),
      );
    } catch (error) {
      this.releaseSlot();
      this.inFlight = false;
      this.context.logger.warn('SUBSCRIBE could not be sent', { error, event: this.options.event });
      this.decide({ kind: 'later', reason: { code: 'subscription.not-sent', params: { peer: this.options.peer } } });
    }
  }

  private initialAccepted(response: IncomingResponse): void {
    this.inFlight = false;
    this.intervalRetries = 0;
    const now = this.context.clock.now();
    this.dialogs.initialAccepted(response, this.expires, now);
    if (this.dialogs.size === 0) {
      if (response.message.statusCode === 202) this.setState('pending', undefined);
      this.notifyDeadline = now + TIMER_N_MS;
    }
    this.reschedule();
  }

  private initialRejected(response: IncomingResponse): void {
    this.inFlight = false;
    const message = response.message;
    const status = message.statusCode ?? 500;
    if (status === 423 && this.raiseInterval(message.getHeader('min-expires'))) {
      this.begin();
      return;
    }
    this.decide(afterFailure(this.options.peer, status, message.reasonPhrase, deltaSeconds(message.getHeader('retry-after'))));
  }

  private refresh(dialog: Dialog): void {
    dialog.refreshing = true;
    const generation = this.generation;
    this.sendInDialog(
      dialog,
      this.expires,
      this.responses(
        generation,
        (response) => {
          dialog.refreshing = false;
          dialog.failures = 0;
          this.intervalRetries = 0;
          if (this.dialogs.get(dialog.tag) !== dialog) return;
          this.dialogs.refreshAccepted(dialog, response, this.expires, this.context.clock.now());
          this.reschedule();
        },
        (response) => {
          dialog.refreshing = false;
          if (this.dialogs.get(dialog.tag) !== dialog) return;
          const message = response.message;
          const status = message.statusCode ?? 500;
          const now = this.context.clock.now();
          if (status === 423 && this.raiseInterval(message.getHeader('min-expires'))) {
            dialog.refreshAt = now;
            this.reschedule();
            return;
          }
          const decision = afterFailure(this.options.peer, status, message.reasonPhrase, deltaSeconds(message.getHeader('retry-after')));
          if (decision.kind === 'later') {
            // Keep trying within the dialog's time; once it runs out, wake() starts anew.
            const left = dialog.expiresAt - now;
            dialog.refreshAt =
              now + Math.min(decision.delayMs ?? presenceBackoff(dialog.failures++, this.context.random), Math.max(500, left / 2));
            this.setState(this._state, decision.reason);
            this.reschedule();
            return;
          }
          this.endDialog(dialog);
          if (this.dialogs.size === 0) this.decide(decision);
          else this.reschedule();
        },
      ),
    );
  }

  private onNotify(uas: IncomingNotifyRequest): void {
    const checked = this.dialogs.check(uas);
    if (!checked) return;
    const { header, tag, body } = checked;
    const dialog = checked.dialog;

    if (!this.running) {
      // A dialog we un-SUBSCRIBEd takes its NOTIFYs until the terminating one (RFC 6665 §4.1.2.3);
      // any other NOTIFY of a subscription we ended gets 481, which ends it at the notifier (§4.1.3).
      if (header.state !== 'terminated' && !this.closing.has(tag)) return reply(uas, 481);
      reply(uas, 200);
      if (header.state === 'terminated') this.closedDialog(tag);
      return;
    }
    if (header.state === 'terminated') {
      reply(uas, 200);
      if (body) this.safely(() => this.listener.onNotify(tag, body));
      if (dialog) this.endDialog(dialog);
      if (this.dialogs.size > 0) {
        this.reschedule();
        this.changed();
        return;
      }
      this.inFlight = false;
      this.decide(afterTermination(this.options.peer, header.reason, header.retryAfter));
      return;
    }
    if (!this.dialogs.admit(uas.message, checked, this.expires, this.context.clock.now())) return reply(uas, 400);
    this.notifyDeadline = undefined;
    this.attempt = 0;
    reply(uas, 200);
    // A pending subscription carries no real state (the notifier sends a neutral document).
    if (body && header.state === 'active') this.safely(() => this.listener.onNotify(tag, body));
    const active = [...this.dialogs.values()].some((d) => d.state === 'active');
    this.setState(active ? 'active' : 'pending', undefined);
    this.reschedule();
  }

  /** Every dialog ends (the owner drops what they said). */
  private endAll(): void {
    for (const dialog of [...this.dialogs.values()]) this.endDialog(dialog);
  }

  private endDialog(dialog: Dialog): void {
    if (this.dialogs.get(dialog.tag) !== dialog) return;
    this.dialogs.delete(dialog.tag);
    this.safely(() => this.listener.onDialogEnded(dialog.tag));
  }

  private decide(decision: RetryDecision): void {
    if (!this.running) return;
    const now = this.context.clock.now();
    // 481 to a brand-new SUBSCRIBE (or a notifier that terminates at once, over and over) must
    // not become a tight loop: only the first "at once" is at once.
    if (decision.kind === 'now' && this.attempt > 0) {
      decision = { kind: 'later', reason: { code: 'subscription.keeps-ending', params: { peer: this.options.peer } } };
    }
    switch (decision.kind) {
      case 'now':
        this.attempt++;
        this.begin();
        return;
      case 'later': {
        this.unroute();
        this.endAll();
        const delay = decision.delayMs ?? presenceBackoff(this.attempt, this.context.random);
        this.attempt++;
        this.retryAt = now + delay;
        this.setState('retrying', decision.reason);
        this.reschedule();
        return;
      }
      case 'never':
        this.unroute();
        this.endAll();
        this.retryAt = undefined;
        this.context.queue.cancel(this);
        this.setState('failed', decision.reason);
        return;
    }
  }

  private raiseInterval(minExpires: string | undefined): boolean {
    const minimum = deltaSeconds(minExpires);
    if (minimum === undefined || minimum <= this.expires || this.intervalRetries++ >= MAX_INTERVAL_RETRIES) return false;
    this.expires = minimum;
    return true;
  }

  private sendInDialog(dialog: Dialog, expires: number, delegate: OutgoingRequestDelegate): void {
    this.dialogs.sendInDialog(dialog, expires, delegate, (error) =>
      this.context.logger.warn('in-dialog SUBSCRIBE could not be sent', { error, event: this.options.event }),
    );
  }

  /** Final responses of one attempt; answers to an attempt we already left are ignored. */
  private responses(
    generation: number,
    accepted: (r: IncomingResponse) => void,
    rejected: (r: IncomingResponse) => void,
  ): OutgoingRequestDelegate {
    const current = () => generation === this.generation && this.running;
    return {
      onAccept: (response) => {
        this.dialogs.track(response);
        if (current()) this.safely(() => accepted(response));
      },
      onReject: (response) => {
        if (current()) this.safely(() => rejected(response));
      },
      onRedirect: (response) => {
        if (current()) this.safely(() => rejected(response));
      },
    };
  }

  private reschedule(): void {
    if (this.closingUntil !== undefined && !this.running) {
      this.context.queue.schedule(this, this.closingUntil);
      return;
    }
    let next = this.retryAt ?? Infinity;
    if (this.notifyDeadline !== undefined && this.dialogs.size === 0) next = Math.min(next, this.notifyDeadline);
    for (const dialog of this.dialogs.values()) next = Math.min(next, dialog.expiresAt, dialog.refreshing ? Infinity : dialog.refreshAt);
    if (next === Infinity) this.context.queue.cancel(this);
    else this.context.queue.schedule(this, next);
  }

  /** Give back the pacing slot of the current attempt (its SUBSCRIBE was answered, or we moved on). */
  private releaseSlot(): void {
    if (!this.holdsSlot) return;
    this.holdsSlot = false;
    this.context.pacing?.leave();
  }

  /** Out of the pacing altogether: stopped or disposed. */
  private leavePacing(): void {
    if (this.queued) this.context.pacing?.withdraw(this.pacedClient);
    this.queued = false;
    this.releaseSlot();
  }

  private unroute(): void {
    this.route.unroute();
  }

  private setState(state: SubscriptionState, reason: Reason | undefined): void {
    if (state === this._state && sameReason(reason, this._reason)) return;
    this._state = state;
    this._reason = reason;
    this.changed();
  }

  private changed(): void {
    this.safely(() => this.listener.onChange());
  }

  private safely(work: () => void): void {
    try {
      work();
    } catch (error) {
      this.context.logger.warn('presence subscription listener failed', { error, event: this.options.event });
    }
  }
}
