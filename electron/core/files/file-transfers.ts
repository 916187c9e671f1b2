/**
 * File transfer (RFC 5547, docs/DESIGN.md#file-transfer): one INVITE per file, whose m=message
 * offer describes the file (a=file-selector name, type, size, SHA-1; a=file-transfer-id) and
 * says which way it goes (a=sendonly from the sender), then the file's bytes over that session's
 * own MSRP connection (sip/msrp/file-sender.ts, file-receiver.ts), then BYE.
 *
 * The sessions share the chat sessions' MSRP listener and description handler
 * (core/sessions/chat-sessions.ts `claim`): a file session is described with its file and adopted
 * here, never taken for a chat; with a relay in the account a file's session is reserved on it and
 * its bytes go through it as a chat's do (ChatSessions.route, docs/DESIGN.md#files-through-the-relay),
 * and a relay's refusal fails the transfer with its reason. An offer the user has not answered waits as 'offered'; accepted,
 * the bytes go into "<name>.part" in the downloads folder under a name made safe
 * (download-name.ts), checked against the declared size and the hash, and renamed to "<name>"
 * only then; a failure or a cancel deletes the part. Progress goes out at most PROGRESS_EVERY_MS.
 *
 * A broken link (the MSRP connection cut, or the peer's BYE mid-transfer) is not a failure
 * (docs/DESIGN.md#resuming-a-file, RFC 5547 §8): both sides mark the transfer 'interrupted', the
 * receiver keeps the bytes on disk, and the sender offers the rest (a new INVITE, the same
 * file-selector, a new file-transfer-id, a=file-range:<next byte>-<size>) once by itself after
 * RESUME_BACKOFF_MS and whenever the user asks; the receiver takes it into the same part without
 * asking the user again, and the final SHA-1 is over the whole file.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { completeAddress, normalizeAddress } from '../../../shared/domain/address.js';
import type { FileSettings, FileTransfer, FileTransferState, ParleyEventOf } from '../../../shared/ipc.js';
import { formatSize } from '../../../shared/words/file-size.js';
import { MsrpDescriptionHandler, SDP_TYPE } from '../../sip/msrp/description-handler.js';
import type { MsrpConnection, MsrpFrame } from '../../sip/msrp/connection.js';
import { connectionFits } from '../../sip/msrp/listener.js';
import type { MsrpUri } from '../../sip/msrp/uri.js';
import type { FileOffer } from '../../sip/msrp/file-selector.js';
import { FileReceiver, type FileReceiveOutcome } from '../../sip/msrp/file-receiver.js';
import { FileSender } from '../../sip/msrp/file-sender.js';
import { encodeGreeting, newMessageId } from '../../sip/msrp/frame-encoder.js';
import { parseMsrpSdp } from '../../sip/msrp/sdp.js';
import { hangUp, makeOffer, sendOffer, watchSession, type IncomingInvite, type SipSession } from '../../sip/msrp/sip-session.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import type { Endpoint } from '../account/endpoint.js';
import { UserError } from '../core.js';
import { mediaType } from '../conversations/content/incoming-content.js';
import type { ChatSessions } from '../sessions/chat-sessions.js';
import { isInside, safeFileName, uniqueName } from './download-name.js';
import { typeOfFile } from './file-type.js';

/** Progress events per transfer at most this often (10 a second). */
export const PROGRESS_EVERY_MS = 100;
/** Size limit until the user sets one: 4 GiB. */
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;
/** Transfers kept in the list (finished ones beyond this are forgotten, oldest first). */
const MAX_KEPT = 200;
/** Offers waiting for the user at once; more are answered 486 (a flood of offers fills no list). */
const MAX_PENDING_OFFERS = 32;
const SETTINGS_KEY = 'files.settings';
/** An interrupted sender offers the rest by itself once, this long after the break. */
export const RESUME_BACKOFF_MS = 3_000;
/** An interrupted download is kept this long for its sender to resume it, then deleted. */
export const RESUME_WAIT_MS = 10 * 60_000;
/** Refusals of a resume that say "not now" rather than "no": the transfer stays interrupted. */
const NOT_NOW = new Set([408, 480, 486, 503]);
/**
 * The longest frame sent when a relay is on the way. RFC 4975 lets a relay refuse large chunks;
 * Kamailio's msrp module, the bundled relay, routes only frames under 11,239 bytes whole (for larger
 * ones its script can read nothing and refuses them: docs/DESIGN.md#files-through-the-relay), and
 * this leaves a margin for a relay that writes a longer path than it reads.
 */
export const RELAY_FRAME_BYTES = 11_000;

export interface FileTransfersDeps {
  clock: Clock;
  logger: Logger;
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  sessions: Pick<ChatSessions, 'claim' | 'release' | 'route' | 'ready'>;
  endpoint(): Endpoint | undefined;
  /** Where files go until the user chooses a folder. */
  defaultDownloadsDir: string;
  emit(event: ParleyEventOf<'file-transfer'>): void;
  /** An offer came from `peer`: its conversation is made if there is none, so the offer has a place on screen. */
  conversationWith(peer: string): void;
  /** A receiver's stall timeout (tests shorten it). */
  stallMs?: number;
  /**
   * Told every state before it is announced, with an incoming transfer's part file once it has one:
   * the conversation's history keeps transfers (file-history.ts).
   */
  record?(transfer: FileTransfer, part: string | undefined): void;
}

interface Transfer {
  view: FileTransfer;
  sip: SipSession;
  /** Outgoing: the file sent; incoming: the `.part` being written. */
  source?: string;
  offer?: FileOffer;
  invitation?: IncomingInvite;
  sender?: FileSender;
  receiver?: FileReceiver;
  /** The connection the bytes go on: closed when the transfer ends or breaks (nothing else will use it). */
  connection?: MsrpConnection;
  /** Connections a relay opened to us besides the transfer's own (alsoOn): closed when the transfer stops. */
  others?: MsrpConnection[];
  /** Where our requests go (the relay's Use-Path first when we use one): known once the INVITE is answered. */
  toPath?: readonly MsrpUri[];
  /** A relay is on the way (ours or the peer's): chunks of RELAY_CHUNK_BYTES. */
  relayed?: boolean;
  /** Why our relay refused the session, when that is what failed it. */
  relayFailure?: string;
  /** Sending: a connection the peer made before the answer was through here, and its frames so far. */
  early?: { connection: MsrpConnection; held: MsrpFrame[] };
  /** Outgoing: called once the transfer is over (a copy made for it is deleted then). */
  ended?: () => void;
  established: boolean;
  refusal?: string;
  refusedWith?: number;
  lastProgress: number;
  /** Bytes from the first that both sides hold (the receiver on disk, the sender confirmed): where a resume starts. */
  kept: number;
  /** The first byte (1-based) the current session carries: past 1 for a resume. */
  from?: number;
  /** Outgoing: the one resume made without the user was made. */
  autoResumed?: boolean;
  /** The back-off before that resume, or how long an interrupted download waits for its sender. */
  timer?: unknown;
}

const FINAL: ReadonlySet<FileTransferState> = new Set(['done', 'declined', 'cancelled', 'failed']);

export class FileTransfers {
  private readonly transfers = new Map<string, Transfer>();

  constructor(private readonly deps: FileTransfersDeps) {}

  settings(): FileSettings {
    const stored = this.deps.settings.get<Partial<FileSettings>>(SETTINGS_KEY) ?? {};
    return { downloadsDir: stored.downloadsDir ?? this.deps.defaultDownloadsDir, maxBytes: stored.maxBytes ?? DEFAULT_MAX_BYTES };
  }

  setSettings(change: Partial<FileSettings>): FileSettings {
    if (change.downloadsDir !== undefined && !path.isAbsolute(change.downloadsDir))
      throw new UserError('the downloads folder must be an absolute path', 'invalid-request');
    const next = { ...this.settings(), ...change };
    this.deps.settings.set(SETTINGS_KEY, next);
    return next;
  }

  list(): FileTransfer[] {
    return [...this.transfers.values()].map((t) => t.view);
  }

  /**
   * Offers `file` to `to`: hashed first (streamed), then the INVITE. `ended` is called once the
   * transfer is over (not when this throws: the caller still owns the file then).
   */
  async send(to: string, file: string, ended?: () => void): Promise<FileTransfer> {
    const endpoint = this.deps.endpoint();
    if (!endpoint || !this.deps.sessions.ready)
      throw new UserError('not connected: files need an account that is online', 'not-configured');
    let size: number;
    try {
      const stat = await fs.promises.stat(file);
      if (!stat.isFile()) throw new UserError(`not a file: ${file}`, 'invalid-request');
      size = stat.size;
    } catch (error) {
      if (error instanceof UserError) throw error;
      throw new UserError(`the file cannot be read: ${file}`, 'invalid-request');
    }
    const sha1 = await hashFile(file);
    const name = path.basename(file);
    const type = typeOfFile(name);
    // A bare user name means "at my domain" with an account, as for a message (messaging.ts).
    const target = completeAddress(to, endpoint.account ? endpoint.aor : undefined);
    const offer = target ? makeOffer(endpoint.ua, target) : undefined;
    if (!target || !offer) throw new UserError(`"${to}" is not an address Parley can send to`, 'invalid-request');
    const id = randomBytes(8).toString('hex');
    const transfer: Transfer = {
      kept: 0,
      view: {
        id,
        peer: normalizeAddress(target),
        direction: 'out',
        name,
        size,
        type,
        state: 'connecting',
        transferred: 0,
        startedAt: this.deps.clock.now(),
      },
      sip: offer.session,
      source: file,
      offer: { selector: { name, type, size, hash: { algorithm: 'sha-1', hex: sha1 } }, transferId: id, disposition: 'attachment' },
      established: false,
      lastProgress: 0,
      ...(ended ? { ended } : {}),
    };
    this.keep(transfer);
    this.offer(transfer, offer.session, transfer.offer!);
    this.emit(transfer);
    return transfer.view;
  }

  /**
   * Offers the rest of an interrupted outgoing transfer (RFC 5547 §8): a new INVITE with the same
   * file-selector, a new file-transfer-id (a new transfer operation, §8.1) and
   * a=file-range:<first byte the receiver lacks>-<size>. Only the sender resumes (Parley pushes
   * files and never serves a pull); the receiver's card waits for it.
   */
  async resume(id: string): Promise<FileTransfer> {
    const transfer = this.find(id);
    if (transfer.view.state !== 'interrupted') throw new UserError('only an interrupted transfer can be resumed', 'failed');
    if (transfer.view.direction === 'in') throw new UserError('the sender resumes a file: its card has Resume', 'invalid-request');
    this.resumeOffer(transfer);
    return transfer.view;
  }

  private resumeOffer(transfer: Transfer): void {
    this.deps.clock.clearTimeout(transfer.timer);
    const endpoint = this.deps.endpoint();
    if (!endpoint || !this.deps.sessions.ready)
      throw new UserError('not connected: files need an account that is online', 'not-configured');
    const made = makeOffer(endpoint.ua, transfer.view.peer);
    if (!made) throw new UserError(`"${transfer.view.peer}" is not an address Parley can send to`, 'invalid-request');
    const size = transfer.view.size;
    // Never past the last byte: the receiver checks the whole file again whatever it lacks.
    transfer.from = Math.min(transfer.kept, Math.max(size - 1, 0)) + 1;
    this.resuming(transfer, { transferred: transfer.kept, resumedAt: transfer.kept });
    const file: FileOffer = {
      ...transfer.offer!,
      transferId: randomBytes(8).toString('hex'),
      ...(size > 0 ? { range: { start: transfer.from, end: size } } : {}),
    };
    this.offer(transfer, made.session, file);
  }

  /** A resume starts (ours or the peer's): connecting again from `transfer.from`, the last failure's reason gone. */
  private resuming(transfer: Transfer, fields: Partial<FileTransfer>): void {
    const { reason: _reason, ...view } = transfer.view;
    transfer.view = { ...view, ...fields, state: 'connecting' };
    this.deps.logger.info('resuming a file transfer', { id: transfer.view.id, peer: transfer.view.peer, from: transfer.from });
    this.emit(transfer);
  }

  /** `session` (made, not yet sent) becomes the transfer's, described with `file`, and goes out. */
  private offer(transfer: Transfer, session: SipSession, file: FileOffer): void {
    transfer.sip = session;
    transfer.established = false;
    transfer.refusal = undefined;
    transfer.refusedWith = undefined;
    this.claim(transfer, session, file, 'sendonly');
    sendOffer(session, (status, reason) => {
      transfer.refusal = `${status ?? ''} ${reason ?? ''}`.trim();
      transfer.refusedWith = status;
    }).catch((error: unknown) => this.finish(transfer, 'failed', `the offer could not go: ${errorText(error)}`));
  }

  /** The session is described with the file and its connection handed here; its moments are watched (only while it is the transfer's). */
  private claim(transfer: Transfer, session: SipSession, file: FileOffer, direction: 'sendonly' | 'recvonly'): void {
    this.deps.sessions.claim(session, {
      media: { acceptTypes: [mediaType(transfer.view.type)], file, direction },
      relayFailed: (reason) => (transfer.relayFailure = reason),
      adopt: (connection, first) =>
        transfer.sip === session ? this.connected(transfer, connection, first) : connection.close("not the transfer's session now"),
    });
    watchSession(session, {
      established: () => transfer.sip === session && this.established(transfer),
      terminated: () => queueMicrotask(() => this.terminated(transfer, session)),
    });
  }

  /** An INVITE: true when it offers a file (then it is ours to answer), false to leave it to chat sessions. */
  takes(invitation: IncomingInvite): boolean {
    const body = invitation.request.body;
    const contentType = invitation.request.getHeader('content-type');
    if (!body || !contentType || mediaType(contentType) !== SDP_TYPE) return false;
    const parsed = parseMsrpSdp(body, 'offer');
    if (!parsed.ok || !parsed.media.file) return false;
    const file = parsed.media.file;
    const peer = normalizeAddress(invitation.remoteIdentity.uri.toString());
    const refuse = (statusCode: number, reasonPhrase: string): true => {
      this.deps.logger.info('refused a file offer', { peer, statusCode, reasonPhrase });
      void invitation.reject({ statusCode, reasonPhrase }).catch(() => {});
      return true;
    };
    if (!this.deps.sessions.ready) return refuse(480, 'Not Ready For Files');
    // a=recvonly asks us to send a file (RFC 5547 pull): Parley only pushes.
    if (/^a=recvonly\s*$/m.test(body)) return refuse(488, 'Parley Does Not Serve Files');
    const size = file.selector.size;
    if (size === undefined) return refuse(488, 'File Size Not Given');
    if (file.selector.hash && file.selector.hash.algorithm !== 'sha-1') return refuse(488, 'Unknown Hash Algorithm');
    const limit = this.settings().maxBytes;
    if (size > limit) return refuse(488, `File Larger Than The ${formatSize(limit)} Limit`);
    if (file.range) {
      const resumed = this.resumable(peer, file);
      if (resumed) return this.resumeIncoming(resumed, invitation, file, refuse);
      // A range that is the whole file is an ordinary offer; any other names bytes of a transfer we do not have.
      if (file.range.start !== 1 || (file.range.end !== undefined && file.range.end !== size)) return refuse(488, 'No Transfer To Resume');
    }
    if ([...this.transfers.values()].filter((t) => t.view.state === 'offered').length >= MAX_PENDING_OFFERS)
      return refuse(486, 'Too Many File Offers');
    const transfer: Transfer = {
      kept: 0,
      view: {
        id: randomBytes(8).toString('hex'),
        peer,
        direction: 'in',
        name: safeFileName(file.selector.name),
        size,
        type: file.selector.type ?? 'application/octet-stream',
        state: 'offered',
        transferred: 0,
        startedAt: this.deps.clock.now(),
      },
      sip: invitation,
      offer: file,
      invitation,
      established: false,
      lastProgress: 0,
    };
    this.keep(transfer);
    try {
      this.deps.conversationWith(peer);
    } catch (error) {
      this.deps.logger.warn('no conversation for a file offer', { peer, error });
    }
    watchSession(invitation, {
      established: () => {},
      // Until it is accepted (claim() watches it from then on): the sender withdrew the offer.
      terminated: () => queueMicrotask(() => transfer.view.state === 'offered' && this.terminated(transfer, invitation)),
    });
    this.emit(transfer);
    return true;
  }

  /** The interrupted download from `peer` an offer with a=file-range continues: the same name, size and SHA-1. */
  private resumable(peer: string, file: FileOffer): Transfer | undefined {
    const wanted = file.selector;
    if (!wanted.hash) return undefined;
    return [...this.transfers.values()].find(
      ({ view, offer }) =>
        view.direction === 'in' &&
        view.state === 'interrupted' &&
        view.peer === peer &&
        offer?.selector.name === wanted.name &&
        offer?.selector.size === wanted.size &&
        offer?.selector.hash?.hex === wanted.hash!.hex,
    );
  }

  /**
   * The sender offers the rest of an interrupted download: taken at once (the user accepted the
   * file already) when its range is the rest of the file and starts no later than the byte after
   * those we kept; anything else is refused and the download stays interrupted.
   */
  private resumeIncoming(
    transfer: Transfer,
    invitation: IncomingInvite,
    file: FileOffer,
    refuse: (statusCode: number, reasonPhrase: string) => true,
  ): true {
    const size = transfer.view.size;
    const range = file.range!;
    if (range.start > size || (range.end ?? size) > size) return refuse(488, 'File Range Beyond The File');
    if ((range.end ?? size) < size) return refuse(488, 'Only The Rest Of The File Is Taken');
    if (range.start > transfer.kept + 1) return refuse(488, 'File Range Starts Past What We Have');
    this.deps.clock.clearTimeout(transfer.timer);
    transfer.sip = invitation;
    transfer.invitation = invitation;
    transfer.established = false;
    transfer.from = range.start;
    this.resuming(transfer, { resumedAt: range.start - 1 });
    void this.acceptOffer(transfer, invitation, { ...transfer.offer!, range, ...(file.transferId ? { transferId: file.transferId } : {}) });
    return true;
  }

  async answer(id: string, accept: boolean): Promise<FileTransfer> {
    const transfer = this.find(id);
    const invitation = transfer.invitation;
    if (transfer.view.state !== 'offered' || !invitation) throw new UserError('this offer was answered already', 'failed');
    if (!accept) {
      this.finish(transfer, 'declined', 'declined here');
      await invitation.reject({ statusCode: 603, reasonPhrase: 'Declined' }).catch(() => {});
      return transfer.view;
    }
    const folder = this.settings().downloadsDir;
    let part: string;
    try {
      await fs.promises.mkdir(folder, { recursive: true });
      const existing = new Set(await fs.promises.readdir(folder));
      const name = uniqueName(transfer.view.name, (n) => existing.has(n) || existing.has(`${n}.part`));
      part = path.join(folder, `${name}.part`);
      if (!isInside(folder, part)) throw new Error('the name leaves the downloads folder');
      transfer.source = part;
    } catch (error) {
      this.finish(transfer, 'failed', `the file cannot be saved in ${folder}: ${String(error)}`);
      await invitation.reject({ statusCode: 500, reasonPhrase: 'Cannot Save The File' }).catch(() => {});
      return transfer.view;
    }
    transfer.view = { ...transfer.view, state: 'connecting' };
    this.emit(transfer);
    await this.acceptOffer(transfer, invitation, transfer.offer!);
    return transfer.view;
  }

  private async acceptOffer(transfer: Transfer, invitation: IncomingInvite, file: FileOffer): Promise<void> {
    this.claim(transfer, invitation, file, 'recvonly');
    try {
      await invitation.accept();
    } catch (error) {
      this.finish(transfer, 'failed', `the offer could not be accepted: ${errorText(error)}`);
    }
  }

  async cancel(id: string): Promise<FileTransfer> {
    const transfer = this.find(id);
    if (FINAL.has(transfer.view.state)) return transfer.view;
    this.finish(transfer, 'cancelled', 'cancelled here');
    return transfer.view;
  }

  /** The endpoint goes away: every transfer still going (or waiting to resume) ends (BYE while the endpoint can). */
  async detach(): Promise<void> {
    const going = [...this.transfers.values()].filter((t) => !FINAL.has(t.view.state));
    for (const transfer of going) this.finish(transfer, 'failed', 'Parley went offline');
    await Promise.all(going.map((t) => hangUp(t.sip).catch(() => {})));
  }

  private find(id: string): Transfer {
    const transfer = this.transfers.get(id);
    if (!transfer) throw new UserError('no such file transfer', 'invalid-request');
    return transfer;
  }

  private keep(transfer: Transfer): void {
    this.transfers.set(transfer.view.id, transfer);
    for (const [id, t] of this.transfers) {
      if (this.transfers.size <= MAX_KEPT) break;
      if (FINAL.has(t.view.state)) this.transfers.delete(id);
    }
  }

  /** Our side of the INVITE is through: connect when we are the active end, else wait for the peer's connection. */
  private established(transfer: Transfer): void {
    transfer.established = true;
    const handler = transfer.sip.sessionDescriptionHandler;
    const route = handler instanceof MsrpDescriptionHandler ? this.deps.sessions.route(handler) : undefined;
    if (!(handler instanceof MsrpDescriptionHandler) || !route) return this.finish(transfer, 'failed', 'no MSRP media was agreed');
    transfer.toPath = route.toPath;
    transfer.relayed = route.reservation !== undefined || handler.remote!.path.length > 1;
    // Through the relay (RFC 4976): our side runs on the connection that made the reservation.
    if (route.reservation) return this.ours(transfer, handler, route.reservation.connection);
    if (transfer.early) {
      const { connection, held } = transfer.early;
      if (!this.fits(transfer, handler, connection)) return;
      return this.sendOver(transfer, handler, connection, held);
    }
    if (!route.connect) return;
    route.connect().then(
      (connection) => this.ours(transfer, handler, connection),
      (error: unknown) => this.finish(transfer, 'failed', `could not connect to the peer: ${errorText(error)}`),
    );
  }

  /** A connection we made (or the relay's): the active end greets on it first (a bodiless SEND, §7.1.1), so the passive end, or its relay, binds it by its first request. */
  private ours(transfer: Transfer, handler: MsrpDescriptionHandler, connection: MsrpConnection): void {
    if (!this.going(transfer)) return connection.close('the transfer is over');
    if (handler.active) {
      const greeting = encodeGreeting(transfer.toPath!, [handler.local.uri]);
      if (greeting.ok) connection.send(greeting.bytes);
    }
    this.connected(transfer, connection);
  }

  /** An accepted connection is the one the SDP agreed (msrps: the certificate the peer's fingerprint names), else the transfer fails. */
  private fits(transfer: Transfer, handler: MsrpDescriptionHandler, connection: MsrpConnection): boolean {
    if (!handler.remote || connectionFits(connection, handler.remote)) return true;
    connection.close('not the connection the SDP agreed');
    this.finish(transfer, 'failed', 'the peer connected without the certificate (or transport) its SDP named');
    return false;
  }

  /**
   * A connection for the transfer (made by us, or the peer's, adopted): the bytes start. The
   * receiver takes it at once (the sender may stream before the ACK reaches us); a sender holds
   * what comes until its side of the INVITE is through (it needs the answer's path).
   */
  private connected(transfer: Transfer, connection: MsrpConnection, first?: MsrpFrame): void {
    if (!this.going(transfer)) return connection.close('the transfer is over');
    const handler = transfer.sip.sessionDescriptionHandler as MsrpDescriptionHandler;
    // Accepted by our listener (it came with its first frame): checked against the peer's SDP once that is known.
    if (first && !this.fits(transfer, handler, connection)) return;
    if (transfer.sender || transfer.receiver) return this.alsoOn(transfer, connection, first);
    if (transfer.view.direction === 'in') return this.receive(transfer, handler, connection, first);
    const held = first ? [first] : [];
    if (!transfer.established || !handler.remote) {
      connection.listen({ frame: (item) => held.push(item), closed: () => {} });
      transfer.early = { connection, held };
      return;
    }
    this.sendOver(transfer, handler, connection, held);
  }

  /**
   * A second connection for a transfer already under way: a relay that does not reuse the
   * connection we opened to it (RFC 4975 §6 asks it to; Kamailio's msrp module connects to the URI
   * in our path instead) brings the peer's answers and REPORTs on one of its own. Its frames go to
   * the transfer's sender or receiver, whose own connection stays the one it writes on.
   */
  private alsoOn(transfer: Transfer, connection: MsrpConnection, first?: MsrpFrame): void {
    const side = transfer.sender ?? transfer.receiver!;
    (transfer.others ??= []).push(connection);
    connection.listen({ frame: (item) => side.hear(item), closed: () => {} });
    if (first) side.hear(first);
  }

  /**
   * The connections a relay opened to us for this transfer close with it: the relay would send a
   * later session's frames down the one it has (it reuses it by our address), where this transfer's
   * side would take them; closed, the relay opens a new one, which our listener hands to that session.
   */
  private closeOthers(transfer: Transfer, reason: string): void {
    for (const connection of transfer.others ?? []) connection.close(reason);
    transfer.others = undefined;
  }

  private sendOver(transfer: Transfer, handler: MsrpDescriptionHandler, connection: MsrpConnection, held: MsrpFrame[]): void {
    transfer.early = undefined;
    transfer.connection = connection;
    this.transferring(transfer);
    const sender = new FileSender({
      connection,
      local: handler.local.uri,
      remotePath: transfer.toPath!,
      clock: this.deps.clock,
      path: transfer.source!,
      size: transfer.view.size,
      contentType: transfer.view.type,
      messageId: newMessageId(),
      ...(transfer.from !== undefined ? { start: transfer.from } : {}),
      ...(transfer.relayed ? { relayFrameBytes: RELAY_FRAME_BYTES } : {}),
      progress: (sent) => this.progress(transfer, sent),
    });
    transfer.sender = sender;
    void sender.done.then((outcome) => {
      if (outcome.ok) return this.finish(transfer, 'done');
      if (outcome.interrupted) return this.interrupt(transfer, outcome.reason, outcome.interrupted.confirmed);
      this.finish(transfer, 'failed', outcome.reason);
    });
    sender.start(held);
  }

  private receive(transfer: Transfer, handler: MsrpDescriptionHandler, connection: MsrpConnection, first?: MsrpFrame): void {
    transfer.connection = connection;
    this.transferring(transfer);
    const receiver = new FileReceiver({
      local: handler.local.uri,
      clock: this.deps.clock,
      partPath: transfer.source!,
      size: transfer.view.size,
      ...(transfer.offer!.selector.hash ? { sha1: transfer.offer!.selector.hash.hex } : {}),
      ...(this.deps.stallMs !== undefined ? { stallMs: this.deps.stallMs } : {}),
      ...(transfer.from !== undefined ? { resumeFrom: transfer.from } : {}),
      progress: (received) => this.progress(transfer, received),
    });
    transfer.receiver = receiver;
    void receiver.done.then((outcome) => this.received(transfer, outcome));
    // Taken now, written once the part file is open (the receiver queues its writes behind the open).
    receiver.open();
    receiver.attach(connection, first);
  }

  /** Whether the transfer still wants its bytes moved (not over, not waiting for a resume). */
  private going(transfer: Transfer): boolean {
    return !FINAL.has(transfer.view.state) && transfer.view.state !== 'interrupted';
  }

  private transferring(transfer: Transfer): void {
    transfer.view = { ...transfer.view, state: 'transferring' };
    this.emit(transfer);
  }

  private async received(transfer: Transfer, outcome: FileReceiveOutcome): Promise<void> {
    const part = transfer.source!;
    if (!outcome.ok && outcome.interrupted) return this.interrupt(transfer, outcome.reason, outcome.interrupted.kept);
    if (!outcome.ok) return this.finish(transfer, 'failed', outcome.reason);
    const folder = path.dirname(part);
    try {
      const existing = new Set(await fs.promises.readdir(folder));
      const name = uniqueName(path.basename(part).slice(0, -'.part'.length), (n) => existing.has(n));
      const final = path.join(folder, name);
      if (!isInside(folder, final)) throw new Error('the name leaves the downloads folder');
      await fs.promises.rename(part, final);
      transfer.view = { ...transfer.view, savedAs: final };
      this.finish(transfer, 'done');
    } catch (error) {
      this.finish(transfer, 'failed', `the file could not be put in place: ${String(error)}`);
    }
  }

  /** A SIP session of the transfer is over: one not finished by then was ended by the peer, never accepted, or interrupted. */
  private terminated(transfer: Transfer, session: SipSession): void {
    this.deps.sessions.release(session);
    if (transfer.sip === session && FINAL.has(transfer.view.state)) transfer.connection?.close('the session is over');
    // An earlier session of a resumed transfer, or one that ended because the transfer did.
    if (transfer.sip !== session || FINAL.has(transfer.view.state) || transfer.view.state === 'interrupted') return;
    if (transfer.view.state === 'offered') return this.finish(transfer, 'cancelled', 'the sender withdrew the offer');
    if (!transfer.established && transfer.view.direction === 'out') {
      // A file cannot go by paging mode: our relay's refusal is the transfer's end, with its reason.
      if (transfer.relayFailure) return this.finish(transfer, 'failed', transfer.relayFailure);
      const refusal = transfer.refusal ? `(${transfer.refusal})` : '(no answer)';
      if (transfer.from === undefined)
        return this.finish(transfer, 'declined', transfer.refusal ? `the peer declined ${refusal}` : 'the peer did not answer');
      // A resume the peer cannot take now (offline, busy) may be tried again; one it refuses cannot.
      if (transfer.refusedWith === undefined || NOT_NOW.has(transfer.refusedWith))
        return this.interrupt(transfer, `the peer could not take the rest now ${refusal}`, transfer.kept);
      return this.finish(transfer, 'failed', `the peer refused the rest of the file ${refusal}`);
    }
    // The receiver finishes on its own once the last chunk is checked; a BYE before that ended it early.
    if (transfer.view.direction === 'in' && transfer.view.transferred >= transfer.view.size && transfer.receiver) return;
    // A BYE mid-transfer is a link gone (the peer's connection broke, or it went offline); a
    // cancel comes in MSRP first (the sender's `#` chunk, the receiver's failure REPORT).
    if (transfer.sender) return transfer.sender.interrupt('the peer hung up mid-transfer');
    if (transfer.receiver) return transfer.receiver.interrupt('the peer hung up mid-transfer');
    this.finish(transfer, 'failed', 'the peer ended the transfer');
  }

  /**
   * The link broke (not a refusal): the transfer waits as 'interrupted' with `kept` bytes held on
   * both sides; the sender resumes once by itself after a back-off, the receiver waits for it.
   */
  private interrupt(transfer: Transfer, reason: string, kept: number): void {
    if (FINAL.has(transfer.view.state) || transfer.view.state === 'interrupted') return;
    transfer.sender = undefined;
    transfer.receiver = undefined;
    transfer.early?.connection.close(reason);
    transfer.early = undefined;
    transfer.connection?.close(reason);
    this.closeOthers(transfer, reason);
    transfer.kept = kept;
    transfer.view = { ...transfer.view, state: 'interrupted', reason, transferred: kept };
    this.deps.logger.info('file transfer interrupted', { id: transfer.view.id, peer: transfer.view.peer, kept, reason });
    this.emit(transfer);
    void hangUp(transfer.sip).catch(() => {});
    if (transfer.view.direction === 'in') {
      transfer.timer = this.deps.clock.setTimeout(
        () => this.finish(transfer, 'failed', 'the sender did not resume the file in time'),
        RESUME_WAIT_MS,
      );
    } else if (!transfer.autoResumed) {
      transfer.autoResumed = true;
      transfer.timer = this.deps.clock.setTimeout(() => {
        try {
          this.resumeOffer(transfer);
        } catch (error) {
          this.deps.logger.info('could not resume a file transfer', { id: transfer.view.id, error });
        }
      }, RESUME_BACKOFF_MS);
    }
  }

  private progress(transfer: Transfer, bytes: number): void {
    if (transfer.view.state !== 'transferring') return;
    transfer.view = { ...transfer.view, transferred: bytes };
    const now = this.deps.clock.now();
    if (now - transfer.lastProgress < PROGRESS_EVERY_MS) return;
    transfer.lastProgress = now;
    this.emit(transfer);
  }

  /** Settles a transfer once: its state and reason out, the bytes stopped, a partial download deleted, the session ended. */
  private finish(transfer: Transfer, state: FileTransferState, reason?: string): void {
    if (FINAL.has(transfer.view.state)) return;
    this.deps.clock.clearTimeout(transfer.timer);
    transfer.view = { ...transfer.view, state, ...(reason !== undefined ? { reason } : {}) };
    if (state === 'done') transfer.view.transferred = transfer.view.size;
    transfer.sender?.cancel(reason ?? state);
    transfer.receiver?.cancel(reason ?? state);
    // After what those two said last (a REPORT, a `#` chunk): written before the FIN. A receiver
    // that is done leaves both to the sender, whose BYE follows the success REPORT (through a
    // relay the REPORT may come after a BYE of ours, which the sender would take for a break).
    const received = state === 'done' && transfer.view.direction === 'in';
    if (!received) transfer.connection?.close(reason ?? state);
    this.closeOthers(transfer, reason ?? state);
    if (transfer.view.direction === 'in' && state !== 'done' && transfer.source) {
      const part = transfer.source;
      // After the receiver closed its handle (it settles before `done` resolves).
      void (transfer.receiver?.done ?? Promise.resolve()).then(() => fs.promises.rm(part, { force: true }).catch(() => {}));
    }
    // After the sender stopped reading it (cancel above closes its handle first).
    if (transfer.ended) void (transfer.sender?.done ?? Promise.resolve()).then(transfer.ended, transfer.ended);
    this.deps.logger.info('file transfer ended', { id: transfer.view.id, peer: transfer.view.peer, state, reason });
    this.emit(transfer);
    if (!received && (state !== 'declined' || transfer.view.direction === 'out')) void hangUp(transfer.sip).catch(() => {});
  }

  private emit(transfer: Transfer): void {
    this.deps.record?.(transfer.view, transfer.view.direction === 'in' ? transfer.source : undefined);
    this.deps.emit({ type: 'file-transfer', transfer: transfer.view });
  }
}

/** SHA-1 of a file, read as a stream. */
async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha1');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

/** An error's message without its class name ("the MSRP relay: ...", as the user reads it). */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
