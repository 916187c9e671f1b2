import type { ChatMessage } from '../../../shared/ipc.js';
import { deliveryLabel } from '../store/delivery.js';
import { messageTimes, outboxActions } from '../store/format.js';
import { useApp } from '../store/context.js';

/**
 * One message. The body (or the core's plain-text rendering of an HTML body) is a React text
 * child, so markup in it is shown, never interpreted; long lines wrap (styles.css).
 */
export function MessageItem({ message, now, focused = false }: { message: ChatMessage; now: number; focused?: boolean }) {
  const state = message.direction === 'out' ? deliveryLabel(message) : null;
  return (
    <li
      className={`message message-${message.direction} state-${message.state}${focused ? ' message-focused' : ''}`}
      data-testid="message"
      data-id={message.id}
      data-direction={message.direction}
      data-state={message.state}
    >
      <p className="body" data-testid="message-body">
        {message.text ?? message.body}
      </p>
      <p className="meta">
        <time dateTime={new Date(message.sentAt ?? message.at).toISOString()} data-testid="message-time">
          {messageTimes(message, now)}
        </time>
        {state && (
          <>
            {' · '}
            <span className="delivery" data-testid="message-state">
              {state}
            </span>
          </>
        )}
      </p>
      <OutboxButtons message={message} />
    </li>
  );
}

/** Send again / cancel, for my messages still in the outbox (queued or failed). */
function OutboxButtons({ message }: { message: ChatMessage }) {
  const actions = outboxActions(message);
  if (!actions.retry && !actions.cancel) return null;
  return <OutboxButtonsLive message={message} retry={actions.retry} cancel={actions.cancel} />;
}

function OutboxButtonsLive({ message, retry, cancel }: { message: ChatMessage; retry: boolean; cancel: boolean }) {
  const retryMessage = useApp((s) => s.retryMessage);
  const cancelMessage = useApp((s) => s.cancelMessage);
  return (
    <div className="outbox-actions">
      {retry && (
        <button type="button" className="link-button" onClick={() => void retryMessage(message)} data-testid="message-retry">
          Send again
        </button>
      )}
      {cancel && (
        <button type="button" className="link-button" onClick={() => void cancelMessage(message)} data-testid="message-cancel">
          Cancel
        </button>
      )}
    </div>
  );
}
