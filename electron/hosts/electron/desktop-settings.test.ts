import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyDesktopChange, DESKTOP_SETTINGS_FILE, openDesktopSettings } from './desktop-settings.js';

const folders: string[] = [];
const folder = () => {
  const made = mkdtempSync(path.join(os.tmpdir(), 'parley-desktop-'));
  folders.push(made);
  return made;
};
afterEach(() => {
  for (const made of folders.splice(0)) rmSync(made, { recursive: true, force: true });
});

describe('desktop settings', () => {
  it('starts from the defaults, keeps to the tray only where one exists, saves and tells each change', () => {
    const dataDir = folder();
    const onChange = vi.fn();
    expect(openDesktopSettings({ dataDir, hasTray: false, onChange }).get().closeToTray).toBe(false);
    const store = openDesktopSettings({ dataDir, hasTray: true, onChange });
    expect(store.get()).toEqual({ closeToTray: true, autoAwayMinutes: 10, startAtLogin: false });
    store.set({ autoAwayMinutes: 5 });
    expect(onChange).toHaveBeenCalledWith({ closeToTray: true, autoAwayMinutes: 5, startAtLogin: false }, { autoAwayMinutes: 5 });
    expect(JSON.parse(readFileSync(path.join(dataDir, DESKTOP_SETTINGS_FILE), 'utf8'))).toMatchObject({ autoAwayMinutes: 5 });
    expect(openDesktopSettings({ dataDir, hasTray: true, onChange }).get().autoAwayMinutes).toBe(5);
  });

  it('takes a bad file for the defaults', () => {
    const dataDir = folder();
    writeFileSync(path.join(dataDir, DESKTOP_SETTINGS_FILE), '{"autoAwayMinutes": "soon"');
    expect(openDesktopSettings({ dataDir, hasTray: true, onChange: () => {} }).get().autoAwayMinutes).toBe(10);
    writeFileSync(path.join(dataDir, DESKTOP_SETTINGS_FILE), '{"autoAwayMinutes": -3}');
    expect(openDesktopSettings({ dataDir, hasTray: true, onChange: () => {} }).get().autoAwayMinutes).toBe(10);
  });

  it('start at login is handed to the system (app.setLoginItemSettings) when it changes, and only then', () => {
    const app = { setLoginItemSettings: vi.fn() };
    const dataDir = folder();
    const store = openDesktopSettings({ dataDir, hasTray: true, onChange: (_now, change) => applyDesktopChange(change, app) });
    store.set({ startAtLogin: true });
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: true });
    store.set({ autoAwayMinutes: 3, closeToTray: false });
    expect(app.setLoginItemSettings).toHaveBeenCalledTimes(1);
    store.set({ startAtLogin: false });
    expect(app.setLoginItemSettings).toHaveBeenLastCalledWith({ openAtLogin: false });
    expect(app.setLoginItemSettings).toHaveBeenCalledTimes(2);
  });
});
