/**
 * sip.js's SessionDescriptionHandler for MSRP: what sip.js's Inviter and Invitation call to make
 * and take SDP. It holds no connection; it only writes our m=message (sdp.ts) and keeps what the
 * peer's said, for the session's owner to connect or wait once the INVITE is answered. Whichever
 * comes first tells the role: getDescription before any setDescription is an offer, setDescription
 * first means we answer (and our a=setup follows the offer's, RFC 6135, as our scheme does: an
 * msrps offer gets an msrps answer, an msrp one an msrp answer).
 *
 * With a relay (RFC 4976) our SDP waits for its reservation: getDescription logs in to the relay
 * first and writes its Use-Path before our URI in a=path (§6); a refusal rejects, and sip.js then
 * fails the INVITE or the answer. Our scheme is then the relay's (every hop of a=path agrees,
 * sdp.ts); an offer in the other scheme is answered without the relay, directly.
 */
import { randomBytes } from 'node:crypto';
import type { BodyAndContentType, Session, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import type { Fingerprint } from './certificate.js';
import { answerSetup, msrpSdp, parseMsrpSdp, type LocalMedia, type RemoteMedia } from './sdp.js';
import type { Reservation } from './relay-client.js';
import type { MsrpUri } from './uri.js';

export const SDP_TYPE = 'application/sdp';

export interface MsrpOfferSettings {
  /** Where peers reach our MSRP listener. */
  host: string;
  port: number;
  acceptTypes: readonly string[];
  acceptWrappedTypes: readonly string[];
  /** Our TLS listener (msrps), when there is one: its port and our certificate's fingerprint. */
  secure?: { port: number; fingerprint: Fingerprint };
  /** Whether our offers are msrps (the account's SIP goes over TLS); answers follow the offer. */
  offerSecure: boolean;
  /** For a file transfer (RFC 5547): the file and our direction, written into our SDP. */
  file?: LocalMedia['file'];
  direction?: LocalMedia['direction'];
  /** The relay our side of the session goes through, when the account names one. */
  relay?: RelaySettings;
}

export interface RelaySettings {
  /** msrps: the relay is reached over TLS. */
  secure: boolean;
  /** Logs in to the relay for `local` (relay-client.ts's reserveRelay on a new connection). */
  reserve(local: MsrpUri): Promise<Reservation>;
}

/** A reservation that worked: the connection the session runs on and the relay's Use-Path. */
export type RelayReservation = Extract<Reservation, { ok: true }>;

export class MsrpDescriptionHandler implements SessionDescriptionHandler {
  readonly local: LocalMedia;
  private _remote: RemoteMedia | undefined;
  private role: 'offerer' | 'answerer' | undefined;
  private _reservation: Promise<Reservation> | undefined;
  private reserved: RelayReservation | undefined;

  constructor(private readonly settings: MsrpOfferSettings) {
    const uri: MsrpUri = {
      secure: false,
      host: settings.host,
      port: settings.port,
      // 80 random bits: the session-id is what binds an accepted connection to this session.
      sessionId: randomBytes(10).toString('hex'),
      transport: 'tcp',
      params: [],
    };
    this.local = {
      uri,
      setup: 'actpass',
      acceptTypes: settings.acceptTypes,
      acceptWrappedTypes: settings.acceptWrappedTypes,
      ...(settings.file ? { file: settings.file } : {}),
      ...(settings.direction ? { direction: settings.direction } : {}),
    };
    // With a relay, our offers are in its scheme (when we can: msrps needs our TLS listener).
    if (!settings.relay || !this.useSecure(settings.relay.secure)) this.useSecure(settings.offerSecure);
  }

  /** The relay reservation our side of the session runs on; undefined when it goes direct. */
  get reservation(): RelayReservation | undefined {
    return this.reserved;
  }

  /** The peer's media once its offer or answer was taken. */
  get remote(): RemoteMedia | undefined {
    return this._remote;
  }

  /** Whether we connect to the peer (else we wait for it to connect to us). */
  get active(): boolean {
    return this.local.setup === 'active';
  }

  async getDescription(): Promise<BodyAndContentType> {
    this.role ??= 'offerer';
    const relay = this.settings.relay;
    if (relay && relay.secure === this.local.uri.secure) {
      this._reservation ??= relay.reserve(this.local.uri);
      const reservation = await this._reservation;
      if (!reservation.ok) throw new Error(`the MSRP relay: ${reservation.reason}`);
      this.reserved = reservation;
      this.local.relays = reservation.usePath;
    }
    return { body: msrpSdp(this.local), contentType: SDP_TYPE };
  }

  setDescription(sdp: string): Promise<void> {
    this.role ??= 'answerer';
    const parsed = parseMsrpSdp(sdp, this.role === 'answerer' ? 'offer' : 'answer');
    if (!parsed.ok) return Promise.reject(new Error(`unusable MSRP SDP: ${parsed.reason}`));
    if (this.role === 'answerer' && !this.useSecure(parsed.media.path[0]!.secure))
      return Promise.reject(new Error('an msrps offer, and we have no TLS listener'));
    this._remote = parsed.media;
    // Answering, we take the role the offer leaves us; offering actpass, the answer decides ours.
    this.local.setup = this.role === 'answerer' ? answerSetup(parsed.media.setup) : parsed.media.setup === 'active' ? 'passive' : 'active';
    return Promise.resolve();
  }

  hasDescription(contentType: string): boolean {
    return contentType.split(';')[0]!.trim().toLowerCase() === SDP_TYPE;
  }

  /** Our URI and SDP as msrps (false when we have no TLS listener) or msrp. */
  private useSecure(secure: boolean): boolean {
    const tls = this.settings.secure;
    if (secure && !tls) return false;
    this.local.uri = { ...this.local.uri, secure, port: secure ? tls!.port : this.settings.port };
    if (secure) this.local.fingerprint = tls!.fingerprint;
    else delete this.local.fingerprint;
    return true;
  }

  sendDtmf(): boolean {
    return false;
  }

  /** sip.js is done with the session (it is over): the relay connection goes with it, even one no session took. */
  close(): void {
    void this._reservation?.then((reservation) => {
      if (reservation.ok) reservation.connection.close('the session is over');
    });
  }
}

/** The factory sip.js's UserAgent builds each session's handler with. */
export function msrpDescriptionFactory(settings: () => MsrpOfferSettings): SessionDescriptionHandlerFactory {
  return (_session: Session) => new MsrpDescriptionHandler(settings());
}
