/**
 * The single window factory and the rules every webContents lives by: no navigation away from
 * the app, no new windows, no webviews; http(s) links go to the system browser after validation.
 */
import { BrowserWindow, shell, type WebContents } from 'electron';
import type { Logger } from '../support/logger.js';
import { silentLogger } from '../support/logger.js';
import type { WindowPlace } from '../hosts/electron/window-places.js';
import { APP_ENTRY_URL, decideNavigation, decideWindowOpen, isAppUrl } from '../hosts/electron/security.js';

const hardened = new WeakSet<WebContents>();
const ours = new Set<number>();

/** Is this webContents id one of the windows createWindow made (and not yet closed)? */
export function isOurWebContents(id: number): boolean {
  return ours.has(id);
}

/** Open a validated http(s) URL in the system browser. */
export function openExternalSafely(url: string, logger: Logger = silentLogger): void {
  shell.openExternal(url).catch((error: unknown) => logger.warn('could not open a link', { url, error }));
}

/** Apply the navigation rules to a webContents (idempotent: safe to call twice). */
export function hardenWebContents(contents: WebContents, logger: Logger = silentLogger): void {
  if (hardened.has(contents)) return;
  hardened.add(contents);

  contents.on('will-navigate', (event) => {
    const decision = decideNavigation(event.url);
    if (decision.action === 'allow') return;
    event.preventDefault();
    if (decision.action === 'external') openExternalSafely(decision.url, logger);
    else logger.warn('blocked a navigation', { url: event.url.slice(0, 256) });
  });
  // Sub-frames (there should be none: CSP frame-src 'none') may not leave the app either.
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame && !isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isAppUrl(event.url)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.action === 'external') openExternalSafely(decision.url, logger);
    else logger.warn('blocked window.open', { url: url.slice(0, 256) });
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('blocked a webview');
  });
}

export interface WindowOptions {
  /** Absolute path of the bundled preload (dist/electron/preload.cjs). */
  preloadPath: string;
  /** What to load; the app's own entry by default. */
  url?: string;
  icon?: string;
  logger?: Logger;
  /** Where it was last (electron/main/window-place.ts), already clamped to a display. */
  place?: WindowPlace | undefined;
}

/** The secure web preferences every Parley window gets. */
export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: true,
    // A notice's sound plays in a window that may be hidden in the tray and never clicked.
    autoplayPolicy: 'no-user-gesture-required',
  };
}

/** Create a Parley window, harden it, and load the app. */
export function createWindow(options: WindowOptions): BrowserWindow {
  const logger = options.logger ?? silentLogger;
  const window = new BrowserWindow({
    width: options.place?.width ?? 1040,
    height: options.place?.height ?? 720,
    ...(options.place ? { x: options.place.x, y: options.place.y } : {}),
    minWidth: 640,
    minHeight: 420,
    title: 'Parley',
    show: false,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7f9',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preloadPath),
  });
  const id = window.webContents.id;
  ours.add(id);
  hardenWebContents(window.webContents, logger);

  window.once('ready-to-show', () => {
    if (options.place?.maximized) window.maximize();
    window.show();
  });
  window.on('closed', () => ours.delete(id));
  window.webContents.on('render-process-gone', (_event, details) => {
    logger.error('renderer process gone', { reason: details.reason, exitCode: details.exitCode });
  });

  const url = options.url ?? APP_ENTRY_URL;
  window.loadURL(url).catch((error: unknown) => {
    logger.error('could not load the interface', { url, error });
    window.show();
  });
  return window;
}
