import { memo } from 'react';
import type { ChatMessage, FileTransfer } from '../../../shared/ipc.js';
import { shownTransfer } from '../store/file-cards.js';
import { deliveryView } from '../store/delivery.js';
import { useServerConnected } from './useServerConnected.js';
import { messageTimes, outboxActions } from '../store/format.js';
import { clockTime } from '../store/local-time.js';
import { useApp } from '../store/context.js';
import { DeliveryState } from './DeliveryState.js';
import { LinkedText } from './LinkedText.js';
import { FileCard } from './FileCard.js';

export interface MessageItemProps {
  message: ChatMessage;
  /** Day separator above this message ("Today"), when it starts a day. */
  day: string | null;
  groupStart: boolean;
  /** Last of its group: shows the time. */
  groupEnd: boolean;
  now: number;
  focused?: boolean;
}

/**
 * One message as a bubble. The body (or the core's plain-text rendering of an HTML body) is React
 * text, links cut out as anchors (LinkedText), so markup in it is shown, never interpreted.
 * Memoised: a new message re-renders only its own row and the one before it (whose group may end).
 */
export const MessageItem = memo(function MessageItem({ message, day, groupStart, groupEnd, now, focused = false }: MessageItemProps) {
  if (message.file)
    return (
      <FileMessage
        message={message as ChatMessage & { file: FileTransfer }}
        day={day}
        groupStart={groupStart}
        groupEnd={groupEnd}
        now={now}
        focused={focused}
      />
    );
  return <TextMessage message={message} day={day} groupStart={groupStart} groupEnd={groupEnd} now={now} focused={focused} />;
});

/** The day separator above the first message of a day. */
function DaySeparator({ day }: { day: string | null }) {
  if (!day) return null;
  return (
    <div className="day-separator" role="separator" aria-label={day} data-testid="day-separator">
      <span>{day}</span>
    </div>
  );
}

/** The time under the last message of a group. */
function MessageTime({ message, now }: { message: ChatMessage; now: number }) {
  return (
    <time dateTime={new Date(message.sentAt ?? message.at).toISOString()} title={messageTimes(message, now)} data-testid="message-time">
      {clockTime(message.sentAt ?? message.at)}
    </time>
  );
}

/**
 * A file transfer in its place among the messages: its card, as this run's events left the
 * transfer or, after a restart, as the history kept it (store/file-cards.ts).
 */
function FileMessage({
  message,
  day,
  groupStart,
  groupEnd,
  now,
  focused = false,
}: MessageItemProps & { message: ChatMessage & { file: FileTransfer } }) {
  const live = useApp((s) => s.fileTransfers[message.id]);
  return (
    <>
      <DaySeparator day={day} />
      <div
        className={`message message-${message.direction} message-file${groupStart ? ' group-start' : ''}${focused ? ' message-focused' : ''}`}
        data-testid="message"
        data-id={message.id}
        data-direction={message.direction}
        data-group-start={groupStart}
      >
        <FileCard transfer={shownTransfer(message, live)} />
        {groupEnd && (
          <span className="meta file-time">
            <MessageTime message={message} now={now} />
          </span>
        )}
      </div>
    </>
  );
}

function TextMessage({ message, day, groupStart, groupEnd, now, focused = false }: MessageItemProps) {
  const out = message.direction === 'out';
  const connected = useServerConnected();
  const detail = out ? deliveryView(message, connected).detail : null;
  return (
    <>
      <DaySeparator day={day} />
      <div
        className={`message message-${message.direction} state-${message.state}${groupStart ? ' group-start' : ''}${focused ? ' message-focused' : ''}`}
        data-testid="message"
        data-id={message.id}
        data-direction={message.direction}
        data-state={message.state}
        data-receipt={message.receipt}
        data-group-start={groupStart}
      >
        <div className="bubble">
          <p className="body" data-testid="message-body">
            <LinkedText text={message.text ?? message.body} />
          </p>
          {(groupEnd || out) && (
            <span className="meta">
              {groupEnd && <MessageTime message={message} now={now} />}
              {out && <DeliveryState message={message} />}
            </span>
          )}
        </div>
        {detail && (
          <p className="delivery-detail" data-testid="delivery-detail">
            {detail}
          </p>
        )}
        <OutboxButtons message={message} />
      </div>
    </>
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
          Retry
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
