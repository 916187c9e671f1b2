/**
 * One watched buddy: the PIDF document each of their dialogs (devices, or the presence server)
 * last sent, composed into the one state Parley shows (sip/presence/compose.ts has the rule).
 *
 * A body that is not PIDF, or not safe to read (DTD, entities, too big, too deep: XmlError), is
 * dropped: the buddy keeps what it had. When the last dialog ends, the last state stays on screen
 * marked stale until a new subscription speaks; a failed subscription shows no state at all.
 */
import type { BuddyPresence, PresenceView } from '../../../../shared/domain/presence.js';
import { PIDF_CONTENT_TYPE, XmlError, composePresence, decodePidf, type PidfDocument } from '../../../sip/presence/index.js';
import type { Logger } from '../../../support/logger.js';
import type { NotifyBody } from '../../../sip/subscription/subscriber-dialogs.js';
import type { EventSubscription, SubscriptionListener } from './event-subscription.js';

export class Buddy implements SubscriptionListener {
  private readonly docs = new Map<string, PidfDocument>();
  private view: PresenceView | null = null;
  private updatedAt: number | undefined;
  /** Set right after construction (the subscription needs this buddy as its listener). */
  subscription!: EventSubscription;
  /**
   * The resource list subscription that covers this buddy, while one does (its own subscription is
   * then stopped, and this one's state is what the buddy shows): list-subscription.ts.
   */
  listed: EventSubscription | undefined;

  constructor(
    /** The contact's address as stored (events carry it so the UI can match its contact). */
    readonly aor: string,
    private readonly now: () => number,
    private readonly logger: Logger,
    private readonly changed: (buddy: Buddy) => void,
  ) {}

  onNotify(dialog: string, body: NotifyBody): void {
    if (body.contentType !== PIDF_CONTENT_TYPE) {
      this.logger.debug('presence NOTIFY body ignored: not PIDF', { contentType: body.contentType.slice(0, 64) });
      return;
    }
    let doc: PidfDocument;
    try {
      doc = decodePidf(body.text);
    } catch (error) {
      if (!(error instanceof XmlError)) throw error;
      this.logger.info('presence NOTIFY body refused', { code: error.code });
      return;
    }
    // Kept as a copy: the decoded strings are slices of the NOTIFY they came in, and each would
    // keep that whole message alive for as long as the buddy shows this state (measured: 2.6 KB
    // a buddy as decoded, 1.2 KB copied, for a NOTIFY of 1 KB). Decoding a copy of the body instead
    // saves the 6 µs of this copy but keeps the markup too: 4 MB more live heap at 5,000 buddies.
    this.docs.set(dialog, structuredClone(doc));
    this.view = composePresence([...this.docs.values()]);
    this.updatedAt = this.now();
    this.changed(this);
  }

  /** Whether a live dialog has sent a document (a held subscription sends none). */
  get spoken(): boolean {
    return this.docs.size > 0;
  }

  onDialogEnded(dialog: string): void {
    if (this.docs.delete(dialog) && this.docs.size > 0) this.view = composePresence([...this.docs.values()]);
    this.changed(this);
  }

  onChange(): void {
    this.changed(this);
  }

  presence(): BuddyPresence {
    const source = this.listed ?? this.subscription;
    const subscription = source.state;
    const view = subscription === 'failed' ? null : this.view;
    const reason = source.reason;
    return {
      aor: this.aor,
      view,
      subscription,
      stale: view !== null && !source.live,
      ...(this.updatedAt !== undefined ? { updatedAt: this.updatedAt } : {}),
      ...(reason !== undefined ? { reason } : {}),
    };
  }
}
