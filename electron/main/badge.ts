/**
 * The unread count where the desktop shows one: the dock or launcher badge (app.setBadgeCount:
 * macOS, Unity-style Linux launchers), the taskbar overlay on Windows (no badge count there).
 */
import { app, nativeImage, type BrowserWindow } from 'electron';

export function showUnread(total: number, window: BrowserWindow | null, iconPath: string): void {
  app.setBadgeCount(total);
  if (process.platform === 'win32' && window && !window.isDestroyed()) {
    window.setOverlayIcon(total > 0 ? nativeImage.createFromPath(iconPath) : null, total > 0 ? `${total} unread` : '');
  }
}
