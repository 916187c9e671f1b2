/**
 * File transfer (RFC 5547, docs/DESIGN.md#file-transfer): one INVITE per file, whose m=message
 * offer describes the file (a=file-selector name, type, size, SHA-1; a=file-transfer-id) and
 * says which way it goes (a=sendonly from the sender), then the file's bytes over that session's
 * own MSRP connection (sip/msrp/file-sender.ts, file-receiver.ts), then BYE.
 *
 * The sessions share the chat sessions' MSRP listener and description handler
 * (core/sessions/chat-sessions.ts `claim`): a file session is described with its file and adopted
 * here, never taken for a chat. An offer the user has not answered waits as 'offered'; accepted,
 * the bytes go into "<name>.part" in the downloads folder under a name made safe
 * (download-name.ts), checked against the declared size and the hash, and renamed to "<name>"
 * only then; a failure or a cancel deletes the part. Progress goes out at most PROGRESS_EVERY_MS.
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
import type { FileOffer } from '../../sip/msrp/file-selector.js';
import { FileReceiver } from '../../sip/msrp/file-receiver.js';
import { FileSender } from '../../sip/msrp/file-sender.js';
import { encodeRequest, newMessageId, newTransactionId } from '../../sip/msrp/frame-encoder.js';
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

export interface FileTransfersDeps {
  clock: Clock;
  logger: Logger;
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  sessions: Pick<ChatSessions, 'claim' | 'release' | 'connect' | 'ready'>;
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
  /** Sending: a connection the peer made before the answer was through here, and its frames so far. */
  early?: { connection: MsrpConnection; held: MsrpFrame[] };
  /** Outgoing: called once the transfer is over (a copy made for it is deleted then). */
  ended?: () => void;
  established: boolean;
  refusal?: string;
  lastProgress: number;
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
    this.deps.sessions.claim(offer.session, {
      media: { acceptTypes: [mediaType(type)], file: transfer.offer!, direction: 'sendonly' },
      adopt: (connection, first) => this.connected(transfer, connection, first),
    });
    watchSession(offer.session, {
      established: () => this.established(transfer),
      terminated: () => queueMicrotask(() => this.terminated(transfer)),
    });
    sendOffer(offer.session, (status, reason) => (transfer.refusal = `${status ?? ''} ${reason ?? ''}`.trim())).catch((error: unknown) =>
      this.finish(transfer, 'failed', `the offer could not go: ${String(error)}`),
    );
    this.emit(transfer);
    return transfer.view;
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
    const refuse = (statusCode: number, reasonPhrase: string) => {
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
    if ([...this.transfers.values()].filter((t) => t.view.state === 'offered').length >= MAX_PENDING_OFFERS)
      return refuse(486, 'Too Many File Offers');
    const transfer: Transfer = {
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
      established: () => this.established(transfer),
      terminated: () => queueMicrotask(() => this.terminated(transfer)),
    });
    this.emit(transfer);
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
    this.deps.sessions.claim(invitation, {
      media: { acceptTypes: [mediaType(transfer.view.type)], file: transfer.offer!, direction: 'recvonly' },
      adopt: (connection, first) => this.connected(transfer, connection, first),
    });
    try {
      await invitation.accept();
    } catch (error) {
      this.finish(transfer, 'failed', `the offer could not be accepted: ${String(error)}`);
    }
    return transfer.view;
  }

  async cancel(id: string): Promise<FileTransfer> {
    const transfer = this.find(id);
    if (FINAL.has(transfer.view.state)) return transfer.view;
    this.finish(transfer, 'cancelled', 'cancelled here');
    return transfer.view;
  }

  /** The endpoint goes away: every transfer still going is cut (BYE while the endpoint can). */
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
    if (!(handler instanceof MsrpDescriptionHandler) || !handler.remote) return this.finish(transfer, 'failed', 'no MSRP media was agreed');
    if (transfer.early) return this.sendOver(transfer, handler, transfer.early.connection, transfer.early.held);
    if (!handler.active) return;
    const remote = handler.remote;
    this.deps.sessions.connect(remote.path[0]!).then(
      (connection) => {
        if (FINAL.has(transfer.view.state)) return connection.close('the transfer is over');
        // The passive end binds the connection by its first request: a bodiless SEND when we receive (§7.1.1).
        if (transfer.view.direction === 'in') {
          const greeting = encodeRequest({
            method: 'SEND',
            transactionId: newTransactionId(),
            toPath: remote.path,
            fromPath: [handler.local.uri],
            messageId: newMessageId(),
          });
          if (greeting.ok) connection.send(greeting.bytes);
        }
        this.connected(transfer, connection);
      },
      (error: unknown) => this.finish(transfer, 'failed', `could not connect to the peer: ${String(error)}`),
    );
  }

  /**
   * A connection for the transfer (made by us, or the peer's, adopted): the bytes start. The
   * receiver takes it at once (the sender may stream before the ACK reaches us); a sender holds
   * what comes until its side of the INVITE is through (it needs the answer's path).
   */
  private connected(transfer: Transfer, connection: MsrpConnection, first?: MsrpFrame): void {
    if (FINAL.has(transfer.view.state)) return connection.close('the transfer is over');
    const handler = transfer.sip.sessionDescriptionHandler as MsrpDescriptionHandler;
    if (transfer.view.direction === 'in') return this.receive(transfer, handler, connection, first);
    const held = first ? [first] : [];
    if (!transfer.established || !handler.remote) {
      connection.listen({ frame: (item) => held.push(item), closed: () => {} });
      transfer.early = { connection, held };
      return;
    }
    this.sendOver(transfer, handler, connection, held);
  }

  private sendOver(transfer: Transfer, handler: MsrpDescriptionHandler, connection: MsrpConnection, held: MsrpFrame[]): void {
    transfer.early = undefined;
    this.transferring(transfer);
    const sender = new FileSender({
      connection,
      local: handler.local.uri,
      remotePath: handler.remote!.path,
      clock: this.deps.clock,
      path: transfer.source!,
      size: transfer.view.size,
      contentType: transfer.view.type,
      messageId: newMessageId(),
      progress: (sent) => this.progress(transfer, sent),
    });
    transfer.sender = sender;
    void sender.done.then((outcome) => (outcome.ok ? this.finish(transfer, 'done') : this.finish(transfer, 'failed', outcome.reason)));
    sender.start(held);
  }

  private receive(transfer: Transfer, handler: MsrpDescriptionHandler, connection: MsrpConnection, first?: MsrpFrame): void {
    if (transfer.receiver) return connection.close('the transfer has its connection');
    this.transferring(transfer);
    const receiver = new FileReceiver({
      local: handler.local.uri,
      clock: this.deps.clock,
      partPath: transfer.source!,
      size: transfer.view.size,
      ...(transfer.offer!.selector.hash ? { sha1: transfer.offer!.selector.hash.hex } : {}),
      ...(this.deps.stallMs !== undefined ? { stallMs: this.deps.stallMs } : {}),
      progress: (received) => this.progress(transfer, received),
    });
    transfer.receiver = receiver;
    void receiver.done.then((outcome) => this.received(transfer, outcome));
    // Taken now, written once the part file is open (the receiver queues its writes behind the open).
    receiver.open();
    receiver.attach(connection, first);
  }

  private transferring(transfer: Transfer): void {
    transfer.view = { ...transfer.view, state: 'transferring' };
    this.emit(transfer);
  }

  private async received(transfer: Transfer, outcome: { ok: true } | { ok: false; reason: string }): Promise<void> {
    const part = transfer.source!;
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

  /** The SIP session is over: a transfer not finished by then was ended by the peer, or never accepted. */
  private terminated(transfer: Transfer): void {
    this.deps.sessions.release(transfer.sip);
    if (FINAL.has(transfer.view.state)) return;
    if (transfer.view.state === 'offered') return this.finish(transfer, 'cancelled', 'the sender withdrew the offer');
    if (!transfer.established && transfer.view.direction === 'out')
      return this.finish(transfer, 'declined', transfer.refusal ? `the peer declined (${transfer.refusal})` : 'the peer did not answer');
    // The receiver finishes on its own once the last chunk is checked; a BYE before that ended it early.
    if (transfer.view.direction === 'in' && transfer.view.transferred >= transfer.view.size && transfer.receiver) return;
    this.finish(transfer, 'failed', 'the peer ended the transfer');
  }

  private progress(transfer: Transfer, bytes: number): void {
    transfer.view = { ...transfer.view, transferred: bytes };
    const now = this.deps.clock.now();
    if (now - transfer.lastProgress < PROGRESS_EVERY_MS) return;
    transfer.lastProgress = now;
    this.emit(transfer);
  }

  /** Settles a transfer once: its state and reason out, the bytes stopped, a partial download deleted, the session ended. */
  private finish(transfer: Transfer, state: FileTransferState, reason?: string): void {
    if (FINAL.has(transfer.view.state)) return;
    transfer.view = { ...transfer.view, state, ...(reason !== undefined ? { reason } : {}) };
    if (state === 'done') transfer.view.transferred = transfer.view.size;
    transfer.sender?.cancel(reason ?? state);
    transfer.receiver?.cancel(reason ?? state);
    if (transfer.view.direction === 'in' && state !== 'done' && transfer.source) {
      const part = transfer.source;
      // After the receiver closed its handle (it settles before `done` resolves).
      void (transfer.receiver?.done ?? Promise.resolve()).then(() => fs.promises.rm(part, { force: true }).catch(() => {}));
    }
    // After the sender stopped reading it (cancel above closes its handle first).
    if (transfer.ended) void (transfer.sender?.done ?? Promise.resolve()).then(transfer.ended, transfer.ended);
    this.deps.logger.info('file transfer ended', { id: transfer.view.id, peer: transfer.view.peer, state, reason });
    this.emit(transfer);
    if (state !== 'declined' || transfer.view.direction === 'out') void hangUp(transfer.sip).catch(() => {});
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
