/**
 * Paging-mode chat (RFC 3428): conversations keyed by Call-ID (docs/DESIGN.md#4-conversations).
 * Outgoing: a conversation reuses its Call-ID with a CSeq taken from storage, so it only ever rises,
 * even across restarts; every message is stored (queued) before it goes, with the From tag it
 * is sent with, and the outbox (outbox.ts) sends it, at most 8 in flight per conversation, and again
 * after a failure with the same Call-ID, CSeq and From tag. Incoming: a MESSAGE goes to the
 * conversation of its Call-ID whatever its CSeq (a restarted CSeq is never a reason to drop); a fresh
 * Call-ID from a known peer threads into the latest conversation with that peer and becomes an alias;
 * copies are stored once (DUPLICATE_WINDOW_MS says which); `order` keeps the sender's
 * order (ordering.ts). isComposing goes both ways and is never stored. Receipts (IMDN) ask and
 * answer through receipts.ts: our messages go in CPIM unless the peer refused it. What the account's
 * other devices sent comes as copies (sent-copies.ts), what they read as read marks (read-marks.ts).
 */
import type {
  ChatMessage,
  ChatSettings,
  Conversation,
  DeliveryState,
  ParleyEvent,
  Reason,
  Receipt,
  RegistrationState,
} from '../../../shared/ipc.js';
import { completeAddress, normalizeAddress } from '../../../shared/domain/address.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { PeerOptionsRepo } from '../../storage/peer-options-repo.js';
import type { ReceiptsOwedRepo } from '../../storage/receipts-owed-repo.js';
import type { SettingsRepo } from '../../storage/settings-repo.js';
import { needsNewCallIdPerMessage } from './peer-quirks.js';
import { DEFAULT_CHAT_SETTINGS, messageLimit } from '../../../shared/contract/chat.js';
import type { PeerOptionsView } from '../../../shared/ipc.js';
import type { Clock } from '../../support/clock.js';
import { UserError } from '../core.js';
import type { Logger } from '../../support/logger.js';
import type { Endpoint } from '../account/endpoint.js';
import { explainConnectionLost, explainDeliveryFailure } from './delivery-reasons.js';
import { ACCEPTED_TYPES, classifyIncoming, mediaType } from './content/incoming-content.js';
import { COMPOSING_TYPE, composingDocument } from './content/iscomposing.js';
import { BatchWriter } from './batch-writer.js';
import { newCallId, newFromTag, PARLEY_TAG_PREFIX, uuidv7 } from './ids.js';
import { orderBetween, placeIncoming } from './ordering.js';
import { Outbox, type OutboxEntry, type Settle } from './outbox.js';
import { COMPOSING_ANNOUNCED_REFRESH_S, ComposingSender } from './composing-sender.js';
import { sendMessage, type MessageIds } from '../../sip/message/send-message.js';
import { TRANSACTION_TIMEOUT } from '../../sip/reliability/timers.js';
import { sipUri, type URI } from '../../sip/user-agent.js';
import { Receipts, type WireForm } from './receipts.js';
import type { IncomingChat } from './incoming-chat.js';
import { SentCopies } from './sent-copies.js';
import { READ_MARK_TYPE, ReadMarks } from './read-marks.js';
import { SENT_COPY_TO } from '../../sip/message/sent-copy.js';

const ACCEPT_HEADER = `Accept: ${ACCEPTED_TYPES.join(', ')}`;

/**
 * How long a message with the same Call-ID, CSeq, From tag and text as one already stored is taken
 * for a copy of it: Timer F, 64 × T1 = 32 s (RFC 3261 §17.1.2.2). Every copy of one request (the
 * sender's retransmissions, a proxy's own, a copy a proxy forwards again after it forgot its
 * transaction) is sent within Timer F of the sender's first transmission, and the copy we stored
 * came after that. Later, the same four are a new message: a client that restarted and reused its
 * Call-ID, tag and CSeq may well say "hi" again, and it must be shown (issue 11).
 * Resends that come later on purpose are known by a name for the message itself, at any delay:
 * Parley's own (the outbox's back-off, a connection that returns, a restart after a crash: all
 * with the same Call-ID, CSeq and From tag) carry a Parley From tag, which names one message
 * (ids.ts); other senders may name it with a CPIM/IMDN Message-ID (RFC 5438).
 */
export const DUPLICATE_WINDOW_MS = TRANSACTION_TIMEOUT;
const CHAT_SETTINGS_KEY = 'chat.settings';
/** Settings key remembering that a peer refused isComposing (415/488): never sent to it again. */
const composingRefusedKey = (peer: string) => `chat.composingRefused:${peer}`;

export interface MessagingDeps {
  repo: MessagesRepo;
  peerOptions: PeerOptionsRepo;
  receiptsOwed: ReceiptsOwedRepo;
  settings: SettingsRepo;
  endpoint(): Endpoint | undefined;
  clock: Clock;
  emit(event: ParleyEvent): void;
  logger: Logger;
  /** MESSAGE transactions in flight per conversation (default 8). */
  inFlightLimit?: number;
  /** Session mode (core/sessions/): carries what it can, paging mode sends the rest. */
  sessions?: SessionCarrier;
  /** Whether a request came from the account's own server (a copy of a sent message must); false without one. */
  fromOwnServer?(request: IncomingChat['request']): boolean;
}

/** What session mode takes over from paging mode (core/sessions/chat-sessions.ts). */
export interface SessionCarrier {
  /** Sends the message in a session with its peer (or holds it while one starts); false: send it by paging mode. */
  carry(message: ChatMessage, form: WireForm, settle: Settle): boolean;
  /** Whether `status` is the session's "send it by paging mode now" (the message goes again at once). */
  fellBack(status: number): boolean;
  /** A notification (isComposing) in an open session with the peer; false: none is open. */
  carryNotice(peer: string, contentType: string, body: string): boolean;
  /** Whether a session with the peer is open now (it takes messages over paging mode's limit). */
  isOpen(peer: string): boolean;
}

/** Parsed URIs by text: sip.js's grammar costs tens of µs a URI, and a chat sends to the same few. */
const URI_CACHE_SIZE = 256;

export class Messaging {
  private readonly uris = new Map<string, URI | undefined>();
  /** Writes batched per turn of the event loop (batch-writer.ts). */
  private readonly batch: BatchWriter;
  /** Peers shown as typing, as `conversationId\npeer`: a message from them ends it. */
  private readonly typing = new Set<string>();
  private readonly outbox: Outbox;
  private readonly composing: ComposingSender;
  private readonly receipts: Receipts;
  private readonly copies: SentCopies;
  private readonly readMarks: ReadMarks;
  private registered = false;

  constructor(private readonly deps: MessagingDeps) {
    this.batch = new BatchWriter({ repo: deps.repo, emit: deps.emit, logger: deps.logger });
    this.outbox = new Outbox({
      clock: deps.clock,
      ...(deps.inFlightLimit !== undefined ? { inFlightLimit: deps.inFlightLimit } : {}),
      transmit: (entry, settle) => this.transmit(entry, settle),
      onState: (message, state, reason, code) => this.setState(message, state, reason, code),
      explain: (message, status, phrase, lostTimes) =>
        lostTimes !== undefined ? explainConnectionLost(lostTimes) : explainDeliveryFailure(status, normalizeAddress(message.to), phrase),
      load: () => deps.repo.outbox(),
      reform: (entry, status) => {
        if (deps.sessions?.fellBack(status)) return true;
        if (!this.receipts.refusedForm(entry.message, entry.sentAs, status)) return false;
        // A new From tag: the peer may still hold the refused transaction, and the same Call-ID,
        // CSeq and tag with another branch would be a merged request to it (RFC 3261 §8.2.2.2).
        entry.fromTag = newFromTag();
        deps.repo.setFromTag(entry.message.id, entry.fromTag);
        return true;
      },
    });
    this.receipts = new Receipts({
      repo: deps.repo,
      settings: deps.settings,
      owed: deps.receiptsOwed,
      clock: deps.clock,
      logger: deps.logger,
      ourAddress: () => deps.endpoint()?.aor,
      readReceipts: () => this.chatSettings().sendReadReceipts,
      sendNotification: (to, contentType, body, settled) => this.sendNotification(to, contentType, body, settled),
      announce: (message, receipt) => this.announce(message, message.state, { reason: message.reason, code: message.code, receipt }),
    });
    this.copies = new SentCopies({
      repo: deps.repo,
      batch: this.batch,
      clock: deps.clock,
      logger: deps.logger,
      emit: deps.emit,
      ourAddress: () => deps.endpoint()?.aor,
      fromOurselves: (request) => this.fromOurselves(request),
      createConversation: (peer, callId) => this.createConversation(peer, callId),
      isAddress: (address) => this.uri(address) !== undefined,
      claimReceipt: (message) => this.receipts.claim(message),
    });
    this.readMarks = new ReadMarks({
      repo: deps.repo,
      logger: deps.logger,
      emit: deps.emit,
      accountAddress: () => this.ownDevicesAddress(),
      fromOurselves: (request) => this.fromOurselves(request),
      send: (to, contentType, body) => void this.sendNotification(to, contentType, body, () => {}),
    });
    this.composing = new ComposingSender({ clock: deps.clock, send: (id, active) => this.sendComposing(id, active) });
  }

  /** sip.js clones the URIs it is given, so one parsed URI can serve every message. */
  private uri(text: string): URI | undefined {
    if (this.uris.has(text)) return this.uris.get(text);
    const parsed = sipUri(text);
    if (this.uris.size >= URI_CACHE_SIZE) this.uris.delete(this.uris.keys().next().value!);
    this.uris.set(text, parsed);
    return parsed;
  }

  /** What the user typed as an address, completed and normalised; a UserError when it is none. */
  private resolve(to: string): { target: string; peer: string } {
    const endpoint = this.deps.endpoint();
    // A bare user name means "at my domain" only with an account; in direct mode we have none.
    const target = completeAddress(to, endpoint?.account ? endpoint.aor : undefined);
    if (!target || !this.uri(target)) throw new UserError(`"${to}" is not an address Parley can send to`, 'invalid-request');
    return { target, peer: normalizeAddress(target) };
  }

  private createConversation(peer: string, callId: string): Conversation {
    const conversation = { id: uuidv7(this.deps.clock.now()), peer, callId, lastActivity: this.deps.clock.now(), unread: 0 };
    this.deps.repo.createConversation(conversation);
    this.batch.changedConversation(conversation.id);
    return conversation;
  }

  /** The conversation with a contact or address: the latest one with that peer, or a new one. */
  openConversation(to: string): Conversation {
    const { peer } = this.resolve(to);
    const existing = this.deps.repo.latestWithPeer(peer);
    if (existing) return existing;
    const conversation = this.createConversation(peer, newCallId());
    this.batch.announce();
    return conversation;
  }

  /** The user reads the conversation (on screen in a focused window): unread to 0, read receipts to senders who asked. */
  markRead(conversationId: string): Conversation {
    const unread = this.deps.repo.conversation(conversationId)?.unread ?? 0;
    const conversation = this.deps.repo.markRead(conversationId);
    if (!conversation) throw new UserError('that conversation does not exist', 'invalid-request');
    this.receipts.read(conversationId);
    // The account's other devices clear it too (read-marks.ts); nothing new was read if nothing was unread.
    if (unread > 0) this.readMarks.read(conversationId);
    this.deps.emit({ type: 'conversation', conversation });
    return conversation;
  }

  async send(request: { to: string; body: string; conversationId?: string }): Promise<ChatMessage> {
    const { target, peer } = this.resolve(request.to);
    const limit = messageLimit(this.deps.sessions?.isOpen(peer) ?? false);
    if (Buffer.byteLength(request.body, 'utf8') > limit)
      throw new UserError(`a message may hold at most ${limit} bytes now`, 'invalid-request');
    const { repo, clock } = this.deps;
    const fromTag = newFromTag();
    // The conversation, its next CSeq and the message are stored together or not at all, before anything
    // goes on the wire; sends of one turn share one commit (batch-writer.ts).
    const message = await this.batch.stored((): ChatMessage => {
      let conversation = request.conversationId ? repo.conversation(request.conversationId) : repo.latestWithPeer(peer);
      if (request.conversationId && !conversation) throw new UserError('that conversation does not exist', 'invalid-request');
      conversation ??= this.createConversation(peer, newCallId());
      // Peers that take a repeated Call-ID for a duplicate get a fresh one, remembered as an alias
      // of the conversation so their replies still thread here.
      const callId = this.deps.peerOptions.get(peer)?.newCallIdPerMessage ? newCallId() : conversation.callId;
      if (callId !== conversation.callId) repo.addAlias(callId, conversation.id);
      const stored: ChatMessage = {
        id: uuidv7(this.deps.clock.now()),
        conversationId: conversation.id,
        direction: 'out',
        from: this.deps.endpoint()?.aor ?? '',
        to: target,
        callId,
        cseq: repo.takeCSeq(conversation.id),
        contentType: 'text/plain;charset=UTF-8',
        body: request.body,
        at: clock.now(),
        order: repo.nextOrder(conversation.id),
        state: 'queued',
      };
      repo.insert(stored, fromTag);
      this.batch.touch(conversation.id, stored.at, 0);
      return stored;
    });
    this.composing.endSilently(message.conversationId);
    this.deps.emit({ type: 'message', ...message });
    const state = this.outbox.add({ message, fromTag });
    return { ...message, state };
  }

  /** Send a queued or failed message again now. */
  retry(id: string): ChatMessage {
    const row = this.deps.repo.outgoing(id);
    if (!row) throw new UserError('there is no such message of ours', 'invalid-request');
    const state = this.outbox.retry(row);
    if (!state) throw new UserError(`that message is ${row.message.state} and cannot be sent again`, 'invalid-request');
    // Back in the outbox: the old failure no longer applies.
    const { reason: _reason, code: _code, ...message } = row.message;
    return { ...message, state };
  }

  /** Take a queued or failed message out of the outbox for good. */
  cancel(id: string): boolean {
    const row = this.deps.repo.outgoing(id);
    if (!row) throw new UserError('there is no such message of ours', 'invalid-request');
    return this.outbox.cancel(row.message);
  }

  /** A new endpoint is up (start, account change, network change): the outbox goes again. */
  attach(): void {
    this.outbox.resumeAll();
  }

  /** The endpoint is going away: nothing in flight will be answered. */
  detach(): void {
    this.outbox.detach();
    this.composing.stopAll(false);
  }

  /** Registered again after not being: the connection is back, so is the outbox. */
  onRegistration(state: RegistrationState['state']): void {
    const was = this.registered;
    this.registered = state === 'registered';
    if (this.registered && !was) this.outbox.resumeAll();
  }

  chatSettings(): ChatSettings {
    return { ...DEFAULT_CHAT_SETTINGS, ...this.deps.settings.get<Partial<ChatSettings>>(CHAT_SETTINGS_KEY) };
  }

  setChatSettings(change: Partial<ChatSettings>): ChatSettings {
    const next = { ...this.chatSettings(), ...change };
    // Tell peers we stopped while we still may.
    if (!next.sendComposing) this.composing.stopAll(true);
    this.deps.settings.set(CHAT_SETTINGS_KEY, next);
    return next;
  }

  /** The user is typing (or stopped) in a conversation; returns whether a notification went out. */
  setComposing(conversationId: string, active: boolean): boolean {
    if (!this.deps.repo.conversation(conversationId)) throw new UserError('that conversation does not exist', 'invalid-request');
    if (!this.chatSettings().sendComposing) return false;
    return this.composing.update(conversationId, active);
  }

  onIncoming(incoming: IncomingChat): void {
    const request = incoming.request;
    if (mediaType(request.getHeader('content-type') ?? '') === READ_MARK_TYPE) {
      this.readMarks.take(incoming);
      return;
    }
    const content = classifyIncoming(request.getHeader('content-type'), request.body ?? '', request.getHeader('date'));
    if (content.kind === 'refuse') {
      // A malformed or hostile body (a notification the XML reader refuses, a broken CPIM) changes nothing.
      this.deps.logger.info('refused an incoming MESSAGE', { status: content.status, contentType: request.getHeader('content-type') });
      void incoming.reject({ statusCode: content.status, ...(content.status === 415 ? { extraHeaders: [ACCEPT_HEADER] } : {}) });
      return;
    }
    // A copy of what another device of ours sent (sent-copies.ts): ours, not the peer's.
    const copyOf = request.getHeader(SENT_COPY_TO);
    if (copyOf !== undefined) {
      this.copies.take(incoming, content, copyOf);
      return;
    }
    const { repo, clock } = this.deps;
    const from = request.from.uri.toString();
    const peer = normalizeAddress(from);
    const callId = request.callId;
    this.learnPeer(peer, request.getHeader('user-agent'));
    if (content.kind === 'composing') {
      void incoming.accept();
      const conversationId = (repo.conversationByCallId(callId) ?? repo.latestWithPeer(peer))?.id ?? '';
      const key = `${conversationId}\n${peer}`;
      if (content.state.active) this.typing.add(key);
      else this.typing.delete(key);
      this.deps.emit({ type: 'composing', conversationId, peer, active: content.state.active, refreshMs: content.state.refreshMs });
      return;
    }
    if (content.kind === 'notification') {
      // Answered 200 whatever it says: a notification is never refused, retried or answered with one.
      void incoming.accept();
      this.receipts.heardFrom(peer);
      this.batch.received(
        () => this.receipts.noticed(content.notice, peer),
        (result) => {
          if (result.ok) result.value?.();
        },
      );
      return;
    }
    const fromTag = request.fromTag ?? '';
    const store = (): ChatMessage | undefined => {
      let conversation = repo.conversationByCallId(callId);
      if (!conversation) {
        conversation = repo.latestWithPeer(peer);
        if (conversation) repo.addAlias(callId, conversation.id);
        else conversation = this.createConversation(peer, callId);
      }
      const message: ChatMessage = {
        id: uuidv7(this.deps.clock.now()),
        conversationId: conversation.id,
        direction: 'in',
        from,
        to: request.to.uri.toString(),
        callId,
        cseq: request.cseq,
        contentType: content.contentType,
        body: content.body,
        ...(content.text !== undefined ? { text: content.text } : {}),
        at: clock.now(),
        ...(content.sentAt !== undefined ? { sentAt: content.sentAt } : {}),
        state: 'received',
      };
      const messageRef = content.messageId;
      const match = { samePerTag: fromTag.startsWith(PARLEY_TAG_PREFIX), since: message.at - DUPLICATE_WINDOW_MS, messageRef };
      if (repo.isDuplicate(message, fromTag, match)) return undefined;
      const conversationId = conversation.id;
      const peerName = displayNameOf(request.from.displayName);
      if ((conversation.peerName ?? null) !== peerName) {
        repo.setPeerName(conversationId, peerName);
        this.batch.changedConversation(conversationId);
      }
      const run = repo.incomingRun(callId, from);
      const placement = placeIncoming(run, message.cseq, (cseq) => repo.runHas(callId, from, run!.epoch, cseq));
      const slot = placement.kind === 'slot' ? repo.slotInRun(conversationId, callId, from, placement.epoch, message.cseq) : {};
      message.order = slot.next !== undefined ? orderBetween(slot.previous, slot.next) : repo.nextOrder(conversationId);
      repo.insert(message, fromTag, placement.epoch, messageRef, content.dispositions?.includes('display') ?? false);
      this.batch.touch(conversationId, message.at, 1);
      return message;
    };
    // Stored before it is answered: once the peer sees the 200, the message survives a crash.
    this.batch.received(store, (result) => {
      if (!result.ok) {
        // Not stored, so not accepted: the peer hears 500 and may send it again.
        void incoming.reject({ statusCode: 500 });
        return;
      }
      void incoming.accept();
      this.receipts.heardFrom(peer);
      if (!result.value) return;
      this.shown(result.value);
      this.receipts.stored(result.value, content.messageId, content.dispositions);
    });
  }

  /** The sending options for a peer (any address form), as the UI shows them. */
  peerOptions(address: string): PeerOptionsView {
    const peer = normalizeAddress(address);
    const known = this.deps.peerOptions.get(peer);
    return { peer, newCallIdPerMessage: known?.newCallIdPerMessage ?? false, decidedBy: known?.decidedBy ?? 'default' };
  }

  /** Set by hand: from now on automatic detection leaves this peer alone. */
  setPeerOptions(address: string, newCallIdPerMessage: boolean): PeerOptionsView {
    this.deps.peerOptions.set(normalizeAddress(address), { newCallIdPerMessage, decidedBy: 'user' });
    return this.peerOptions(address);
  }

  /** Our address of record while the account has a server (where our other devices are), else undefined. */
  ownDevicesAddress(): string | undefined {
    const endpoint = this.deps.endpoint();
    return endpoint?.account?.proxy ? endpoint.aor : undefined;
  }

  /** A note to the account's other devices: a MESSAGE to our own address, not stored, not retried. */
  noteToOwnDevices(contentType: string, body: string): void {
    const ours = this.ownDevicesAddress();
    if (ours) this.sendNotification(ours, contentType, body, () => {});
  }

  /**
   * Whether a request is our own account's (a copy of a sent message, a read mark, a status note):
   * From our address of record and from the account's own server, whatever its headers say of its way here.
   */
  fromOurselves(request: IncomingChat['request']): boolean {
    const ours = this.deps.endpoint()?.aor;
    if (!ours || normalizeAddress(request.from.uri.toString()) !== normalizeAddress(ours)) return false;
    return this.deps.fromOwnServer?.(request) ?? false;
  }

  /** A peer's User-Agent/Server tells us its habits, unless the user already decided. */
  private learnPeer(peer: string, product: string | undefined): void {
    if (!needsNewCallIdPerMessage(product)) return;
    const known = this.deps.peerOptions.get(peer);
    if (known?.decidedBy === 'user' || known?.newCallIdPerMessage) return;
    this.deps.peerOptions.set(peer, { newCallIdPerMessage: true, decidedBy: 'auto' });
  }

  /** A new incoming message is on record: show it; a message from a peer shown as typing ends that (RFC 3994 §4). */
  private shown(message: ChatMessage): void {
    this.deps.emit({ type: 'message', ...message });
    const peer = normalizeAddress(message.from);
    if (this.typing.delete(`${message.conversationId}\n${peer}`)) {
      this.deps.emit({ type: 'composing', conversationId: message.conversationId, peer, active: false });
    }
  }

  private transmit(entry: OutboxEntry, settle: Settle): boolean {
    const endpoint = this.deps.endpoint();
    if (!endpoint) return false;
    const { message, fromTag } = entry;
    const targetUri = this.uri(message.to);
    const fromUri = this.uri(endpoint.aor);
    // Settled on a later microtask: the outbox finishes its own bookkeeping first.
    const later: Settle = (status, phrase, lost) => queueMicrotask(() => settle(status, phrase, lost));
    if (!targetUri || !fromUri) {
      later(0, 'the address is not valid');
      return true;
    }
    const peer = normalizeAddress(message.to);
    const form = this.receipts.outgoingForm(message);
    entry.sentAs = form.contentType;
    if (this.deps.sessions?.carry(message, form, later)) return true;
    const body = { contentDisposition: 'render', contentType: form.contentType, content: form.body };
    sendMessage(
      endpoint,
      targetUri,
      fromUri,
      { callId: message.callId, cseq: message.cseq, fromTag },
      body,
      (status, phrase, lost, product) => {
        if (status >= 200 && status < 300) this.learnPeer(peer, product);
        later(status, phrase, lost);
      },
    );
    return true;
  }

  /** One isComposing notification on the wire (not stored, not retried). */
  private sendComposing(conversationId: string, active: boolean): boolean {
    const endpoint = this.deps.endpoint();
    const conversation = this.deps.repo.conversation(conversationId);
    if (!endpoint || !conversation) return false;
    const peer = conversation.peer;
    if (this.deps.settings.get<boolean>(composingRefusedKey(peer))) return false;
    if (this.deps.sessions?.carryNotice(peer, COMPOSING_TYPE, composingDocument(active, COMPOSING_ANNOUNCED_REFRESH_S))) return true;
    const targetUri = this.uri(peer);
    const fromUri = this.uri(endpoint.aor);
    if (!targetUri || !fromUri) return false;
    // Peers that drop a repeated Call-ID get a fresh one; no alias: nobody answers a notification.
    const callId = this.deps.peerOptions.get(peer)?.newCallIdPerMessage ? newCallId() : conversation.callId;
    const ids: MessageIds = { callId, cseq: this.deps.repo.takeCSeq(conversationId), fromTag: newFromTag() };
    const content = composingDocument(active, COMPOSING_ANNOUNCED_REFRESH_S);
    sendMessage(endpoint, targetUri, fromUri, ids, { contentDisposition: 'render', contentType: COMPOSING_TYPE, content }, (status) => {
      // RFC 3994 §6: a peer that does not understand isComposing says so once; we stop.
      if (status === 415 || status === 488) {
        this.deps.settings.set(composingRefusedKey(peer), true);
        this.composing.endSilently(conversationId);
      }
    });
    return true;
  }

  /** One disposition notification (receipts.ts) on the wire, on a Call-ID of its own: not stored, not retried. */
  private sendNotification(to: string, contentType: string, content: string, settled: (status: number) => void): boolean {
    const endpoint = this.deps.endpoint();
    const targetUri = this.uri(to);
    const fromUri = endpoint && this.uri(endpoint.aor);
    if (!endpoint || !targetUri || !fromUri) return false;
    const ids: MessageIds = { callId: newCallId(), cseq: 1, fromTag: newFromTag() };
    const body = { contentDisposition: 'notification', contentType, content };
    sendMessage(endpoint, targetUri, fromUri, ids, body, (status) => {
      if (status < 200 || status >= 300) this.deps.logger.info('a notification was not taken', { status, callId: ids.callId });
      settled(status);
    });
    return true;
  }

  private setState(message: ChatMessage, state: DeliveryState, reason?: Reason, code?: number): void {
    // 'sending' is announced but not stored: in storage 'queued' already means "not delivered yet,
    // send again after a restart", and skipping the write spares every message one UPDATE.
    if (state !== 'sending') this.deps.repo.setStateSoon(message.id, state, reason, code);
    // Once the outbox is done with it, a receipt that came first goes with its outcome.
    const receipt = state !== 'sending' && state !== 'queued' ? this.receipts.takeEarly(message.id) : undefined;
    this.announce(message, state, { reason, code, receipt });
  }

  private announce(message: ChatMessage, state: DeliveryState, extra: { reason?: Reason; code?: number; receipt?: Receipt }): void {
    const { reason, code, receipt } = extra;
    this.deps.emit({
      type: 'delivery',
      id: message.id,
      conversationId: message.conversationId,
      state,
      ...(reason !== undefined ? { reason } : {}),
      ...(code !== undefined ? { code } : {}),
      ...(receipt !== undefined ? { receipt } : {}),
    });
  }
}

/**
 * A peer's own display name, fit for the screen: control characters dropped, whitespace collapsed,
 * at most 128 characters; null when it gave none. Still text, never markup.
 */
export function displayNameOf(raw: string | undefined): string | null {
  const name = Array.from(
    (raw ?? '')
      .replace(/[\p{Cc}\p{Cf}]/gu, ' ')
      .replace(/\s+/gu, ' ')
      .trim(),
  )
    .slice(0, 128)
    .join('');
  return name || null;
}
