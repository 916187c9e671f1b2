import { z } from 'zod';

/**
 * Delivery state of one message we sent:
 *   queued ──> sending ──2xx──> delivered
 *                  │  ──202──> stored        (the server keeps it for an offline user)
 *                  └──error──> failed        (reason says why; it stays in the outbox)
 * Incoming messages are `received`.
 */
export const DeliveryState = z.enum(['queued', 'sending', 'delivered', 'stored', 'failed', 'received']);
export type DeliveryState = z.infer<typeof DeliveryState>;

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
  /** Always shown as text, never as markup. */
  body: z.string(),
  /** Epoch ms: when it was sent (out) or received (in). */
  at: z.number(),
  state: DeliveryState,
  reason: z.string().optional(),
  code: z.number().int().optional(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const Conversation = z.object({
  id: z.string(),
  /** The peer's normalised address. */
  peer: z.string(),
  /** The Call-ID this window sends with. */
  callId: z.string(),
  lastActivity: z.number(),
  unread: z.number().int().nonnegative(),
});
export type Conversation = z.infer<typeof Conversation>;
