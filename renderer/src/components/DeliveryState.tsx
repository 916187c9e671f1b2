import type { ChatMessage } from '../../../shared/ipc.js';
import { deliveryView, type DeliveryMark } from '../store/delivery.js';
import { useReasonNames } from './useReasonNames.js';
import { useServerConnected } from './useServerConnected.js';

/** Small line icons; decorative (aria-hidden): the words beside them carry the meaning. */
const ICONS: Record<Exclude<DeliveryMark, 'none'>, string> = {
  clock: 'M8 3.5v4.5l3 2 M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13',
  check: 'M2.5 8.5l3.5 3.5l7.5-8',
  // Two ticks on a wider box (WIDE): the second to the right, its short stroke tucked under the first's.
  double: 'M1.5 8.5l3.5 3.5l7-8 M8 11l1 1l7-8',
  read: 'M1.5 8.5l3.5 3.5l7-8 M8 11l1 1l7-8',
  stored: 'M2 5.5h12v8h-12z M2 5.5l2-3h8l2 3 M6 9h4',
  alert: 'M8 1.5l7 13h-14z M8 6v4 M8 12v0.5',
  cancelled: 'M3 3l10 10 M13 3l-10 10',
};

/** Marks drawn on an 18-unit-wide box (two ticks side by side). */
const WIDE: ReadonlySet<DeliveryMark> = new Set(['double', 'read']);

/**
 * The delivery state of one of my messages: a mark, and its words (visible where the state needs
 * attention, for screen readers always). The full wording is also the tooltip.
 */
export function DeliveryState({ message }: { message: Pick<ChatMessage, 'state' | 'reason' | 'code' | 'conversationId' | 'receipt'> }) {
  const view = deliveryView(message, useServerConnected(), useReasonNames(message.conversationId));
  return (
    <span
      className={`delivery delivery-${message.receipt ?? message.state}`}
      title={[view.label, view.detail ?? view.hint].filter(Boolean).join('. ')}
      data-testid="message-state"
    >
      {view.mark !== 'none' && (
        <svg
          className={`delivery-mark${WIDE.has(view.mark) ? ' delivery-mark-wide' : ''}`}
          viewBox={WIDE.has(view.mark) ? '0 0 18 16' : '0 0 16 16'}
          aria-hidden="true"
          focusable="false"
        >
          <path d={ICONS[view.mark]} />
        </svg>
      )}
      <span className={view.labelShown ? 'delivery-label' : 'sr-only'}>{view.label}</span>
    </span>
  );
}
