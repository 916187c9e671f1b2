/**
 * How an outgoing message's delivery state reads on screen: a small mark on the bubble, a short
 * label (always there for screen readers, shown as text only where it needs attention) and, where
 * it helps, a line that says what happens next. Never colour alone: every state has words.
 */
import type { ChatMessage, DeliveryState } from '../../../shared/ipc.js';
import { plainAddress, wordReason, type Names } from '../../../shared/words/word-reason.js';

export type DeliveryMark = 'clock' | 'check' | 'stored' | 'alert' | 'cancelled' | 'none';

export interface DeliveryView {
  mark: DeliveryMark;
  /** Short words for the state ("Delivered", "Not delivered: 404 Not Found"). */
  label: string;
  /** Show the label as text beside the mark (states that need the user's attention), else screen readers only. */
  labelShown: boolean;
  /** What happens next, in a secondary line; null when the label says it all. */
  detail: string | null;
}

const LABELS: Record<DeliveryState, string> = {
  queued: 'Waiting for the server',
  sending: 'Sending…',
  delivered: 'Delivered',
  stored: 'Stored for later',
  failed: 'Not delivered',
  cancelled: 'Cancelled',
  received: 'Received',
};

const MARKS: Record<DeliveryState, DeliveryMark> = {
  queued: 'clock',
  sending: 'clock',
  delivered: 'check',
  stored: 'stored',
  failed: 'alert',
  cancelled: 'cancelled',
  received: 'none',
};

/** `name`: how the reason names the peer (store/names.ts). */
export function deliveryLabel(message: Pick<ChatMessage, 'state' | 'reason' | 'code'>, name: Names = plainAddress): string {
  const label = LABELS[message.state];
  if (message.state !== 'failed') return label;
  const why = message.reason ? wordReason(message.reason, name) : message.code ? `SIP ${message.code}` : '';
  return why ? `${label}: ${why}` : label;
}

/**
 * `connected`: whether the account's server is reachable (store/connection-state.ts). A message
 * on its way while it is not is waiting for the server, whatever the outbox's own state says.
 */
export function deliveryView(
  message: Pick<ChatMessage, 'state' | 'reason' | 'code'>,
  connected = true,
  name: Names = plainAddress,
): DeliveryView {
  if (!connected && message.state === 'sending') return deliveryView({ ...message, state: 'queued' }, connected, name);
  const label = deliveryLabel(message, name);
  switch (message.state) {
    case 'stored':
      return { mark: 'stored', label, labelShown: true, detail: 'Will be delivered when they come online' };
    case 'queued':
      return { mark: 'clock', label, labelShown: true, detail: 'It goes out as soon as Parley reaches the server again' };
    case 'failed':
    case 'cancelled':
      return { mark: MARKS[message.state], label, labelShown: true, detail: null };
    default:
      return { mark: MARKS[message.state], label, labelShown: false, detail: null };
  }
}
