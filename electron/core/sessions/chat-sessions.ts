/**
 * Session-mode chat (docs/DESIGN.md#session-mode): at most one MSRP session per peer, set up by
 * INVITE with an m=message offer (sip/msrp/description-handler.ts), its messages carried over MSRP
 * (sip/msrp/session.ts) instead of one MESSAGE each.
 *
 * Messaging keeps everything it does in paging mode (storage before sending, the outbox's lanes
 * and CSeq order, threading by Call-ID, receipts); a session only carries. Outgoing: a message
 * for a peer with an open session goes in it; for a peer we may offer one (offer-policy.ts), it
 * waits while the INVITE is answered and the connection made, then goes in order; everything a
 * session cannot deliver (refused offer, set-up timeout, a connection cut, a BYE, a send that
 * failed) is settled BY_PAGING, which the outbox takes as "send it again now" and which then
 * goes by paging mode (DESIGN: exactly once across the switch). Incoming: a session's messages
 * reach Messaging.onIncoming as if they were MESSAGEs on the INVITE's Call-ID (session-message.ts),
 * so they thread into the peer's conversation and are stored once; the success REPORT goes once
 * the message is stored.
 *
 * With an MSRP relay in the account (relay.ts), a chat session's SDP waits for a login to the
 * relay, our a=path starts with its Use-Path, and our side of the session runs on that relay
 * connection whatever a=setup says (RFC 4976: the endpoint that uses a relay connects to it);
 * a relay that refuses fails the offer or answer with its reason, and the peer rests in paging mode.
 * A file transfer's session (a claim) is reserved and routed by the same code (`route`).
 */
import { MAX_SESSION_MESSAGE_BYTES, type ChatMessage, type ParleyEventOf } from '../../../shared/ipc.js';
import { normalizeAddress } from '../../../shared/domain/address.js';
import type { Reason } from '../../../shared/domain/reason.js';
import { MsrpDescriptionHandler, SDP_TYPE, type MsrpOfferSettings, type RelayReservation } from '../../sip/msrp/description-handler.js';
import type { MsrpUri } from '../../sip/msrp/uri.js';
import { msrpCertificate, type MsrpCertificate } from '../../sip/msrp/certificate.js';
import { connectionFits, MsrpListener } from '../../sip/msrp/listener.js';
import { readTrust } from '../../sip/transport/tls-trust.js';
import { accountRelay, RELAY_RENEW_MARGIN_S, type AccountRelay } from './relay.js';
import { RelayStatus } from './relay-status.js';
import type { MsrpConnection, MsrpFrame } from '../../sip/msrp/connection.js';
import { acceptsType, parseMsrpSdp } from '../../sip/msrp/sdp.js';
import { MsrpSession } from '../../sip/msrp/session.js';
import {
  describeSessionsWith,
  hangUp,
  makeOffer,
  sendOffer,
  watchSession,
  type IncomingInvite,
  type SipSession as Session,
} from '../../sip/msrp/sip-session.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';
import { waitAtMost, type Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { proxyTransport } from '../../sip/proxy.js';
import type { Endpoint } from '../account/endpoint.js';
import type { IncomingChat } from '../conversations/incoming-chat.js';
import type { SessionCarrier } from '../conversations/messaging.js';
import type { Settle } from '../conversations/outbox.js';
import type { WireForm } from '../conversations/receipts.js';
import { mediaType } from '../conversations/content/incoming-content.js';
import { OfferPolicy } from './offer-policy.js';
import { sessionMessage } from './session-message.js';

/** How a session settles a message that must go by paging mode now: not a SIP status, never shown. */
export const BY_PAGING = 1;
/** How long an offer or an accepted INVITE may take to become an open MSRP connection. */
export const SETUP_TIMEOUT_MS = 15_000;
/** The largest message a session takes: the contract's body limit, and room for its CPIM envelope. */
const MAX_SESSION_MESSAGE = MAX_SESSION_MESSAGE_BYTES + 16 * 1024;
/** What an unusable answer counts as (RFC 3264: 488), and a connection that could not be made or broke. */
const NOT_ACCEPTABLE = 488;
const UNAVAILABLE = 503;
/** Sessions held at once: strangers' INVITEs cannot make us hold more (the rest are answered 486). */
export const MAX_SESSIONS = 64;
/** How long going away waits for the BYEs' answers. */
const BYE_WAIT_MS = 2_000;

export interface ChatSessionsDeps {
  clock: Clock;
  logger: Logger;
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  repo: Pick<MessagesRepo, 'addAlias'>;
  /** The chat setting "prefer session mode": whether we offer sessions at all. */
  preferSessions(): boolean;
  /** What may come in a session at the top level, and inside message/cpim. */
  acceptTypes: readonly string[];
  acceptWrappedTypes: readonly string[];
  /** A message that came in a session, for Messaging.onIncoming. */
  deliver(incoming: IncomingChat): void;
  /** Announces a peer's chat going by session or by paging mode again. */
  emit(event: ParleyEventOf<'chat-mode'> | ParleyEventOf<'relay'>): void;
}

interface Live {
  peer: string;
  sip: Session;
  outgoing: boolean;
  callId: string;
  msrp?: MsrpSession;
  /** An accepted connection that came before the INVITE's answer was through (passive end). */
  early?: { connection: MsrpConnection; first: MsrpFrame };
  /** Messages waiting for the session to open, in the order they were given. */
  held: Array<{ form: WireForm; settle: Settle }>;
  /** The final status of a refused offer. */
  refusedWith?: number;
  /** Why the relay refused us, when that is what failed the offer or answer. */
  relayFailure?: string;
  opened: boolean;
  ended: boolean;
  /** When a session on a relay ends so a fresh reservation takes over (renewBefore). */
  renew?: unknown;
  /** Sequence numbers of the messages received, as the CSeq of their stand-in MESSAGE. */
  received: number;
  timer: unknown;
}

/**
 * A session another part of the core set up on the same endpoint (a file transfer,
 * core/files/file-transfers.ts): described with its own media, its connection handed to it.
 */
export interface SessionClaim {
  media: Pick<MsrpOfferSettings, 'acceptTypes' | 'file' | 'direction'>;
  adopt(connection: MsrpConnection, first: MsrpFrame): void;
  /** Our relay refused the session (the reason as the user reads it): the claimant has no paging mode to fall back to. */
  relayFailed?(reason: string): void;
}

/**
 * Where a session's MSRP goes once its INVITE is answered, the same for a chat and a file: through
 * our relay (its reservation's connection, whatever a=setup says; our requests go to its Use-Path,
 * then the peer's path, RFC 4976 §6), or directly: `connect` when we are the active end (a peer's
 * relay first in its path checked as a server, the peer itself by fingerprint), neither when the
 * peer connects to us (the listener hands that connection over, checked with connectionFits).
 */
export interface MediaRoute {
  toPath: readonly MsrpUri[];
  reservation?: RelayReservation;
  connect?: () => Promise<MsrpConnection>;
}

export class ChatSessions implements SessionCarrier {
  private readonly byPeer = new Map<string, Live>();
  private readonly claims = new Map<Session, SessionClaim>();
  private readonly bySession = new Map<Session, Live>();
  private readonly offers: OfferPolicy;
  private endpoint: Endpoint | undefined;
  private listener: MsrpListener | undefined;
  private offerSecure = false;
  /** The account's MSRP relay, when it names one. */
  /** What the window is told of the relay's logins (relay-status.ts). */
  private readonly relayStatus: RelayStatus;
  private relay: AccountRelay | undefined;
  /** The account's trusted certificates, for relays (ours or a peer's): servers, not peers. */
  private trust: readonly string[] = [];

  constructor(private readonly deps: ChatSessionsDeps) {
    this.offers = new OfferPolicy(deps.settings, deps.clock);
    this.relayStatus = new RelayStatus((event) => deps.emit(event));
  }

  /**
   * A new endpoint: an MSRP listener beside it (over TCP, and TLS for msrps), and sip.js's sessions
   * described by us. Our offers are msrps when the account's SIP goes over TLS.
   */
  async attach(endpoint: Endpoint, bindHost: string, password?: string): Promise<void> {
    const advertised = endpoint.listening[0]?.host ?? bindHost;
    const account = endpoint.account;
    this.offerSecure = account !== undefined && proxyTransport(account.proxy, account.transport) === 'tls';
    let certificate: MsrpCertificate | undefined;
    try {
      certificate = await msrpCertificate();
    } catch (error) {
      // Without one, msrp only: msrps offers are refused with 488, ours go as msrp.
      this.deps.logger.warn('no certificate for msrps: sessions go over TCP only', { error });
    }
    try {
      this.listener = await MsrpListener.open(bindHost, advertised, certificate);
    } catch (error) {
      // Without a listener there is no session mode: paging mode, as before.
      this.deps.logger.warn('no MSRP listener: chat goes by paging mode', { error });
      return;
    }
    this.endpoint = endpoint;
    this.trust = readTrust(account?.tlsTrust).certificates;
    this.relay = accountRelay(account, password, this.listener, this.trust, this.deps.logger, (problem) => this.relayStatus.set(problem));
    // No relay any more: nothing of the last one's trouble is left to tell.
    if (!this.relay) this.relayStatus.set(null);
    describeSessionsWith(endpoint.ua, (session) => this.describe(session));
  }

  /** The endpoint is going away: every session ends (BYE), messages in them go by paging mode later. */
  async detach(): Promise<void> {
    const byes = [...this.byPeer.values()].map((live) => this.end(live, 'going away'));
    await waitAtMost(this.deps.clock, Promise.all(byes), BYE_WAIT_MS);
    this.endpoint = undefined;
    this.relay = undefined;
    await this.listener?.close();
    this.listener = undefined;
  }

  /** `session` (made but not yet offered or answered) is described and adopted by `claim`, not as a chat. */
  claim(session: Session, claim: SessionClaim): void {
    this.claims.set(session, claim);
  }

  /** A claimed session is over: its connection is no longer expected. */
  release(session: Session): void {
    this.claims.delete(session);
    const handler = session.sessionDescriptionHandler;
    if (handler instanceof MsrpDescriptionHandler) this.listener?.forget(handler.local.uri.sessionId!);
  }

  /** The route of a session whose INVITE is answered (`handler.remote` known); undefined without one or without a listener. */
  route(handler: MsrpDescriptionHandler): MediaRoute | undefined {
    const remote = handler.remote;
    const listener = this.listener;
    if (!remote || !listener) return undefined;
    const reservation = handler.reservation;
    if (reservation) return { toPath: [...reservation.usePath, ...remote.path], reservation };
    if (!handler.active) return { toPath: remote.path };
    // A peer's relay first in its path is a server, checked like ours; the peer itself by fingerprint.
    const check = remote.path.length > 1 ? { ca: this.trust } : remote.fingerprint;
    return { toPath: remote.path, connect: () => listener.connect(remote.path[0]!, check) };
  }

  /** Whether sessions can be set up now (an endpoint with an MSRP listener). */
  get ready(): boolean {
    return this.listener !== undefined && this.endpoint !== undefined;
  }

  /** Why the account's relay carries no session now (null: it works, or none is set), for the snapshot. */
  relayProblem(): Reason | null {
    return this.relayStatus.current;
  }

  /** Peers with an open session, for the snapshot. */
  openPeers(): string[] {
    return [...this.byPeer.values()].filter((live) => live.opened).map((live) => live.peer);
  }

  carry(message: ChatMessage, form: WireForm, settle: Settle): boolean {
    const peer = normalizeAddress(message.to);
    let live = this.byPeer.get(peer);
    if (!live) {
      if (!this.deps.preferSessions() || !this.offers.mayOffer(peer)) return false;
      live = this.offer(peer, message.to, message.conversationId);
      if (!live) return false;
    }
    if (live.opened) this.sendIn(live, form, settle);
    else live.held.push({ form, settle });
    return true;
  }

  isOpen(peer: string): boolean {
    return this.byPeer.get(peer)?.opened ?? false;
  }

  fellBack(status: number): boolean {
    return status === BY_PAGING;
  }

  carryNotice(peer: string, contentType: string, body: string): boolean {
    const live = this.byPeer.get(normalizeAddress(peer));
    if (!live?.opened || !live.msrp) return false;
    void live.msrp.send(contentType, Buffer.from(body, 'utf8')).then((outcome) => {
      if (!outcome.ok) this.deps.logger.info('a notification in a session was not taken', { peer, code: outcome.code });
    });
    return true;
  }

  /** An incoming INVITE: a session if it offers MSRP we can use, else 415/488 and the peer stays in paging mode. */
  onInvite(invitation: IncomingInvite): void {
    const peer = normalizeAddress(invitation.remoteIdentity.uri.toString());
    const refuse = (statusCode: number, why: string, extraHeaders: string[] = []) => {
      this.deps.logger.info('refused an INVITE', { peer, statusCode, why });
      void invitation.reject({ statusCode, extraHeaders }).catch(() => {});
    };
    if (!this.listener || !this.endpoint) return refuse(480, 'no MSRP listener');
    const contentType = invitation.request.getHeader('content-type');
    const body = invitation.request.body;
    if (!body) return refuse(488, 'no SDP offer in the INVITE');
    if (!contentType || mediaType(contentType) !== SDP_TYPE) return refuse(415, 'not SDP', [`Accept: ${SDP_TYPE}`]);
    const offer = parseMsrpSdp(body, 'offer');
    if (!offer.ok) return refuse(488, offer.reason);
    if (offer.media.path[0]!.secure && !this.listener.certificate) return refuse(488, 'msrps, and we have no certificate');
    // File transfers go to core/files/file-transfers.ts first; one that reaches here is never a chat.
    if (offer.media.file) return refuse(488, 'a file transfer here is not a chat session');
    if (!acceptsType(offer.media, 'message/cpim') && !acceptsType(offer.media, 'text/plain')) return refuse(488, 'takes no chat text');
    const existing = this.byPeer.get(peer);
    // Both offered at once: the peer's INVITE waits for ours to settle (RFC 3261 §14.1).
    if (existing && existing.outgoing && !existing.opened) return refuse(491, 'our own offer is pending');
    if (existing) void this.end(existing, 'replaced by a new session');
    else if (this.byPeer.size >= MAX_SESSIONS) return refuse(486, 'too many sessions');
    const live = this.track(peer, invitation, false, invitation.request.callId);
    invitation.accept().catch((error: unknown) => void this.end(live, `could not accept: ${String(error)}`));
  }

  private offer(peer: string, target: string, conversationId: string): Live | undefined {
    const endpoint = this.endpoint;
    if (!endpoint || !this.listener || this.byPeer.size >= MAX_SESSIONS) return undefined;
    const offer = makeOffer(endpoint.ua, target);
    if (!offer) return undefined;
    // Replies the peer sends on the INVITE's Call-ID (paging mode later) thread here too.
    this.deps.repo.addAlias(offer.callId, conversationId);
    const live = this.track(peer, offer.session, true, offer.callId);
    sendOffer(offer.session, (status) => (live.refusedWith = status)).catch(
      (error: unknown) => void this.end(live, `the INVITE could not go: ${String(error)}`, UNAVAILABLE),
    );
    return live;
  }

  private track(peer: string, sip: Session, outgoing: boolean, callId: string): Live {
    const live: Live = { peer, sip, outgoing, callId, held: [], opened: false, ended: false, received: 0, timer: undefined };
    live.timer = this.deps.clock.setTimeout(() => void this.end(live, 'the session was not up in time', 0), SETUP_TIMEOUT_MS);
    this.byPeer.set(peer, live);
    this.bySession.set(sip, live);
    watchSession(sip, {
      established: () => this.media(live),
      // sip.js moves an Inviter to Terminated before it hands the final response to our delegate:
      // a microtask later `refusedWith` holds the peer's answer.
      terminated: () =>
        queueMicrotask(
          () =>
            void this.end(
              live,
              live.opened ? 'the session ended' : (live.relayFailure ?? 'the INVITE failed'),
              live.refusedWith ?? NOT_ACCEPTABLE,
            ),
        ),
    });
    return live;
  }

  /** sip.js asks for a session's description handler: ours, with our listener expecting its connection. */
  private describe(session: Session): MsrpDescriptionHandler {
    const listener = this.listener;
    if (!listener) throw new Error('no MSRP listener');
    const certificate = listener.certificate;
    const claim = this.claims.get(session);
    const handler = new MsrpDescriptionHandler({
      host: listener.host,
      port: listener.port,
      acceptTypes: this.deps.acceptTypes,
      acceptWrappedTypes: claim ? [] : this.deps.acceptWrappedTypes,
      ...(certificate ? { secure: { port: listener.securePort, fingerprint: certificate.fingerprint } } : {}),
      offerSecure: this.offerSecure,
      ...claim?.media,
      // A file transfer goes through the relay as a chat does (core/files/file-transfers.ts).
      ...(this.relay ? { relay: this.relaySettings(session, this.relay) } : {}),
    });
    // Expected before the SDP leaves: the peer may connect the moment it reads our answer.
    listener.expect(handler.local.uri.sessionId!, (connection, first) =>
      claim ? claim.adopt(connection, first) : this.adopted(session, connection, first),
    );
    return handler;
  }

  /** The relay for one session: a refusal is remembered as the reason its offer or answer failed (a rest, not a refusal). */
  private relaySettings(session: Session, relay: AccountRelay): MsrpOfferSettings['relay'] {
    return {
      secure: relay.uri.secure,
      reserve: async (local) => {
        const reservation = await relay.reserve(local);
        const live = this.bySession.get(session);
        if (!reservation.ok && live) {
          live.refusedWith = UNAVAILABLE;
          live.relayFailure = `the MSRP relay: ${reservation.reason}`;
        }
        if (!reservation.ok) this.claims.get(session)?.relayFailed?.(`the MSRP relay: ${reservation.reason}`);
        return reservation;
      },
    };
  }

  private adopted(session: Session, connection: MsrpConnection, first: MsrpFrame): void {
    const live = this.bySession.get(session);
    if (!live || live.ended) return connection.close('no such session');
    if (!live.msrp) {
      live.early = { connection, first };
      return;
    }
    this.attachAccepted(live, connection, first);
  }

  /** An accepted connection joins the session if it is the one the SDP agreed (msrps: the peer's certificate). */
  private attachAccepted(live: Live, connection: MsrpConnection, first: MsrpFrame): void {
    const handler = live.sip.sessionDescriptionHandler;
    const remote = handler instanceof MsrpDescriptionHandler ? handler.remote : undefined;
    if (!remote || !connectionFits(connection, remote)) {
      connection.close('not the connection the SDP agreed');
      void this.end(live, 'the peer connected without the certificate (or transport) its SDP named', UNAVAILABLE);
      return;
    }
    live.msrp!.attach(connection, first);
    this.opened(live);
  }

  /** The INVITE is answered: connect (active) or wait for the peer's connection (passive). */
  private media(live: Live): void {
    const handler = live.sip.sessionDescriptionHandler;
    const route = handler instanceof MsrpDescriptionHandler ? this.route(handler) : undefined;
    if (!(handler instanceof MsrpDescriptionHandler) || !route) {
      void this.end(live, 'no MSRP media agreed', NOT_ACCEPTABLE);
      return;
    }
    const reservation = route.reservation;
    live.msrp = new MsrpSession(
      handler.local.uri,
      route.toPath,
      this.deps.clock,
      {
        message: (message, done) => this.deps.deliver(sessionMessage(live.sip, live.callId, ++live.received, message, done)),
        closed: (reason) => void this.end(live, reason, UNAVAILABLE),
      },
      { maxMessageBytes: MAX_SESSION_MESSAGE },
    );
    if (reservation) {
      // Our side runs on the relay connection, whatever a=setup says; the active end greets
      // through it, so the peer (or its relay) knows the session.
      live.msrp.attach(reservation.connection);
      if (handler.active) live.msrp.greet();
      this.renewBefore(live, reservation.expires);
      this.opened(live);
      return;
    }
    if (!route.connect) {
      if (live.early) this.attachAccepted(live, live.early.connection, live.early.first);
      return;
    }
    const msrp = live.msrp;
    route.connect().then(
      (connection) => {
        msrp.attach(connection);
        if (live.ended) return;
        msrp.greet();
        this.opened(live);
      },
      (error: unknown) => void this.end(live, `could not connect: ${String(error)}`, UNAVAILABLE),
    );
  }

  /**
   * The relay's reservation runs out after `expires` s, and the bundled relay gives a new Use-Path
   * to every AUTH (server/kamailio.cfg), so a login again could not keep the path in our SDP:
   * shortly before it runs out the session ends, without resting the peer, and the next message
   * offers a fresh session with a fresh reservation (what was in flight goes by paging mode).
   * The offerer's ends first, the answerer's later (both before their reservations run out): a
   * peer's BYE rests that peer (as any ended session does), so it is the offerer, the side that
   * wants sessions, that must not get one.
   */
  private renewBefore(live: Live, expires: number | undefined): void {
    if (expires === undefined) return;
    const ms =
      (live.outgoing
        ? Math.max(expires - RELAY_RENEW_MARGIN_S, expires / 2)
        : Math.max(expires - RELAY_RENEW_MARGIN_S / 2, (expires * 3) / 4)) * 1000;
    live.renew = this.deps.clock.setTimeout(
      () => void this.end(live, 'the relay reservation runs out: a new session takes over', undefined, false),
      ms,
    );
  }

  private opened(live: Live): void {
    if (live.ended || live.opened) return;
    live.opened = true;
    this.deps.clock.clearTimeout(live.timer);
    this.deps.logger.info('chat session open', { peer: live.peer, callId: live.callId });
    this.deps.emit({ type: 'chat-mode', peer: live.peer, mode: 'session' });
    const held = live.held;
    live.held = [];
    for (const { form, settle } of held) this.sendIn(live, form, settle);
  }

  private sendIn(live: Live, form: WireForm, settle: Settle): void {
    void live.msrp!.send(form.contentType, Buffer.from(form.body, 'utf8')).then((outcome) => {
      if (outcome.ok) return settle(200);
      settle(BY_PAGING, outcome.reason);
      // No answer, or no session any more: the session is done; a refusal of one message is not.
      if (outcome.code === 0 || outcome.code === 408 || outcome.code === 481)
        void this.end(live, `a message was lost: ${outcome.reason}`, UNAVAILABLE);
    });
  }

  /**
   * Ends a session once: BYE or CANCEL as its state allows, what it held goes by paging mode.
   * `status` says how an offer of ours that never opened went, for offer-policy.ts (0: no answer);
   * without it (we go away, a newer session replaces it) the peer's record is left alone.
   */
  private async end(live: Live, reason: string, status?: number, rest = true): Promise<void> {
    if (live.ended) return;
    live.ended = true;
    this.deps.clock.clearTimeout(live.timer);
    if (live.renew !== undefined) this.deps.clock.clearTimeout(live.renew);
    if (this.byPeer.get(live.peer) === live) this.byPeer.delete(live.peer);
    this.bySession.delete(live.sip);
    const handler = live.sip.sessionDescriptionHandler;
    if (handler instanceof MsrpDescriptionHandler) this.listener?.forget(handler.local.uri.sessionId!);
    live.early?.connection.close(reason);
    live.msrp?.close(reason);
    for (const { settle } of live.held) settle(BY_PAGING, reason);
    live.held = [];
    if (live.opened) {
      if (rest) this.offers.ended(live.peer);
      this.deps.emit({ type: 'chat-mode', peer: live.peer, mode: 'paging' });
    } else if (live.outgoing && status !== undefined) this.offers.offerFailed(live.peer, status);
    this.deps.logger.info('chat session ended', { peer: live.peer, callId: live.callId, reason, opened: live.opened });
    await this.hangUp(live.sip);
  }

  private async hangUp(sip: Session): Promise<void> {
    try {
      await hangUp(sip);
    } catch {
      // Already over on the other side, or the endpoint is gone: nothing left to tell.
    }
  }
}
