/**
 * How an outgoing message's delivery state reads on screen: a small mark on the bubble, a short
 * label (always there for screen readers, shown as text only where it needs attention) and, where
 * it helps, a line that says what happens next. Never colour alone: every state has words.
 * The marks read as in most messengers: one tick when the peer's side took it (a SIP 2xx, which may
 * come from a server for them), two when their own client says it has it (an IMDN "delivered"),
 * two in the link colour, heavier, when it was shown to them (an IMDN "displayed").
 */
import type { ChatMessage, DeliveryState, Receipt } from '../../../shared/ipc.js';
import { plainAddress, wordReason, type Names } from '../../../shared/words/word-reason.js';

export type DeliveryMark = 'clock' | 'check' | 'double' | 'read' | 'stored' | 'alert' | 'cancelled' | 'none';

export interface DeliveryView {
  mark: DeliveryMark;
  /** Short words for the state ("Delivered", "Not delivered: 404 Not Found"). */
  label: string;
  /** Show the label as text beside the mark (states that need the user's attention), else screen readers only. */
  labelShown: boolean;
  /** What happens next, in a secondary line; null when the label says it all. */
  detail: string | null;
  /** More words for the tooltip only (what a tick means). */
  hint?: string;
}

const LABELS: Record<DeliveryState, string> = {
  queued: 'Waiting for the server',
  sending: 'Sending…',
  delivered: 'Sent',
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

/** What a receipt shows: it says more than any state (the recipient's own client said it). */
const RECEIPTS: Record<Receipt, DeliveryView> = {
  'on-device': { mark: 'double', label: 'Delivered', labelShown: false, detail: null, hint: 'Their app has it' },
  read: { mark: 'read', label: 'Read', labelShown: false, detail: null, hint: 'Shown to them' },
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
  message: Pick<ChatMessage, 'state' | 'reason' | 'code' | 'receipt'>,
  connected = true,
  name: Names = plainAddress,
): DeliveryView {
  if (message.receipt) return RECEIPTS[message.receipt];
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
    case 'delivered':
      // Said in the tooltip: a peer that sends no receipts never gets past one tick.
      return { mark: 'check', label, labelShown: false, detail: null, hint: 'Their side took it; no receipt from their app yet' };
    default:
      return { mark: MARKS[message.state], label, labelShown: false, detail: null };
  }
}
