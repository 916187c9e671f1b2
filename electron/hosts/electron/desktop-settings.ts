/**
 * The desktop settings (shared/contract/shell.ts) kept in `<data folder>/desktop.json`: read once,
 * changed by the renderer's settings view, each change written and told to the shell's listeners.
 */
import path from 'node:path';
import { DesktopSettings } from '../../../shared/contract/shell.js';
import type { Logger } from '../../support/logger.js';
import { readJsonFile, writeJsonFile } from './json-file.js';

export const DESKTOP_SETTINGS_FILE = 'desktop.json';

export interface DesktopSettingsStore {
  get(): DesktopSettings;
  set(change: Partial<DesktopSettings>): DesktopSettings;
}

export function defaultDesktopSettings(hasTray: boolean): DesktopSettings {
  return { closeToTray: hasTray, autoAwayMinutes: 10, startAtLogin: false };
}

export function openDesktopSettings(options: {
  dataDir: string;
  hasTray: boolean;
  onChange: (settings: DesktopSettings, change: Partial<DesktopSettings>) => void;
  logger?: Logger;
}): DesktopSettingsStore {
  const file = path.join(options.dataDir, DESKTOP_SETTINGS_FILE);
  const defaults = defaultDesktopSettings(options.hasTray);
  // Each field on its own: a file from an older version keeps what it has, the rest are defaults.
  let current: DesktopSettings = { ...defaults, ...readJsonFile(file, DesktopSettings.partial(), {}, options.logger) };
  return {
    get: () => current,
    set(change) {
      current = { ...current, ...change };
      try {
        writeJsonFile(file, current);
      } catch (error) {
        options.logger?.warn('could not save the desktop settings', { error });
      }
      options.onChange(current, change);
      return current;
    },
  };
}

/** What the system must be told when a desktop setting changes: start at login is the OS's to keep. */
export function applyDesktopChange(
  change: Partial<DesktopSettings>,
  app: { setLoginItemSettings(settings: { openAtLogin: boolean }): void },
): void {
  if (change.startAtLogin !== undefined) app.setLoginItemSettings({ openAtLogin: change.startAtLogin });
}
