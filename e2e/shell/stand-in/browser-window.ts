/**
 * BrowserWindow as a real Chromium page: loadURL opens the app:// URL at its stand-in origin (the
 * protocol handler serves it, stand-in/protocol.ts), the page runs the real preload
 * (page-preload.ts), its ipcRenderer.invoke reaches ipcMain's handler with the sender and frame
 * Electron would give, and webContents.send dispatches to the preload's listeners in order.
 */
import { readFileSync } from 'node:fs';
import { EventEmitter } from 'node:events';
import type { Page } from '@playwright/test';
import { harness, record } from './harness.js';
import { ipcMain } from './ipc-main.js';
import { DELIVER_FUNCTION, INVOKE_BINDING, preloadInitScript } from './page-preload.js';
import { fromStandInUrl, toStandInUrl } from './protocol.js';

let nextId = 1;

export class WebContents extends EventEmitter {
  readonly id = nextId++;
  destroyed = false;
  loading = true;
  private delivery: Promise<unknown> = Promise.resolve();
  constructor(readonly page: Promise<Page>) {
    super();
  }
  send(channel: string, payload: unknown): void {
    this.delivery = this.delivery
      .then(async () =>
        (await this.page).evaluate(
          ([name, c, p]) => (globalThis as unknown as Record<string, ((c: string, p: unknown) => void) | undefined>)[name]?.(c, p),
          [DELIVER_FUNCTION, channel, payload] as const,
        ),
      )
      .catch(() => undefined);
  }
  setWindowOpenHandler(handler: (details: { url: string }) => unknown): void {
    record('setWindowOpenHandler', typeof handler);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isLoading(): boolean {
    return this.loading;
  }
  getURL(): string {
    return '';
  }
}

export class BrowserWindow extends EventEmitter {
  static all: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.all.filter((window) => !window.destroyed);
  }
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.focused && !BrowserWindow.focused.destroyed ? BrowserWindow.focused : null;
  }

  readonly webContents: WebContents;
  readonly page: Promise<Page>;
  destroyed = false;
  visible = false;
  minimized = false;
  maximized = false;
  url = '';
  private closed: Promise<void> | null = null;
  /** The navigation loadURL started. Closing the page while its goto is answered makes Playwright
   * receive a response object it already disposed ("not bound in the connection"), so destroy
   * closes the page only once the navigation has settled, as Electron finishes a load it aborts. */
  private navigation: Promise<unknown> = Promise.resolve();
  bounds: { x: number; y: number; width: number; height: number };

  constructor(readonly options: { width?: number; height?: number; x?: number; y?: number; webPreferences?: { preload?: string } }) {
    super();
    this.bounds = { x: options.x ?? 0, y: options.y ?? 0, width: options.width ?? 800, height: options.height ?? 600 };
    this.page = this.open();
    this.webContents = new WebContents(this.page);
    BrowserWindow.all.push(this);
    record('window', { width: options.width, height: options.height, x: options.x, y: options.y });
  }

  private async open(): Promise<Page> {
    const context = harness.context;
    if (!context) throw new Error('the stand-in has no browser context: a window before ready');
    const page = await context.newPage();
    const preload = this.options.webPreferences?.preload;
    if (preload) await page.addInitScript(preloadInitScript(readFileSync(preload, 'utf8')));
    await page.exposeBinding(INVOKE_BINDING, async (source, channel: string, args: unknown[]) => {
      const event = {
        sender: this.webContents,
        senderFrame:
          source.frame === page.mainFrame()
            ? { url: fromStandInUrl(source.frame.url()), parent: null }
            : { url: fromStandInUrl(source.frame.url()), parent: {} },
      };
      return ipcMain.invoke(channel, event, ...args);
    });
    return page;
  }

  async loadURL(url: string): Promise<void> {
    this.url = url;
    const page = await this.page;
    this.webContents.loading = true;
    const navigation = page.goto(toStandInUrl(url));
    this.navigation = navigation.catch(() => undefined);
    await navigation;
    this.webContents.loading = false;
    this.webContents.emit('did-finish-load');
    this.emit('ready-to-show');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  /** Settles once nothing of this window's is in flight in Playwright: its page closed if it was
   * destroyed, else its navigation over (launch.ts waits for it before closing the context). */
  async settled(): Promise<void> {
    await (this.closed ?? this.navigation);
  }
  show(): void {
    this.visible = true;
    this.minimized = false;
    record('show');
    this.focus();
  }
  hide(): void {
    this.visible = false;
    record('hide');
    if (BrowserWindow.focused === this) this.blur();
  }
  isVisible(): boolean {
    return this.visible;
  }
  focus(): void {
    const previous = BrowserWindow.focused;
    if (previous === this) return;
    BrowserWindow.focused = this;
    previous?.emit('blur');
    this.emit('focus');
    void this.page.then((page) => page.bringToFront()).catch(() => undefined);
  }
  /** The user went to another application. */
  blur(): void {
    if (BrowserWindow.focused !== this) return;
    BrowserWindow.focused = null;
    this.emit('blur');
  }
  isFocused(): boolean {
    return BrowserWindow.focused === this;
  }
  restore(): void {
    this.minimized = false;
  }
  minimize(): void {
    this.minimized = true;
    this.blur();
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  maximize(): void {
    this.maximized = true;
    this.emit('maximize');
  }
  unmaximize(): void {
    this.maximized = false;
    this.emit('unmaximize');
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  getBounds(): { x: number; y: number; width: number; height: number } {
    return { ...this.bounds };
  }
  getNormalBounds(): { x: number; y: number; width: number; height: number } {
    return this.getBounds();
  }
  setBounds(bounds: Partial<{ x: number; y: number; width: number; height: number }>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
    this.emit('move');
  }
  flashFrame(flag: boolean): void {
    record('flashFrame', flag);
  }
  setOverlayIcon(image: unknown, description: string): void {
    record('setOverlayIcon', image === null ? null : 'icon', description);
  }
  /** The user closed the window (a listener may prevent it: keep in the tray). */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy(): void {
    if (this.destroyed) return;
    this.blur();
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.closed = this.page
      .then(async (page) => {
        await this.navigation;
        await page.close();
      })
      .catch(() => undefined);
    this.emit('closed');
    if (BrowserWindow.getAllWindows().length === 0) appEvents.emit('window-all-closed');
  }
}

/** app's event emitter (stand-in/app.ts), told when the last window closed. */
export const appEvents = new EventEmitter();
