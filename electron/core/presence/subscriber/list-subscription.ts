/**
 * One subscription to the whole contact list at the server's resource list server (RFC 4662;
 * docs/DESIGN.md#resource-lists): SUBSCRIBE to the list URI with "Supported: eventlist", and
 * multipart/related NOTIFYs whose RLMI root says which resources the list covers, the state of each
 * one's back-end subscription (instances) and which part holds each one's PIDF.
 *
 * It tells its owner (the PresenceSubscriber) what the list covers, each instance's document and
 * each instance that ended; the owner feeds the buddies and stops their own subscriptions. It
 * gives up (fallback) when the server refuses the list (404, 403, 489, ...: the subscription fails)
 * or answers with a body that is not a resource list (a server without eventlist that took the
 * SUBSCRIBE as a plain one). Broken or hostile bodies are dropped (logged); a version gap asks for
 * the full state again (a refresh).
 *
 * A full state may come split: a server that bounds its NOTIFYs' size (the bundled Kamailio: 60,000
 * bytes of body) sends the first part with fullState="true" and the rest, right after it, as partial
 * NOTIFYs. So what the list covers only grows for SPLIT_STATE_MS after a full state; only then are
 * the resources it did not name taken as not covered (their buddies watched one by one). Taking the
 * first part for the whole list sent thousands of needless SUBSCRIBEs (and their un-SUBSCRIBEs) to
 * the server just as it fanned out the list's own.
 *
 * A server may also lose a member's state on the way: the bundled one fans the list out to every
 * member at once and gives up a back-end subscription that failed, and its resource list server can
 * mark a state sent that it never sent (docs/DESIGN.md#resource-lists). So once the list has been
 * quiet for QUIET_MS, members it names with no instance at all are asked for again by refreshing
 * the list (the server refreshes each back-end subscription, and every member NOTIFYs anew), at
 * most MAX_REPAIRS times per dialog: a member that never answers (no such user) stays as it is.
 */
import { normalizeAddress } from '../../../../shared/domain/address.js';
import {
  MultipartError,
  RLMI_CONTENT_TYPE,
  XmlError,
  applyRlmi,
  decodeRlmi,
  parseMultipart,
  type RlmiResource,
  type RlmiState,
} from '../../../sip/presence/index.js';
import type { NotifyBody } from '../../../sip/subscription/subscriber-dialogs.js';
import type { URI } from '../../../sip/user-agent.js';
import { EventSubscription, type SubscriptionContext, type SubscriptionListener } from './event-subscription.js';

export const LIST_ACCEPT = 'multipart/related, application/rlmi+xml, application/pidf+xml';

/**
 * How long after a full state its further parts may still come (the server sends them back to back,
 * before anything else of the list; a loaded client reads them a few hundred ms apart at most).
 */
export const SPLIT_STATE_MS = 2000;
/** How long without a NOTIFY of the list before members still without state are asked for again. */
export const QUIET_MS = 3000;
/** Refreshes of one dialog for members without state (each makes the server fan the list out again). */
export const MAX_REPAIRS = 2;

export interface ListOwner {
  /**
   * The resources (normalised AORs) the list covers now; after every applied RLMI document, and
   * once more when a full state has settled. `settled` false: more parts of a split full state may
   * come, so a resource missing here may still be covered.
   */
  covered(aors: ReadonlySet<string>, settled: boolean): void;
  /** An instance of a resource sent a document. */
  document(aor: string, key: string, body: NotifyBody): void;
  /** An instance of a resource ended (or the list's dialog did): what it said no longer speaks. */
  ended(aor: string, key: string): void;
  /** The list subscription's state changed (the covered buddies show it). */
  changed(): void;
  /** The server does not serve this list: watch every buddy by itself. */
  fallback(): void;
}

export class ListSubscription implements SubscriptionListener {
  readonly subscription: EventSubscription;
  private state: RlmiState | undefined;
  /** Per resource (normalised AOR), the keys of the instances that sent a document. */
  private readonly speaking = new Map<string, Set<string>>();
  private gaveUp = false;
  /** The timer that ends SPLIT_STATE_MS after the last full state, while it runs. */
  private settling: unknown;
  /** The timer that fires QUIET_MS after the last NOTIFY of the list, and the refreshes it made. */
  private quiet: unknown;
  private repairs = 0;

  constructor(
    private readonly context: SubscriptionContext,
    target: URI,
    expires: number,
    private readonly owner: ListOwner,
  ) {
    this.subscription = new EventSubscription(
      context,
      { target, peer: target.toString(), event: 'presence', accept: LIST_ACCEPT, expires, extraHeaders: ['Supported: eventlist'] },
      this,
    );
  }

  private get logger(): SubscriptionContext['logger'] {
    return this.context.logger;
  }

  onNotify(_dialog: string, body: NotifyBody): void {
    if (this.gaveUp) return;
    if (body.contentType !== 'multipart/related') {
      this.logger.info('resource list answered without a list body; watching each buddy', { contentType: body.contentType.slice(0, 64) });
      this.giveUp();
      return;
    }
    let parts;
    let doc;
    try {
      parts = parseMultipart(body.contentTypeHeader, body.text);
      if (parts.root?.contentType !== RLMI_CONTENT_TYPE) throw new MultipartError('the root part is not RLMI');
      doc = decodeRlmi(parts.root.body);
    } catch (error) {
      if (!(error instanceof MultipartError) && !(error instanceof XmlError)) throw error;
      this.logger.info('resource list NOTIFY refused', { error: error.message.slice(0, 128) });
      return;
    }
    const result = applyRlmi(this.state, doc);
    if (result.kind === 'duplicate') return;
    if (result.kind === 'gap') {
      this.logger.info('resource list NOTIFY lost (version gap); asking for the full state');
      this.subscription.refreshNow();
      return;
    }
    this.state = result.state;
    for (const uri of result.removed) this.silence(normalizeAddress(uri));
    const byCid = new Map(parts.parts.map((p) => [p.contentId, p]));
    for (const resource of result.changed) this.apply(resource, byCid);
    if (doc.fullState) this.startSettling();
    this.reportCovered();
    this.startQuiet();
  }

  onDialogEnded(): void {
    for (const aor of [...this.speaking.keys()]) this.silence(aor);
    this.state = undefined;
    this.repairs = 0;
    this.stopSettling();
    this.stopQuiet();
  }

  /** Whether parts of a full state may still come (what the list covers may still grow). */
  get isSettling(): boolean {
    return this.settling !== undefined;
  }

  /** End the list subscription (an un-SUBSCRIBE) and forget any pending full state. */
  stop(): void {
    this.stopSettling();
    this.stopQuiet();
    this.subscription.stop();
  }

  private startQuiet(): void {
    this.stopQuiet();
    if (this.repairs >= MAX_REPAIRS) return;
    this.quiet = this.context.clock.setTimeout(() => {
      this.quiet = undefined;
      const unknown = this.state ? [...this.state.resources.values()].filter((instances) => instances.length === 0).length : 0;
      if (this.gaveUp || unknown === 0) return;
      this.repairs++;
      this.logger.info('resource list members without state; refreshing the list', { unknown, repair: this.repairs });
      this.subscription.refreshNow();
    }, QUIET_MS);
  }

  private stopQuiet(): void {
    if (this.quiet === undefined) return;
    this.context.clock.clearTimeout(this.quiet);
    this.quiet = undefined;
  }

  private startSettling(): void {
    this.stopSettling();
    this.settling = this.context.clock.setTimeout(() => {
      this.settling = undefined;
      if (!this.gaveUp && this.state) this.reportCovered();
    }, SPLIT_STATE_MS);
  }

  private stopSettling(): void {
    if (this.settling === undefined) return;
    this.context.clock.clearTimeout(this.settling);
    this.settling = undefined;
  }

  private reportCovered(): void {
    this.owner.covered(new Set([...this.state!.resources.keys()].map(normalizeAddress)), this.settling === undefined);
  }

  onChange(): void {
    if (this.gaveUp) return;
    if (this.subscription.state === 'failed') {
      this.giveUp();
      return;
    }
    this.owner.changed();
  }

  private apply(resource: RlmiResource, byCid: Map<string, { contentType: string; body: string; headers: Map<string, string> }>): void {
    const aor = normalizeAddress(resource.uri);
    const keys = this.speaking.get(aor) ?? new Set<string>();
    const live = new Set<string>();
    for (const instance of resource.instances) {
      const key = `rls:${instance.id}`;
      if (instance.state === 'terminated') continue;
      live.add(key);
      const part = instance.cid ? byCid.get(instance.cid) : undefined;
      if (!part) continue;
      keys.add(key);
      this.logger.debug('resource list document', { aor: aor.slice(0, 128) });
      this.owner.document(aor, key, {
        contentType: part.contentType,
        contentTypeHeader: part.headers.get('content-type') ?? '',
        text: part.body,
      });
    }
    for (const key of [...keys]) {
      if (live.has(key)) continue;
      keys.delete(key);
      this.owner.ended(aor, key);
    }
    this.speaking.set(aor, keys);
  }

  private silence(aor: string): void {
    for (const key of this.speaking.get(aor) ?? []) this.owner.ended(aor, key);
    this.speaking.delete(aor);
  }

  private giveUp(): void {
    this.gaveUp = true;
    this.stop();
    this.owner.fallback();
  }
}
