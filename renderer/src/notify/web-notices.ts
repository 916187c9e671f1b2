/**
 * Web Notifications for the browser host (the Electron shell shows native ones instead): one per
 * notice key, so a conversation's next message replaces its notification; taken back when the
 * conversation is read; a click brings the tab forward and opens what the notice is about.
 * Permission is asked only when the user presses the button in the settings view.
 */
import type { Notice } from '../../../shared/notify/notices.js';
import { createNoticeShelf } from '../../../shared/notify/shelf.js';

export type WebNotificationPermission = NotificationPermission | 'unsupported';

/** The part of the Notification API used here (tests hand in a fake). */
export interface NotificationHost {
  readonly permission: NotificationPermission;
  requestPermission(): Promise<NotificationPermission>;
  new (title: string, options: NotificationOptions): NotificationLike;
}

export interface NotificationLike {
  onclick: ((event: Event) => void) | null;
  onclose: ((event: Event) => void) | null;
  close(): void;
}

/** The page's Notification API, or null where there is none (or it is not usable, as in Electron). */
export function notificationHost(): NotificationHost | null {
  if (typeof window === 'undefined' || window.parley || typeof window.Notification !== 'function') return null;
  return window.Notification as unknown as NotificationHost;
}

export function webNotificationPermission(host: NotificationHost | null = notificationHost()): WebNotificationPermission {
  return host ? host.permission : 'unsupported';
}

/** Ask the browser (the user) to allow notifications; answers what it then is. */
export async function askWebNotificationPermission(host: NotificationHost | null = notificationHost()): Promise<WebNotificationPermission> {
  if (!host) return 'unsupported';
  try {
    return await host.requestPermission();
  } catch {
    return host.permission;
  }
}

export interface WebNotifier {
  /** False when the page may not notify (no permission), so nothing was shown. */
  show(notice: Notice): boolean;
  withdraw(key: string): void;
}

export function createWebNotifier(options: {
  host: () => NotificationHost | null;
  /** The notice was clicked: show the page and what it is about. */
  onClick(notice: Notice): void;
}): WebNotifier {
  const shelf = createNoticeShelf<NotificationLike>();
  return {
    show(notice) {
      const host = options.host();
      if (!host || host.permission !== 'granted') return false;
      try {
        shelf.withdraw(notice.key);
        // The tag makes the browser replace rather than stack; renotify alerts again for the newer one.
        const notification = new host(notice.title, {
          body: notice.body,
          tag: notice.key,
          renotify: true,
          silent: true,
        } as NotificationOptions);
        shelf.put(notice.key, notification);
        notification.onclick = () => {
          shelf.forget(notice.key, notification);
          notification.close();
          options.onClick(notice);
        };
        notification.onclose = () => shelf.forget(notice.key, notification);
        return true;
      } catch {
        /* a browser that shows notifications only from a service worker: no notice, the sound still plays */
        return false;
      }
    },
    withdraw: (key) => shelf.withdraw(key),
  };
}
