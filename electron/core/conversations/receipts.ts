/**
 * Delivery and read receipts in paging mode (IMDN, RFC 5438, carried in CPIM, RFC 3862;
 * docs/DESIGN.md#receipts). Outgoing: our messages go in CPIM named by their own id
 * (imdn.Message-ID) and ask for "delivered" and "displayed" notifications; a peer that refuses CPIM
 * (415/488) gets plain text from then on (remembered per peer, as isComposing's refusal is).
 * Incoming: a message that asks is answered "delivered" once stored, and "displayed" when the user
 * reads its conversation in a focused window (the read mark), unless read receipts are off.
 * Notifications about our messages give them a receipt (on-device, then read; never back), only
 * when they come from the peer the message went to. A receipt sits beside the delivery state and
 * leaves the outbox alone: one that overtakes the message's own 200 (through the proxy, or when the
 * 200 is lost) is announced with the state the outbox settles on, so every state means what it did.
 * A notification is never stored as a message, never asks for one and is never answered with one;
 * nothing in one that does not fit changes anything. One the peer could not take (offline: the
 * bundled server keeps none for later; no answer; no endpoint) is owed (receipts-owed-repo.ts) and
 * sent again once that peer is heard from: a message or a notification of theirs reaches us.
 */
import type { ChatMessage, Receipt } from '../../../shared/ipc.js';
import { normalizeAddress } from '../../../shared/domain/address.js';
import { receiptAdvances } from '../../../shared/domain/message.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';
import type { OwedReceipt, ReceiptsOwedRepo } from '../../storage/receipts-owed-repo.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { CPIM_TYPE, cpimDocument, type Disposition } from './content/cpim.js';
import { IMDN_TYPE, imdnDocument, type ImdnNotice } from './content/imdn.js';
import { uuidv7 } from './ids.js';

/** What we ask of the recipient's client for each message (RFC 5438 §6.2). */
const ASKED: readonly Disposition[] = ['positive-delivery', 'display'];
/**
 * Answers after which a notification is tried again later: the peer is offline or out of reach
 * (408 no answer, 480 not registered, 503 no route or transport error, 500 and 504 along the way).
 * A refusal of the notification itself (403, 404, 415, 488...) is final: it is not sent again.
 */
const OWED_AFTER = new Set([0, 408, 480, 500, 503, 504]);
/** Settings key remembering that a peer refused CPIM (415/488): plain text to it from then on. */
const cpimRefusedKey = (peer: string) => `chat.cpimRefused:${peer}`;
/**
 * Receipts about no message we hold, kept a while for a copy of a sent message that may still come
 * (sent-copies.ts: the recipient's receipt and the server's copy race to this device).
 */
const UNCLAIMED_KEPT = 256;
const UNCLAIMED_MS = 60_000;

export interface ReceiptsDeps {
  repo: Pick<MessagesRepo, 'message' | 'takeOwedDisplays' | 'setReceipt'>;
  settings: Pick<SettingsRepo, 'get' | 'set'>;
  owed: Pick<ReceiptsOwedRepo, 'add' | 'take' | 'peers'>;
  clock: Clock;
  logger: Logger;
  /** Our address now, or undefined without an endpoint. */
  ourAddress(): string | undefined;
  /** Whether the user lets senders know their messages were read (the chat setting). */
  readReceipts(): boolean;
  /** One notification MESSAGE to `to` (not stored, not retried); false when it cannot go now, else `settled` hears its final status. */
  sendNotification(to: string, contentType: string, body: string, settled: (status: number) => void): boolean;
  /** Announce a receipt (recorded already) with the message's delivery state as it stands. */
  announce(message: ChatMessage, receipt: Receipt): void;
}

/** A body and its type, as it goes on the wire. */
export interface WireForm {
  contentType: string;
  body: string;
}

export class Receipts {
  /** Receipts that came while the outbox still had the message: announced with its outcome. */
  private readonly early = new Map<string, Receipt>();
  /** Peers owed a receipt (a set in memory, so a message from anyone else costs no lookup). */
  private readonly owing: Set<string>;
  /** Receipts about a message we do not hold (yet), by its Message-ID: for a copy that comes after. */
  private readonly unclaimed = new Map<string, { peer: string; receipt: Receipt; at: number }>();

  constructor(private readonly deps: ReceiptsDeps) {
    this.owing = new Set(deps.owed.peers());
  }

  /** How one of our messages goes to its peer: CPIM asking for receipts, or plain for a peer that refused CPIM. */
  outgoingForm(message: ChatMessage): WireForm {
    const from = this.deps.ourAddress();
    if (!from || this.deps.settings.get<boolean>(cpimRefusedKey(normalizeAddress(message.to)))) {
      return { contentType: message.contentType, body: message.body };
    }
    const body = cpimDocument({
      from,
      to: message.to,
      at: message.at,
      messageId: message.id,
      dispositions: ASKED,
      contentType: message.contentType,
      body: message.body,
    });
    return { contentType: CPIM_TYPE, body };
  }

  /**
   * The peer answered `status` to a message sent as `sentAs`: true when that was a refusal of CPIM
   * (RFC 3428 §8: 415; 488 from clients that say "not acceptable here"), so it goes again as plain
   * text, and so does everything after it.
   */
  refusedForm(message: ChatMessage, sentAs: string | undefined, status: number): boolean {
    if (sentAs !== CPIM_TYPE || (status !== 415 && status !== 488)) return false;
    const peer = normalizeAddress(message.to);
    this.deps.logger.info('peer refused CPIM: plain text to it from now on', { peer, status });
    this.deps.settings.set(cpimRefusedKey(peer), true);
    return true;
  }

  /**
   * A notification from `peer` (the SIP From it came with, normalised) about one of our messages:
   * its receipt is recorded (in the write transaction of the turn's received messages,
   * batch-writer.ts: a burst of receipts costs one commit, not one each), and what to announce once
   * that has committed is returned.
   */
  noticed(notice: ImdnNotice, peer: string): (() => void) | undefined {
    const { logger } = this.deps;
    const message = this.deps.repo.message(notice.messageId);
    if (!message) this.keepUnclaimed(notice, peer);
    if (!message || message.direction !== 'out' || normalizeAddress(message.to) !== peer) {
      // Unknown, not ours, or about a message that went to someone else: no one can mark our messages but their recipient.
      logger.info('notification about no message of ours to its sender: ignored', { peer, status: notice.status });
      return undefined;
    }
    const receipt: Receipt | undefined = notice.status === 'delivered' ? 'on-device' : notice.status === 'displayed' ? 'read' : undefined;
    if (!receipt) {
      logger.info('peer reports a message not delivered', { id: message.id, peer });
      return undefined;
    }
    // Stored (it survives a restart); a receipt that tells nothing new is dropped here.
    if (!this.deps.repo.setReceipt(message.id, receipt)) return undefined;
    return () => {
      if (message.state === 'queued') this.early.set(message.id, receipt);
      else this.deps.announce(message, receipt);
    };
  }

  /**
   * A copy of a message another device of ours sent was just stored: the receipt its recipient
   * sent before it came here, if one did (taken).
   */
  claim(message: ChatMessage): Receipt | undefined {
    const kept = this.unclaimed.get(message.id);
    this.unclaimed.delete(message.id);
    if (!kept || kept.peer !== normalizeAddress(message.to) || this.deps.clock.now() - kept.at > UNCLAIMED_MS) return undefined;
    return kept.receipt;
  }

  private keepUnclaimed(notice: ImdnNotice, peer: string): void {
    const receipt: Receipt | undefined = notice.status === 'delivered' ? 'on-device' : notice.status === 'displayed' ? 'read' : undefined;
    if (!receipt) return;
    const kept = this.unclaimed.get(notice.messageId);
    if (kept?.peer === peer && !receiptAdvances(kept.receipt, receipt)) return;
    this.unclaimed.delete(notice.messageId);
    this.unclaimed.set(notice.messageId, { peer, receipt, at: this.deps.clock.now() });
    if (this.unclaimed.size > UNCLAIMED_KEPT) this.unclaimed.delete(this.unclaimed.keys().next().value!);
  }

  /** The outbox is done with a message: the receipt that came before, if one did (taken). */
  takeEarly(id: string): Receipt | undefined {
    const receipt = this.early.get(id);
    this.early.delete(id);
    return receipt;
  }

  /**
   * A new incoming message is stored (and answered): its sender hears it was delivered, if it
   * asked. `messageRef` is the sender's Message-ID, `sentAt` its DateTime.
   */
  stored(message: ChatMessage, messageRef: string | undefined, dispositions: readonly Disposition[] | undefined): void {
    if (messageRef === undefined || !dispositions?.includes('positive-delivery')) return;
    this.notify(message.from, messageRef, message.sentAt ?? message.at, 'delivered');
  }

  /** The user read a conversation in a focused window: its senders who asked hear it, if read receipts are on. */
  read(conversationId: string): void {
    const owed = this.deps.repo.takeOwedDisplays(conversationId);
    if (owed.length === 0 || !this.deps.readReceipts()) return;
    for (const message of owed) this.notify(message.from, message.messageRef, message.sentAt, 'displayed');
  }

  /** The peer (any address form) reached us: what we owe it goes now. */
  heardFrom(address: string): void {
    const peer = normalizeAddress(address);
    if (!this.owing.delete(peer)) return;
    for (const receipt of this.deps.owed.take(peer)) this.notify(peer, receipt.messageRef, receipt.sentAt, receipt.status);
  }

  private owe(to: string, receipt: OwedReceipt): void {
    const peer = normalizeAddress(to);
    this.deps.owed.add(peer, receipt);
    this.owing.add(peer);
  }

  /** One notification, in CPIM as RFC 5438 §7.1.1 has it, with a Message-ID of its own and asking for nothing. */
  private notify(to: string, messageRef: string, sentAt: number, status: 'delivered' | 'displayed'): void {
    const from = this.deps.ourAddress();
    if (!from) return;
    const now = this.deps.clock.now();
    const body = cpimDocument({
      from,
      to,
      at: now,
      messageId: uuidv7(now),
      contentType: IMDN_TYPE,
      contentDisposition: 'notification',
      body: imdnDocument({ messageId: messageRef, sentAt, recipient: from, status }),
    });
    const receipt = { messageRef, sentAt, status };
    const sent = this.deps.sendNotification(to, CPIM_TYPE, body, (answer) => {
      if (!OWED_AFTER.has(answer)) return;
      this.deps.logger.info('a notification was not taken: owed until the peer is heard from', { status, answer });
      this.owe(to, receipt);
    });
    if (!sent) {
      this.deps.logger.info('could not send a notification now: owed until the peer is heard from', { status });
      this.owe(to, receipt);
    }
  }
}
