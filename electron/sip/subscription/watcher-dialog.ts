/**
 * One watcher's subscription to our presence: a dialog on sip.js's core (sip.js has a subscriber
 * dialog but no notifier side) that sends NOTIFYs and takes in-dialog SUBSCRIBEs.
 *
 *   open ──push(content)──> NOTIFY; at most one NOTIFY in flight: content pushed meanwhile waits,
 *     │                     and only the latest is sent when the answer comes (a burst of changes
 *     │                     costs one NOTIFY, and CSeq order is the order of states)
 *     │ refresh(expires): new expiry; the caller then pushes with force (RFC 6665 §4.2.1.2: every
 *     │                   accepted SUBSCRIBE is followed by a NOTIFY with the full state)
 *     │ terminate(reason, content) or owner's choice at expiry
 *     ▼
 *   terminating ──final NOTIFY "terminated" (after the one in flight) answered, or failed──> ended
 *   open ──a NOTIFY answered non-2xx or not at all──> ended (RFC 6665 §4.2.2: the subscription is gone)
 *
 * `ended` disposes the dialog (in-dialog requests then get 481 from the core) and tells the owner.
 *
 * In-dialog requests reach it through sip.js's own routing: a `Dialog` registers itself in the
 * user agent core's dialog table, and `receiveRequest` takes the watcher's SUBSCRIBEs from there.
 * What each NOTIFY says, and whether a SUBSCRIBE is accepted, is the owner's business
 * (electron/core/presence/notifier/presence-notifier.ts).
 */
import {
  Dialog,
  NotifyUserAgentClient,
  ReSubscribeUserAgentServer,
  type DialogState,
  type IncomingRequestMessage,
  type IncomingResponse,
  type IncomingSubscribeRequest,
  type SessionDialog,
  type UserAgentCore,
} from 'sip.js/lib/core/index.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { PIDF_TYPE, type Rejection } from './subscribe-request.js';

/** The sip.js types this module's interface takes. */
export type { DialogState, IncomingSubscribeRequest, ReSubscribeUserAgentServer, UserAgentCore };

/**
 * The state of the dialog a 2xx with `toTag` makes of an out-of-dialog SUBSCRIBE (RFC 3261
 * §12.1.1), or undefined when the SUBSCRIBE cannot make one (no Contact): answer it 400.
 */
export function dialogStateFor(message: IncomingRequestMessage, toTag: string): DialogState | undefined {
  try {
    return Dialog.initialDialogStateForUserAgentServer(message, toTag);
  } catch {
    return undefined;
  }
}

/** Refuse a SUBSCRIBE; one whose transaction already answered (a retransmission raced us) is left be. */
export function refuse(
  request: { reject(options: { statusCode: number; reasonPhrase?: string; extraHeaders?: string[] }): unknown },
  rejection: Rejection,
): void {
  try {
    request.reject({ statusCode: rejection.status, reasonPhrase: rejection.reason, extraHeaders: rejection.headers });
  } catch {
    // the transaction already answered (a retransmission raced us): nothing more to say
  }
}

/** What one NOTIFY carries: the subscription state and the body (what the body says is the owner's policy). */
export interface NotifyContent {
  state: 'pending' | 'active';
  /** application/pidf+xml, or undefined for no body. */
  body: string | undefined;
}

export function sameContent(a: NotifyContent | undefined, b: NotifyContent | undefined): boolean {
  return a !== undefined && b !== undefined && a.state === b.state && a.body === b.body;
}

/** RFC 6665 §4.2.2 reasons we use: expiry or un-subscribe, and "gone for now, try again". */
export type TerminationReason = 'timeout' | 'deactivated';

export interface WatcherDialogOwner {
  clock: Clock;
  logger: Logger;
  /** Our Contact header value (the target of the watcher's in-dialog SUBSCRIBEs). */
  contact(): string;
  /** An in-dialog SUBSCRIBE arrived: refresh or un-subscribe. The owner answers it. */
  onResubscribe(dialog: WatcherDialog, request: ReSubscribeUserAgentServer): void;
  /** The subscription's time is up (no refresh came). */
  onExpired(dialog: WatcherDialog): void;
  /** The subscription is over, whatever the cause. */
  onEnded(dialog: WatcherDialog): void;
}

export class WatcherDialog extends Dialog {
  /** What the watcher should see (the last content pushed). */
  private latest: NotifyContent | undefined;
  /** What the last NOTIFY sent carried. */
  private sent: NotifyContent | undefined;
  private inFlight = false;
  private force = false;
  private final: { reason: TerminationReason; content: NotifyContent } | undefined;
  private finalSent = false;
  private expiresAt = 0;
  private expiryTimer: unknown;
  private ended = false;
  private readonly endedPromise: Promise<void>;
  private resolveEnded!: () => void;

  constructor(
    core: UserAgentCore,
    state: DialogState,
    /** The watcher's normalised address. */
    readonly watcher: string,
    /** The Event header's id parameter, echoed in every NOTIFY. */
    readonly eventId: string | undefined,
    private readonly owner: WatcherDialogOwner,
  ) {
    super(core, state);
    this.endedPromise = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get isOpen(): boolean {
    return !this.ended && !this.final;
  }

  /** Settles when the subscription has ended. */
  get whenEnded(): Promise<void> {
    return this.endedPromise;
  }

  /** Seconds left, rounded up (what Subscription-State says). */
  get secondsLeft(): number {
    return Math.max(0, Math.ceil((this.expiresAt - this.owner.clock.now()) / 1000));
  }

  /** (Re)start the subscription's lifetime. */
  refresh(expires: number): void {
    this.owner.clock.clearTimeout(this.expiryTimer);
    this.expiresAt = this.owner.clock.now() + expires * 1000;
    this.expiryTimer = this.owner.clock.setTimeout(() => {
      if (this.isOpen) this.owner.onExpired(this);
    }, expires * 1000);
  }

  /** The watcher should see `content`: NOTIFY unless they already do (or `force`). */
  push(content: NotifyContent, force = false): void {
    if (!this.isOpen) return;
    if (!force && sameContent(content, this.latest)) return;
    this.latest = content;
    this.force ||= force;
    if (!this.inFlight) this.sendNext();
  }

  /** End the subscription with a final NOTIFY (after the one in flight, if any). */
  terminate(reason: TerminationReason, content: NotifyContent): void {
    if (this.ended || this.final) return;
    this.owner.clock.clearTimeout(this.expiryTimer);
    this.final = { reason, content };
    if (!this.inFlight) this.sendNext();
  }

  /** Forget the subscription without a NOTIFY (the watcher cannot be reached any more). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.owner.clock.clearTimeout(this.expiryTimer);
    this.dispose();
    this.owner.onEnded(this);
    this.resolveEnded();
  }

  override receiveRequest(message: IncomingRequestMessage): void {
    if (!this.sequenceGuard(message)) return; // an old CSeq: 500 already sent
    super.receiveRequest(message);
    if (message.method === 'SUBSCRIBE') {
      this.owner.onResubscribe(this, new ReSubscribeUserAgentServer(this, message));
      return;
    }
    if (message.method !== 'ACK') {
      this.core.replyStateless(message, { statusCode: 405, extraHeaders: ['Allow: SUBSCRIBE'] });
    }
  }

  private sendNext(): void {
    if (this.ended) return;
    if (this.final) {
      if (!this.finalSent) {
        this.finalSent = true;
        this.send(this.final.content, `terminated;reason=${this.final.reason}`);
      }
      return;
    }
    const content = this.latest;
    if (!content || (!this.force && sameContent(content, this.sent))) return;
    this.force = false;
    this.send(content, `${content.state};expires=${this.secondsLeft}`);
  }

  private send(content: NotifyContent, subscriptionState: string): void {
    this.inFlight = true;
    this.sent = content;
    const extraHeaders = [
      `Event: presence${this.eventId !== undefined ? `;id=${this.eventId}` : ''}`,
      `Subscription-State: ${subscriptionState}`,
      `Contact: ${this.owner.contact()}`,
    ];
    const body = content.body === undefined ? undefined : { contentDisposition: 'render', contentType: PIDF_TYPE, content: content.body };
    const answered = (response: IncomingResponse): void => {
      this.inFlight = false;
      const status = response.message.statusCode ?? 0;
      if (status < 200 || status >= 300) {
        this.owner.logger.debug('NOTIFY refused; subscription removed', { status, watcher: this.watcher });
        this.end();
      } else if (this.finalSent) this.end();
      else this.sendNext();
    };
    try {
      // Typed for session dialogs, it only builds the request from the dialog's state: any dialog does.
      new NotifyUserAgentClient(
        this as unknown as SessionDialog,
        { onAccept: answered, onReject: answered },
        { extraHeaders, ...(body ? { body } : {}) },
      );
    } catch (error) {
      this.owner.logger.warn('NOTIFY could not be sent', { error, watcher: this.watcher });
      this.inFlight = false;
      this.end();
    }
  }
}
