/**
 * Paging-mode chat (RFC 3428): conversations keyed by Call-ID (DESIGN.md §4).
 * Outgoing: a window reuses its Call-ID with a CSeq taken from storage, so it only ever rises,
 * even across restarts. Incoming: a MESSAGE goes to the window of its Call-ID whatever its CSeq
 * (a restarted CSeq is never a reason to drop); a fresh Call-ID from a known peer threads into
 * the latest window with that peer and becomes an alias. Duplicates (same Call-ID, CSeq and
 * From tag) are stored once.
 */
import { randomUUID, randomBytes } from 'node:crypto';
import type { Message } from 'sip.js';
import type { ChatMessage, DeliveryState, ParleyEvent } from '../../../shared/ipc.js';
import { completeAddress, normalizeAddress } from '../../../shared/domain/address.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { PeerOptionsRepo } from '../../storage/peer-options-repo.js';
import { needsNewCallIdPerMessage } from './peer-quirks.js';
import type { PeerOptionsView } from '../../../shared/ipc.js';
import type { Clock } from '../clock.js';
import { UserError } from '../core.js';
import type { Logger } from '../logger.js';
import type { Endpoint } from '../account/endpoint.js';
import { explainDeliveryFailure } from './delivery-reasons.js';
import { UserAgent } from 'sip.js';

/** Content types shown as text. Anything else is refused with 415 and an Accept header. */
const ACCEPTED_TYPES = ['text/plain', 'text/html', 'message/cpim'];
const ACCEPT_HEADER = `Accept: ${ACCEPTED_TYPES.join(', ')}`;

export interface MessagingDeps {
  repo: MessagesRepo;
  peerOptions: PeerOptionsRepo;
  endpoint(): Endpoint | undefined;
  clock: Clock;
  emit(event: ParleyEvent): void;
  logger: Logger;
}

export function newCallId(): string {
  return randomBytes(16).toString('hex');
}

type Uri = NonNullable<ReturnType<typeof UserAgent.makeURI>>;
/** One received MESSAGE; `store` runs inside the batch transaction and returns it when new. */
interface InboxItem {
  incoming: Message;
  store(): ChatMessage | undefined;
}

/** Parsed URIs by text: sip.js's grammar costs tens of µs a URI, and a chat sends to the same few. */
const URI_CACHE_SIZE = 256;

export class Messaging {
  private readonly uris = new Map<string, Uri | undefined>();
  /** Sends of this turn, waiting to be stored together (see storeOutbox). */
  private readonly outbox: { write: () => unknown; resolve(value: unknown): void; reject(error: unknown): void }[] = [];
  /** MESSAGEs received this turn, waiting to be stored together (see storeInbox). */
  private readonly inbox: InboxItem[] = [];

  constructor(private readonly deps: MessagingDeps) {}

  /** sip.js clones the URIs it is given, so one parsed URI can serve every message. */
  private uri(text: string): Uri | undefined {
    if (this.uris.has(text)) return this.uris.get(text);
    const parsed = UserAgent.makeURI(text);
    if (this.uris.size >= URI_CACHE_SIZE) this.uris.delete(this.uris.keys().next().value!);
    this.uris.set(text, parsed);
    return parsed;
  }

  async send(request: { to: string; body: string; conversationId?: string }): Promise<ChatMessage> {
    const endpoint = this.deps.endpoint();
    // A bare user name means "at my domain" only with an account; in direct mode we have none.
    const target = completeAddress(request.to, endpoint?.account ? endpoint.aor : undefined);
    const targetUri = target ? this.uri(target) : undefined;
    if (!target || !targetUri) throw new UserError(`"${request.to}" is not an address Parley can send to`, 'invalid-request');
    const { repo, clock } = this.deps;
    const peer = normalizeAddress(target);
    // The window, its next CSeq and the message are stored together or not at all, before anything
    // goes on the wire; sends of one turn share one commit (see storeOutbox).
    const message = await this.stored((): ChatMessage => {
      let conversation = request.conversationId ? repo.conversation(request.conversationId) : repo.latestWithPeer(peer);
      if (request.conversationId && !conversation) throw new UserError('that conversation does not exist', 'invalid-request');
      if (!conversation) {
        conversation = { id: randomUUID(), peer, callId: newCallId(), lastActivity: clock.now(), unread: 0 };
        repo.createConversation(conversation);
      }
      // Peers that take a repeated Call-ID for a duplicate get a fresh one, remembered as an alias
      // of the window so their replies still thread here.
      const callId = this.deps.peerOptions.get(peer)?.newCallIdPerMessage ? newCallId() : conversation.callId;
      if (callId !== conversation.callId) repo.addAlias(callId, conversation.id);
      const stored: ChatMessage = {
        id: randomUUID(),
        conversationId: conversation.id,
        direction: 'out',
        from: endpoint?.aor ?? '',
        to: target,
        callId,
        cseq: repo.takeCSeq(conversation.id),
        contentType: 'text/plain;charset=UTF-8',
        body: request.body,
        at: clock.now(),
        state: 'sending',
      };
      repo.insert(stored);
      repo.touch(conversation.id, stored.at, 0);
      return stored;
    });
    this.deps.emit({ type: 'message', ...message });
    if (!endpoint) {
      this.setState(message, 'failed', 'Parley is not connected.', 503);
      return { ...message, state: 'failed' };
    }
    this.transmit(endpoint, message, targetUri);
    return message;
  }

  onIncoming(incoming: Message): void {
    const request = incoming.request;
    const contentType = (request.getHeader('content-type') ?? 'text/plain').trim();
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.includes(mediaType)) {
      void incoming.reject({ statusCode: 415, extraHeaders: [ACCEPT_HEADER] });
      return;
    }
    const { repo, clock } = this.deps;
    const from = request.from.uri.toString();
    const peer = normalizeAddress(from);
    const callId = request.callId;
    this.learnPeer(peer, request.getHeader('user-agent'));
    const store = (): ChatMessage | undefined => {
      let conversation = repo.conversationByCallId(callId);
      if (!conversation) {
        conversation = repo.latestWithPeer(peer);
        if (conversation) repo.addAlias(callId, conversation.id);
        else {
          conversation = { id: randomUUID(), peer, callId, lastActivity: clock.now(), unread: 0 };
          repo.createConversation(conversation);
        }
      }
      const message: ChatMessage = {
        id: randomUUID(),
        conversationId: conversation.id,
        direction: 'in',
        from,
        to: request.to.uri.toString(),
        callId,
        cseq: request.cseq,
        contentType,
        body: request.body ?? '',
        at: clock.now(),
        state: 'received',
      };
      const isNew = repo.insert(message, request.fromTag);
      if (isNew) repo.touch(conversation.id, message.at, 1);
      return isNew ? message : undefined;
    };
    this.inbox.push({ incoming, store });
    if (this.inbox.length === 1) setImmediate(() => this.storeInbox());
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

  /** A peer's User-Agent/Server tells us its habits, unless the user already decided. */
  private learnPeer(peer: string, product: string | undefined): void {
    if (!needsNewCallIdPerMessage(product)) return;
    const known = this.deps.peerOptions.get(peer);
    if (known?.decidedBy === 'user' || known?.newCallIdPerMessage) return;
    this.deps.peerOptions.set(peer, { newCallIdPerMessage: true, decidedBy: 'auto' });
  }

  /** Queue a write for this turn's batch; resolves with its result once the batch has committed. */
  private stored<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.outbox.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (this.outbox.length === 1) setImmediate(() => this.storeOutbox());
    });
  }

  /**
   * Run every send queued in this turn in one transaction, each in its own savepoint so one bad
   * request (an unknown conversation) fails alone; then let each send go on, in the order queued.
   */
  private storeOutbox(): void {
    const work = this.outbox.splice(0);
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      this.deps.repo.transaction(() => {
        for (const item of work) {
          try {
            outcomes.push({ ok: true, value: this.deps.repo.transaction(item.write) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const item of work) item.reject(error);
      return;
    }
    work.forEach((item, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
  }

  /**
   * Store every MESSAGE that arrived in this turn of the event loop in one transaction, then answer
   * them: stored before the 200, so once the peer sees it the message survives a crash, and a burst
   * costs one commit instead of one per message.
   */
  private storeInbox(): void {
    const work = this.inbox.splice(0);
    let stored: (ChatMessage | undefined)[];
    try {
      stored = this.deps.repo.transaction(() => work.map((item) => item.store()));
    } catch (error) {
      // Not stored, so not accepted: the peer hears 500 and may send it again.
      this.deps.logger.error('could not store incoming messages', { error });
      for (const item of work) void item.incoming.reject({ statusCode: 500 });
      return;
    }
    work.forEach((item, i) => {
      void item.incoming.accept();
      const message = stored[i];
      if (message) this.deps.emit({ type: 'message', ...message });
    });
  }

  private transmit(endpoint: Endpoint, message: ChatMessage, targetUri: Uri): void {
    const core = endpoint.ua.userAgentCore;
    const fromUri = this.uri(endpoint.aor);
    if (!fromUri) {
      this.setState(message, 'failed', 'Our own address is not valid.', 0);
      return;
    }
    const outgoing = core.makeOutgoingRequestMessage(
      'MESSAGE',
      targetUri,
      fromUri,
      targetUri,
      { callId: message.callId, cseq: message.cseq },
      [],
      { contentDisposition: 'render', contentType: message.contentType, content: message.body },
    );
    const peer = normalizeAddress(message.to);
    core.request(outgoing, {
      onAccept: (response) => {
        this.learnPeer(peer, response.message.getHeader('server') ?? response.message.getHeader('user-agent'));
        const status = response.message.statusCode ?? 200;
        this.setState(message, status === 202 ? 'stored' : 'delivered', undefined, status);
      },
      onReject: (response) => {
        const status = response.message.statusCode ?? 0;
        this.setState(message, 'failed', explainDeliveryFailure(status, peer, response.message.reasonPhrase), status);
      },
    });
  }

  private setState(message: ChatMessage, state: DeliveryState, reason?: string, code?: number): void {
    this.deps.repo.setStateSoon(message.id, state, reason, code);
    this.deps.emit({
      type: 'delivery',
      id: message.id,
      conversationId: message.conversationId,
      state,
      ...(reason !== undefined ? { reason } : {}),
      ...(code !== undefined ? { code } : {}),
    });
  }
}
