/** Native notifications for incoming messages while no Parley window has the focus. */
import { Notification } from 'electron';
import type { SequencedEvent } from '../../shared/ipc.js';
import type { Logger } from '../core/logger.js';
import { notificationFor } from '../hosts/electron/status.js';

export function createMessageNotifier(options: {
  iconPath?: string;
  isAnyWindowFocused: () => boolean;
  onClick: (conversationId: string) => void;
  logger: Logger;
}): (event: SequencedEvent) => void {
  // Keep shown notifications referenced: a collected Notification loses its click handler.
  const live = new Set<Notification>();
  return (event) => {
    const content = notificationFor(event, { windowFocused: options.isAnyWindowFocused() });
    if (!content || !Notification.isSupported()) return;
    try {
      const notification = new Notification({
        title: content.title,
        body: content.body,
        ...(options.iconPath ? { icon: options.iconPath } : {}),
      });
      live.add(notification);
      const forget = () => live.delete(notification);
      notification.on('click', () => {
        forget();
        options.onClick(content.conversationId);
      });
      notification.on('close', forget);
      notification.on('failed', forget);
      notification.show();
    } catch (error) {
      options.logger.warn('could not show a notification', { error });
    }
  };
}
