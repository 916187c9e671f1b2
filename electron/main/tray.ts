/**
 * The tray icon: our presence as its picture (electron/hosts/electron/tray-state.ts decides which),
 * the connection, status and unread count in the tooltip, and a menu to set the status, open
 * Parley and quit.
 */
import path from 'node:path';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import type { Availability } from '../../shared/domain/availability.js';
import type { Logger } from '../support/logger.js';
import { TRAY_STATUSES, trayImageFile, trayTooltip, type TrayFacts } from '../hosts/electron/tray-state.js';

export interface StatusTray {
  /** Any of the facts changed: redraw what differs. */
  update(facts: Partial<TrayFacts>): void;
  destroy(): void;
}

export function createStatusTray(options: {
  /** dist/electron/tray: the pictures per presence state. */
  trayDir: string;
  onShow: () => void;
  onSetStatus: (availability: Availability) => void;
  onQuit: () => void;
  logger: Logger;
}): StatusTray | null {
  const picture = (file: string): NativeImage => {
    const image = nativeImage.createFromPath(path.join(options.trayDir, file));
    // The @2x siblings are picked up by Electron; on macOS the template follows the menu bar's colour.
    if (process.platform === 'darwin') image.setTemplateImage(true);
    return image;
  };
  let facts: TrayFacts = { registration: 'unregistered', availability: 'online', line: 'Starting…', unread: 0 };
  let file = trayImageFile(facts, process.platform);
  let tray: Tray;
  try {
    tray = new Tray(picture(file));
  } catch (error) {
    options.logger.warn('no tray on this desktop', { error });
    return null;
  }
  const render = () => {
    const next = trayImageFile(facts, process.platform);
    if (next !== file) tray.setImage(picture((file = next)));
    tray.setToolTip(trayTooltip(facts));
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: facts.line, enabled: false },
        { type: 'separator' },
        ...TRAY_STATUSES.map(({ availability, label }) => ({
          label,
          type: 'radio' as const,
          checked: facts.availability === availability,
          click: () => options.onSetStatus(availability),
        })),
        { type: 'separator' },
        { label: 'Open Parley', click: options.onShow },
        { label: 'Quit', click: options.onQuit },
      ]),
    );
  };
  render();
  tray.on('click', options.onShow);
  return {
    update: (changed) => {
      facts = { ...facts, ...changed };
      render();
    },
    destroy: () => tray.destroy(),
  };
}
