/**
 * Server-mode presence (RFC 3903): Parley PUBLISHes its one state to the presence server. The
 * requests and the entity tag are sip/publication/publish.ts; this is when to send which, and what
 * to do about each failure.
 *
 *   idle ──initial PUBLISH (body)──> published(etag) ──refresh at 80–90 % (If-Match, no body)──> published
 *   published ──the view changed──> modify (If-Match + body), changes in the meantime coalesced into one
 *   any ──412 Conditional Request Failed──> a fresh initial PUBLISH (the server forgot the etag)
 *   any ──408/480/5xx──> retry with back-off;  other failures ──> failed (logged; tried again on reconnect)
 *   stop() ──PUBLISH Expires: 0 with If-Match──> removed
 *
 * Driven by parley-core.ts: onRegistration (first publish once registered; after a loss the
 * publication is refreshed, and a server that restarted answers 412 -> fresh PUBLISH),
 * reconnected(), and viewChanged(), which the core hooks to the status engine's onViewsChanged
 * (status/presence-status.ts: called whenever what some audience sees may have changed — a
 * schedule boundary, a manual status, a profile edit, waking up). The view comes from `view()`
 * (published-view.ts); an unchanged view sends nothing.
 */
import type { PresenceView } from '../../../../shared/domain/presence.js';
import type { RegistrationState } from '../../../../shared/ipc.js';
import { PIDF_CONTENT_TYPE, deviceTupleId, encodePidf } from '../../../sip/presence/index.js';
import { entityTagOf, sendPublish, type IncomingResponse, type UserAgentCore } from '../../../sip/publication/publish.js';
import { sipUri, type URI, type UserAgent } from '../../../sip/user-agent.js';
import type { Clock } from '../../../support/clock.js';
import type { Logger } from '../../../support/logger.js';
import { sameView } from '../policy/index.js';
import { OnlineGate } from '../subscriber/online-gate.js';
import { presenceBackoff } from '../subscriber/retry-policy.js';
import { deltaSeconds } from '../../../sip/subscription/subscription-state.js';

export const PUBLISH_EXPIRES = 3600;
/** How long quitting waits for the server to confirm the removal. */
const REMOVE_WAIT_MS = 2000;
const MAX_INTERVAL_RETRIES = 3;

export type PublicationState = 'idle' | 'publishing' | 'published' | 'retrying' | 'failed' | 'stopped';

export interface PresencePublisherDeps {
  ua: UserAgent;
  aor: string;
  clock: Clock;
  logger: Logger;
  /** The view to publish now. */
  view(): PresenceView;
  random?: () => number;
  expires?: number;
}

type Kind = 'initial' | 'modify' | 'refresh' | 'remove';

export class PresencePublisher {
  private _state: PublicationState = 'idle';
  private readonly core: UserAgentCore;
  private readonly uri: URI;
  private expires: number;
  private etag: string | undefined;
  /** What the server holds (the last accepted body). */
  private published: PresenceView | undefined;
  private wanted: PresenceView;
  private refreshAt = Infinity;
  private timer: unknown;
  private kickTimer: unknown;
  private kickQueued = false;
  private inFlight = false;
  private online = false;
  private readonly gate = new OnlineGate();
  private attempt = 0;
  private intervalRetries = 0;
  private freshAfter412 = 0;

  constructor(private readonly deps: PresencePublisherDeps) {
    const uri = sipUri(deps.aor);
    if (!uri) throw new Error(`not a SIP URI: ${deps.aor}`);
    this.uri = uri;
    this.core = deps.ua.userAgentCore;
    this.expires = deps.expires ?? PUBLISH_EXPIRES;
    this.wanted = deps.view();
  }

  get state(): PublicationState {
    return this._state;
  }

  onRegistration(state: RegistrationState['state']): void {
    const step = this.gate.update(state);
    this.online = state === 'registered';
    if (step === 'start') this.kick();
    else if (step === 'reconnect') this.reconnected();
  }

  /** The flow or the server was reset: refresh now (a forgotten publication answers 412). */
  reconnected(): void {
    if (!this.gate.hasStarted || this._state === 'stopped') return;
    this.attempt = 0;
    this.refreshAt = this.deps.clock.now();
    this.kick();
  }

  /** Our status or profiles changed: publish the new view if it differs (coalesced per turn). */
  viewChanged(): void {
    if (this._state === 'stopped') return;
    const view = this.deps.view();
    if (sameView(view, this.wanted)) return;
    this.wanted = view;
    if (!this.gate.hasStarted || this.kickQueued) return;
    this.kickQueued = true;
    this.kickTimer = this.deps.clock.setTimeout(() => {
      this.kickQueued = false;
      this.kick();
    }, 0);
  }

  /** Remove the publication (Expires: 0) and wait briefly for the answer. */
  async stop(): Promise<void> {
    if (this._state === 'stopped') return;
    const etag = this.etag;
    this.setState('stopped');
    this.deps.clock.clearTimeout(this.timer);
    if (this.kickQueued) this.deps.clock.clearTimeout(this.kickTimer);
    if (!etag || !this.online) return;
    await new Promise<void>((resolve) => {
      const guard = this.deps.clock.setTimeout(resolve, REMOVE_WAIT_MS);
      const done = () => {
        this.deps.clock.clearTimeout(guard);
        resolve();
      };
      this.send('remove', undefined, etag, 0, { onAccept: done, onReject: done });
    });
  }

  private kick(): void {
    if (this.inFlight || !this.online || this._state === 'stopped') return;
    this.deps.clock.clearTimeout(this.timer);
    const now = this.deps.clock.now();
    if (!this.etag) return this.publish('initial', this.wanted);
    if (!this.published || !sameView(this.published, this.wanted)) return this.publish('modify', this.wanted);
    if (now >= this.refreshAt) return this.publish('refresh', undefined);
    this.arm(this.refreshAt);
  }

  private publish(kind: Kind, view: PresenceView | undefined): void {
    this.inFlight = true;
    if (this._state !== 'published') this.setState('publishing');
    const finish = () => {
      this.inFlight = false;
      if (this._state === 'stopped') return false;
      return true;
    };
    this.send(kind, view, kind === 'initial' ? undefined : this.etag, this.expires, {
      onAccept: (response) => {
        if (!finish()) return;
        this.accepted(response, view);
      },
      onReject: (response) => {
        if (!finish()) return;
        this.rejected(response, kind);
      },
    });
  }

  private accepted(response: IncomingResponse, sent: PresenceView | undefined): void {
    const now = this.deps.clock.now();
    const etag = entityTagOf(response);
    if (etag) this.etag = etag;
    if (sent) this.published = sent;
    this.attempt = 0;
    this.intervalRetries = 0;
    this.freshAfter412 = 0;
    const granted = deltaSeconds(response.message.getHeader('expires')) ?? this.expires;
    const random = this.deps.random ?? Math.random;
    this.refreshAt = now + granted * 1000 * (0.8 + random() * 0.1);
    this.setState('published');
    this.kick();
  }

  private rejected(response: IncomingResponse, kind: Kind): void {
    const message = response.message;
    const status = message.statusCode ?? 500;
    if (status === 412 && this.freshAfter412++ < 2) {
      // The server no longer knows our entity tag (it restarted, or the publication ran out).
      this.deps.logger.info('publication unknown to the server (412): publishing afresh');
      this.etag = undefined;
      this.published = undefined;
      this.kick();
      return;
    }
    if (status === 423) {
      const minimum = deltaSeconds(message.getHeader('min-expires'));
      if (minimum !== undefined && minimum > this.expires && this.intervalRetries++ < MAX_INTERVAL_RETRIES) {
        this.expires = minimum;
        this.kick();
        return;
      }
    }
    if (status === 408 || status === 480 || (status >= 500 && status < 600)) {
      const retryAfter = deltaSeconds(message.getHeader('retry-after'));
      const delay = retryAfter !== undefined ? retryAfter * 1000 : presenceBackoff(this.attempt++, this.deps.random);
      this.deps.logger.info('PUBLISH failed; retrying', { status, kind, delay });
      this.setState('retrying');
      this.refreshAt = Math.min(this.refreshAt, this.deps.clock.now() + delay);
      this.arm(this.deps.clock.now() + delay);
      return;
    }
    this.deps.logger.warn('PUBLISH refused; presence is not published until the next reconnect', { status, kind });
    this.setState('failed');
  }

  private send(
    kind: Kind,
    view: PresenceView | undefined,
    etag: string | undefined,
    expires: number,
    delegate: { onAccept(r: IncomingResponse): void; onReject(r: IncomingResponse): void },
  ): void {
    const body = view
      ? {
          contentType: PIDF_CONTENT_TYPE,
          content: encodePidf(this.deps.aor, view, {
            contact: this.deps.aor,
            timestamp: this.deps.clock.now(),
            // one tuple per device: the server composes our devices' publications side by side
            tupleId: deviceTupleId(this.deps.aor, this.deps.ua.contact.uri.user ?? ''),
          }),
        }
      : undefined;
    sendPublish(this.core, this.uri, { event: 'presence', expires, etag, body }, delegate, (error) =>
      this.deps.logger.warn('PUBLISH could not be sent', { error, kind }),
    );
  }

  /** One timer: the next refresh or retry. */
  private arm(at: number): void {
    this.deps.clock.clearTimeout(this.timer);
    if (at === Infinity) return;
    this.timer = this.deps.clock.setTimeout(
      () => {
        if (this._state === 'retrying') this.refreshAt = Math.min(this.refreshAt, this.deps.clock.now());
        this.kick();
      },
      Math.max(0, at - this.deps.clock.now()),
    );
  }

  private setState(state: PublicationState): void {
    if (state === this._state) return;
    this._state = state;
    this.deps.logger.debug('publication', { state });
  }
}
