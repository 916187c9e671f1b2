/**
 * The subscriber side of RFC 6665 below any policy: the dialogs one SUBSCRIBE made (one per
 * notifier, told apart by the NOTIFY's From tag: a proxy that forks our SUBSCRIBE to each of a
 * buddy's devices gives several, RFC 6665 §4.1.4), their refresh times, and the requests: the
 * initial SUBSCRIBE (new Call-ID and From tag) and the in-dialog SUBSCRIBEs that refresh or end a
 * dialog. A NOTIFY is checked here (Subscription-State, From tag, CSeq order) and taken into its
 * dialog (a target refresh; its expires, else the 2xx's).
 *
 * Each dialog is refreshed at 75–90 % of its time (the jitter spreads thousands of refreshes over
 * minutes), with the time from the NOTIFY's expires, else from the 2xx's Expires. Whom to subscribe,
 * when to try again and what a failure means is the owner's
 * (electron/core/presence/subscriber/event-subscription.ts); NOTIFYs reach it through
 * notify-route.ts.
 */
import type { URI } from 'sip.js';
import type {
  IncomingRequestMessage,
  IncomingResponse,
  NameAddrHeader,
  OutgoingRequestDelegate,
  OutgoingRequestMessage,
  UserAgentCore,
} from 'sip.js/lib/core/index.js';
import type { IncomingNotifyRequest } from 'sip.js/lib/core/messages/methods/notify.js';
import { requestOrFail } from '../request-failure.js';

/** The sip.js types this module's interface takes. */
export type { IncomingResponse, OutgoingRequestDelegate, UserAgentCore };
import { splitCommaList } from '../wire/headers.js';
import { deltaSeconds, parseSubscriptionState, type SubscriptionStateHeader } from './subscription-state.js';

/** RFC 6665 §4.1.2.4 Timer N (64 × T1): no NOTIFY by then means the subscription failed. */
export const TIMER_N_MS = 32_000;

export interface NotifyBody {
  /** Lower case, without parameters. */
  contentType: string;
  /** The Content-Type header as sent, parameters and all (a multipart body's boundary). */
  contentTypeHeader: string;
  text: string;
}

export interface SubscriberDialog {
  tag: string;
  target: URI;
  /** The NOTIFY's Record-Route; empty when it had none (then the 2xx's route set is used). */
  routeSet: string[];
  remoteCseq: number;
  state: 'active' | 'pending';
  expiresAt: number;
  refreshAt: number;
  refreshing: boolean;
  failures: number;
}

export interface SubscriptionTarget {
  core: UserAgentCore;
  /** Our address of record (From of every SUBSCRIBE). */
  self: URI;
  random: () => number;
  target: URI;
  event: string;
  accept: string;
  /** More header lines for every SUBSCRIBE, e.g. "Supported: eventlist" (RFC 4662). */
  extraHeaders?: readonly string[];
}

/** A NOTIFY that passed the checks: its state header, its dialog's tag, and its body. */
export interface CheckedNotify {
  header: SubscriptionStateHeader;
  tag: string;
  /** The dialog of that tag, when there is one. */
  dialog: SubscriberDialog | undefined;
  body: NotifyBody | undefined;
}

export class SubscriberDialogs {
  private readonly dialogs = new Map<string, SubscriberDialog>();
  private callId = '';
  private fromTag = '';
  private cseq = 1;
  private granted: number | undefined;
  private grantAt = 0;
  /**
   * The route set of the 2xx to our SUBSCRIBE (its Record-Route, reversed). A proxy record-routes
   * the SUBSCRIBE but not the NOTIFY, which is already inside the dialog, so without this our
   * refreshes would bypass the proxy (and miss a peer behind NAT).
   */
  private grantRoutes: string[] = [];

  constructor(private readonly target: SubscriptionTarget) {}

  get size(): number {
    return this.dialogs.size;
  }

  get(tag: string): SubscriberDialog | undefined {
    return this.dialogs.get(tag);
  }

  values(): IterableIterator<SubscriberDialog> {
    return this.dialogs.values();
  }

  delete(tag: string): void {
    this.dialogs.delete(tag);
  }

  clear(): void {
    this.dialogs.clear();
  }

  /** A new attempt forgets the last one's grant (its dialogs are ended by the owner). */
  forgetGrant(): void {
    this.granted = undefined;
    this.grantRoutes = [];
  }

  /** The initial SUBSCRIBE of a new attempt: a new Call-ID and From tag, CSeq 1. */
  initialRequest(expires: number): OutgoingRequestMessage {
    const { core, self, target } = this.target;
    const request = core.makeOutgoingRequestMessage('SUBSCRIBE', target, self, target, { cseq: 1 }, this.headers(expires));
    this.callId = request.callId;
    this.fromTag = request.fromTag;
    this.cseq = 1;
    return request;
  }

  /** The Call-ID and From tag of the current attempt (what notify-route.ts routes by). */
  get ids(): { callId: string; fromTag: string } {
    return { callId: this.callId, fromTag: this.fromTag };
  }

  /** A SUBSCRIBE inside `dialog`: a refresh, or with expires 0 the un-SUBSCRIBE. */
  sendInDialog(dialog: SubscriberDialog, expires: number, delegate: OutgoingRequestDelegate, onError: (error: unknown) => void): void {
    const { core, self, target } = this.target;
    requestOrFail(
      core,
      () =>
        core.makeOutgoingRequestMessage(
          'SUBSCRIBE',
          dialog.target,
          self,
          target,
          {
            callId: this.callId,
            fromTag: this.fromTag,
            toTag: dialog.tag,
            cseq: ++this.cseq,
            routeSet: dialog.routeSet.length > 0 ? dialog.routeSet : this.grantRoutes,
          },
          this.headers(expires),
        ),
      delegate,
      onError,
    );
  }

  /** Any final response of ours: sip.js raised the CSeq if it answered a digest challenge, so stay above it. */
  track(response: IncomingResponse): void {
    if (response.message.cseq > this.cseq) this.cseq = response.message.cseq;
  }

  /** The 2xx to the initial SUBSCRIBE: its grant and route set. */
  initialAccepted(response: IncomingResponse, expires: number, now: number): void {
    this.granted = deltaSeconds(response.message.getHeader('expires')) ?? expires;
    this.grantAt = now;
    this.grantRoutes = response.message.getHeaders('record-route').flatMap(splitCommaList).reverse();
    // A dialog whose NOTIFY came before this 2xx and named no expires runs on the grant.
    for (const dialog of this.dialogs.values()) {
      const byGrant = now + this.granted * 1000;
      if (dialog.expiresAt > byGrant) this.plan(dialog, byGrant, now);
    }
  }

  /** The 2xx to a refresh: the dialog runs on its grant. */
  refreshAccepted(dialog: SubscriberDialog, response: IncomingResponse, expires: number, now: number): void {
    this.granted = deltaSeconds(response.message.getHeader('expires')) ?? expires;
    this.grantAt = now;
    this.plan(dialog, now + this.granted * 1000, now);
  }

  /**
   * Check a NOTIFY: a Subscription-State and a From tag, and a CSeq above the last of its dialog.
   * A NOTIFY that fails is answered (400, 500) and undefined is returned.
   */
  check(uas: IncomingNotifyRequest): CheckedNotify | undefined {
    const message = uas.message;
    const header = parseSubscriptionState(message.getHeader('subscription-state'));
    if (!header) return replyToNotify(uas, 400);
    const tag = message.fromTag;
    if (!tag) return replyToNotify(uas, 400);
    const dialog = this.dialogs.get(tag);
    if (dialog && message.cseq <= dialog.remoteCseq) return replyToNotify(uas, 500);
    return { header, tag, dialog, body: bodyOf(message) };
  }

  /**
   * Take an active or pending NOTIFY into its dialog, making the dialog on the first NOTIFY of its
   * tag; undefined when a first NOTIFY has no Contact (answer it 400).
   */
  admit(message: IncomingRequestMessage, checked: CheckedNotify, expires: number, now: number): SubscriberDialog | undefined {
    const { header, tag } = checked;
    let dialog = checked.dialog;
    const target = contactUri(message);
    if (!dialog) {
      if (!target) return undefined;
      dialog = {
        tag,
        target,
        routeSet: message.getHeaders('record-route').flatMap(splitCommaList),
        remoteCseq: message.cseq,
        state: header.state === 'active' ? 'active' : 'pending',
        expiresAt: Infinity,
        refreshAt: Infinity,
        refreshing: false,
        failures: 0,
      };
      this.dialogs.set(tag, dialog);
    } else {
      dialog.remoteCseq = message.cseq;
      if (target) dialog.target = target; // NOTIFY is a target refresh request
    }
    dialog.state = header.state === 'active' ? 'active' : 'pending';
    // The NOTIFY's expires when it has one, else the last 2xx's Expires (the notifier's grant).
    const expiresAt =
      header.expires !== undefined
        ? now + header.expires * 1000
        : dialog.expiresAt !== Infinity
          ? dialog.expiresAt
          : (this.granted !== undefined ? this.grantAt : now) + (this.granted ?? expires) * 1000;
    if (!dialog.refreshing || expiresAt < dialog.expiresAt) this.plan(dialog, expiresAt, now);
    return dialog;
  }

  /** Refresh at 75–90 % of the time left, so refreshes of many subscriptions spread out. */
  private plan(dialog: SubscriberDialog, expiresAt: number, now: number): void {
    dialog.expiresAt = expiresAt;
    const span = Math.max(0, expiresAt - now);
    dialog.refreshAt = now + span * (0.75 + this.target.random() * 0.15);
  }

  private headers(expires: number): string[] {
    return [
      `Event: ${this.target.event}`,
      `Accept: ${this.target.accept}`,
      `Expires: ${expires}`,
      `Contact: ${this.target.core.configuration.contact.toString()}`,
      ...(this.target.extraHeaders ?? []),
    ];
  }
}

/** Answer a NOTIFY (a late retransmission whose transaction already ended gets nothing). */
export function replyToNotify(uas: IncomingNotifyRequest, statusCode: number): undefined {
  try {
    if (statusCode === 200) uas.accept();
    else uas.reject({ statusCode });
  } catch {
    // The transaction already ended (a late retransmission); nothing to answer.
  }
  return undefined;
}

function bodyOf(message: IncomingRequestMessage): NotifyBody | undefined {
  const text = message.body;
  if (!text) return undefined;
  const contentTypeHeader = message.getHeader('content-type') ?? '';
  const contentType = contentTypeHeader.split(';', 1)[0]!.trim().toLowerCase();
  return { contentType, contentTypeHeader, text };
}

function contactUri(message: IncomingRequestMessage): URI | undefined {
  try {
    const contact = message.parseHeader('contact') as NameAddrHeader | undefined;
    return contact?.uri;
  } catch {
    return undefined;
  }
}
