/** The tray icon: status in the tooltip and menu, Show and Quit. */
import { Menu, Tray, nativeImage } from 'electron';
import type { Logger } from '../core/logger.js';

export interface StatusTray {
  setStatus(line: string): void;
  /** The unread total, said in the tooltip. */
  setUnread(total: number): void;
  destroy(): void;
}

export function createStatusTray(options: {
  iconPath: string;
  onShow: () => void;
  onQuit: () => void;
  logger: Logger;
}): StatusTray | null {
  let tray: Tray;
  try {
    const image = nativeImage.createFromPath(options.iconPath);
    const size = process.platform === 'darwin' ? 18 : 22;
    tray = new Tray(image.isEmpty() ? image : image.resize({ width: size, height: size }));
  } catch (error) {
    options.logger.warn('no tray on this desktop', { error });
    return null;
  }
  let line = 'Starting…';
  let unread = 0;
  const render = () => {
    tray.setToolTip(`Parley — ${line}${unread > 0 ? ` — ${unread} unread` : ''}`);
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: line, enabled: false },
        { type: 'separator' },
        { label: 'Show Parley', click: options.onShow },
        { label: 'Quit Parley', click: options.onQuit },
      ]),
    );
  };
  render();
  tray.on('click', options.onShow);
  return {
    setStatus: (next) => {
      line = next;
      render();
    },
    setUnread: (total) => {
      unread = total;
      render();
    },
    destroy: () => tray.destroy(),
  };
}
