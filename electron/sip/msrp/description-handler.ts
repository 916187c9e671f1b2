/**
 * sip.js's SessionDescriptionHandler for MSRP: what sip.js's Inviter and Invitation call to make
 * and take SDP. It holds no connection; it only writes our m=message (sdp.ts) and keeps what the
 * peer's said, for the session's owner to connect or wait once the INVITE is answered. Whichever
 * comes first tells the role: getDescription before any setDescription is an offer, setDescription
 * first means we answer (and our a=setup follows the offer's, RFC 6135, as our scheme does: an
 * msrps offer gets an msrps answer, an msrp one an msrp answer).
 */
import { randomBytes } from 'node:crypto';
import type { BodyAndContentType, Session, SessionDescriptionHandler, SessionDescriptionHandlerFactory } from 'sip.js';
import type { Fingerprint } from './certificate.js';
import { answerSetup, msrpSdp, parseMsrpSdp, type LocalMedia, type RemoteMedia } from './sdp.js';
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
}

export class MsrpDescriptionHandler implements SessionDescriptionHandler {
  readonly local: LocalMedia;
  private _remote: RemoteMedia | undefined;
  private role: 'offerer' | 'answerer' | undefined;

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
    this.useSecure(settings.offerSecure);
  }

  /** The peer's media once its offer or answer was taken. */
  get remote(): RemoteMedia | undefined {
    return this._remote;
  }

  /** Whether we connect to the peer (else we wait for it to connect to us). */
  get active(): boolean {
    return this.local.setup === 'active';
  }

  getDescription(): Promise<BodyAndContentType> {
    this.role ??= 'offerer';
    return Promise.resolve({ body: msrpSdp(this.local), contentType: SDP_TYPE });
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

  close(): void {}
}

/** The factory sip.js's UserAgent builds each session's handler with. */
export function msrpDescriptionFactory(settings: () => MsrpOfferSettings): SessionDescriptionHandlerFactory {
  return (_session: Session) => new MsrpDescriptionHandler(settings());
}
