import { z } from 'zod';
import { FileTransfer } from './file-transfer.js';
import { Reason } from './reason.js';

/**
 * Delivery state of one message we sent:
 *   queued ──> sending ──2xx──> delivered
 *     ▲            │  ──202──> stored        (the server keeps it for an offline user)
 *     │            └──error──> failed        (reason says why; it stays in the outbox)
 *     └──── retry (connection back, or by hand) ── failed
 *   queued / failed ──cancel──> cancelled    (taken out of the outbox; never sent again)
 * Incoming messages are `received`. What the recipient's own client says comes beside it, as a
 * receipt (Receipt), not as a state: the outbox's states mean what they meant before receipts.
 */
export const DeliveryState = z.enum(['queued', 'sending', 'delivered', 'stored', 'failed', 'cancelled', 'received']);
export type DeliveryState = z.infer<typeof DeliveryState>;

/**
 * What the recipient's client reported of one message we sent (IMDN, RFC 5438):
 *   on-device  its "delivered" notification: the message is on their device
 *   read       its "displayed" notification: shown to them in a focused window
 * Only ever moves forward (receiptAdvances); a peer that sends no notifications leaves it absent.
 */
export const Receipt = z.enum(['on-device', 'read']);
export type Receipt = z.infer<typeof Receipt>;

/** Whether a receipt `to` tells more than the one a message holds (`from`, absent when none). */
export function receiptAdvances(from: Receipt | undefined, to: Receipt): boolean {
  return from === undefined || (from === 'on-device' && to === 'read');
}

export const Direction = z.enum(['in', 'out']);
export type Direction = z.infer<typeof Direction>;

export const ChatMessage = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: Direction,
  from: z.string(),
  to: z.string(),
  callId: z.string(),
  cseq: z.number().int().nonnegative(),
  contentType: z.string(),
  /** Always shown as text, never as markup. Kept verbatim as received (for text/html: the markup itself). */
  body: z.string(),
  /**
   * A plain-text rendering of a text/html body (tags dropped, entities decoded) for display and
   * search; absent for plain text. Still text: never to be rendered as markup.
   */
  text: z.string().optional(),
  /** Epoch ms: when it was sent (out) or received (in). */
  at: z.number(),
  /**
   * Epoch ms the sender wrote it, when that differs from `at`: a message the server stored for
   * later delivery (202) arrives with its original date (Date header or CPIM DateTime).
   */
  sentAt: z.number().optional(),
  /**
   * Sort key within the conversation: messages are shown by ascending `order`. The core sets it so
   * a receiver shows messages in the sender's order even when several were in flight at once.
   */
  order: z.number().optional(),
  state: DeliveryState,
  /** Why it failed or waits (a `delivery.*` reason); `code` is the SIP status behind it. */
  reason: Reason.optional(),
  code: z.number().int().optional(),
  /** Outgoing: what the recipient's client reported (on the device, read), when it did. */
  receipt: Receipt.optional(),
  /**
   * A message of kind file: a file transfer in the conversation (docs/DESIGN.md#file-transfer),
   * its last stored state. Its `id` is the transfer's id, `body` the file's name (what search
   * finds), `contentType` the file's type; `state` is only 'received' or 'delivered' (the row is
   * never in the outbox): the transfer's own state is here.
   */
  file: FileTransfer.optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Conversation = z.object({
  id: z.string(),
  /** The peer's normalised address. */
  peer: z.string(),
  /** The display name the peer gave in its From header last time (absent when it gave none). */
  peerName: z.string().max(128).optional(),
  /** The Call-ID this window sends with. */
  callId: z.string(),
  lastActivity: z.number(),
  unread: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof Conversation>;
