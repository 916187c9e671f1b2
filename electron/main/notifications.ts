/**
 * Native notifications for what electron/hosts/electron/attention.ts decides: one per key (a
 * conversation's next message replaces its notice), taken back when the conversation is read,
 * a click opens what it is about, an inline reply (macOS) is sent as a message.
 */
import { Notification } from 'electron';
import type { Notice } from '../../shared/notify/notices.js';
import { createNoticeShelf } from '../../shared/notify/shelf.js';
import type { Logger } from '../support/logger.js';
import { escapeNotificationMarkup } from '../hosts/electron/security.js';

export interface Notifier {
  show(notice: Notice): void;
  withdraw(key: string): void;
  /** Close every notice (quitting). */
  clear(): void;
}

export function createNotifier(options: {
  iconPath?: string;
  onClick: (notice: Notice) => void;
  onReply: (conversationId: string, text: string) => void;
  logger: Logger;
}): Notifier {
  const shelf = createNoticeShelf<Notification>();
  return {
    show(notice) {
      if (!Notification.isSupported()) return;
      try {
        shelf.withdraw(notice.key);
        const notification = new Notification({
          title: notice.title,
          // Parley's own sound plays in the window (muted there when the user says so).
          silent: true,
          // Linux notification servers read markup in the body; it is text here.
          body: process.platform === 'linux' ? escapeNotificationMarkup(notice.body) : notice.body,
          ...(notice.conversationId ? { hasReply: true, replyPlaceholder: 'Reply…' } : {}),
          ...(options.iconPath ? { icon: options.iconPath } : {}),
        });
        shelf.put(notice.key, notification);
        const forget = () => shelf.forget(notice.key, notification);
        notification.on('click', () => {
          forget();
          options.onClick(notice);
        });
        notification.on('reply', (_event, reply: string) => {
          forget();
          if (notice.conversationId && reply.trim()) options.onReply(notice.conversationId, reply);
        });
        notification.on('close', forget);
        notification.on('failed', forget);
        notification.show();
      } catch (error) {
        options.logger.warn('could not show a notification', { error });
      }
    },
    withdraw: (key) => shelf.withdraw(key),
    clear: () => shelf.clear(),
  };
}
