/**
 * The `electron` module as the shell's bundle sees it in the harness (e2e/shell/build.ts aliases
 * `electron` to this file): the same names, backed by Chromium pages and recorders.
 */
export { app } from './app.js';
export { BrowserWindow } from './browser-window.js';
export { ipcMain } from './ipc-main.js';
export { protocol } from './protocol.js';
export { Menu, Notification, Tray, dialog, nativeImage, net, powerMonitor, safeStorage, screen, session, shell } from './desktop.js';
