/**
 * Copies of the messages this account's other devices sent (docs/DESIGN.md#copies-of-sent-messages).
 * The server sends them to our own address with a Sent-Copy-To header naming the original
 * recipient (sip/message/sent-copy.ts). One is believed only when it came from the account's own
 * server (the source of the request is the proxy we registered through, whatever its headers say)
 * and From our own address: the server refuses the header from anybody else, so no third party can
 * put words in our mouth. It is filed as an outgoing message in the conversation with the
 * recipient, once (its id is the original's Message-ID, which its receipts name too; without one,
 * the Call-ID, CSeq and From tag it came with), placed by its CSeq among the copies on its Call-ID,
 * without unread, receipts or a notice: it is the user's own message. A conversation it starts gets
 * a Call-ID of its own (the other device's CSeqs on that Call-ID are not ours to continue), with
 * the copy's Call-ID as an alias, so the recipient's replies on it thread here.
 */
import type { ChatMessage, Conversation, DeliveryState, ParleyEvent } from '../../../shared/ipc.js';
import { normalizeAddress } from '../../../shared/domain/address.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import type { Clock } from '../../support/clock.js';
import type { Logger } from '../../support/logger.js';
import { readSentCopyTo } from '../../sip/message/sent-copy.js';
import type { BatchWriter } from './batch-writer.js';
import type { IncomingContent } from './content/incoming-content.js';
import type { IncomingChat } from './incoming-chat.js';
import { newCallId, uuidv7 } from './ids.js';
import { orderBetween } from './ordering.js';

/** A Message-ID fit to be a stored message's id: printable, no spaces, bounded. */
const USABLE_ID = /^[\x21-\x7e]{1,128}$/;

export interface SentCopiesDeps {
  repo: MessagesRepo;
  batch: BatchWriter;
  clock: Clock;
  logger: Logger;
  emit(event: ParleyEvent): void;
  /** Our address of record now, or undefined without an endpoint. */
  ourAddress(): string | undefined;
  /** Whether this request is our own: From our address, from the account's own server (the proxy's flow). */
  fromOurselves(request: IncomingChat['request']): boolean;
  createConversation(peer: string, callId: string): Conversation;
  /** Whether `address` is one we can send to (the recipient a copy names must be). */
  isAddress(address: string): boolean;
}

export class SentCopies {
  constructor(private readonly deps: SentCopiesDeps) {}

  /** A MESSAGE with a Sent-Copy-To header (`header`): filed as our own outgoing message, or refused. */
  take(incoming: IncomingChat, content: IncomingContent, header: string): void {
    const { request } = incoming;
    const ours = this.deps.ourAddress();
    const copy = readSentCopyTo(header);
    const trusted = ours !== undefined && this.deps.fromOurselves(request);
    if (!trusted || !copy || content.kind !== 'text' || !this.deps.isAddress(copy.to)) {
      // Not from our server for our address (a third party naming us), or not a copy it would make.
      this.deps.logger.warn('refused a copy of a sent message', { trusted, contentType: request.getHeader('content-type') });
      void incoming.reject({ statusCode: 403 });
      return;
    }
    const state: DeliveryState = copy.status === 202 ? 'stored' : 'delivered';
    this.deps.batch.received(
      () => this.store(request, content, copy.to, state, ours!),
      (result) => {
        if (!result.ok) {
          void incoming.reject({ statusCode: 500 });
          return;
        }
        void incoming.accept();
        if (result.value) this.deps.emit({ type: 'message', ...result.value });
      },
    );
  }

  private store(
    request: IncomingChat['request'],
    content: Extract<IncomingContent, { kind: 'text' }>,
    to: string,
    state: DeliveryState,
    ours: string,
  ): ChatMessage | undefined {
    const { repo, clock } = this.deps;
    const { callId, cseq, fromTag } = request;
    const id = content.messageId !== undefined && USABLE_ID.test(content.messageId) ? content.messageId : undefined;
    if ((id !== undefined && repo.message(id)) || repo.hasSentCopy(callId, cseq, fromTag)) return undefined;
    const peer = normalizeAddress(to);
    let conversation = repo.conversationByCallId(callId);
    if (conversation?.peer !== peer) {
      conversation = repo.latestWithPeer(peer) ?? this.deps.createConversation(peer, newCallId());
      repo.addAlias(callId, conversation.id);
    }
    const slot = repo.slotBeforeLaterCopy(conversation.id, callId, cseq);
    const at = clock.now();
    const message: ChatMessage = {
      id: id ?? uuidv7(at),
      conversationId: conversation.id,
      direction: 'out',
      from: ours,
      to,
      callId,
      cseq,
      contentType: content.contentType,
      body: content.body,
      ...(content.text !== undefined ? { text: content.text } : {}),
      at,
      ...(content.sentAt !== undefined ? { sentAt: content.sentAt } : {}),
      order: slot.next !== undefined ? orderBetween(slot.previous, slot.next) : repo.nextOrder(conversation.id),
      state,
    };
    if (!repo.insert(message, fromTag)) return undefined;
    this.deps.batch.touch(conversation.id, at, 0);
    return message;
  }
}
