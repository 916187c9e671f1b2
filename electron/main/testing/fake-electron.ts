/**
 * A stand-in for the `electron` module, for unit tests only: the Electron API boundary is the one
 * place Parley's tests replace a module (`vi.mock('electron', () => import('./testing/fake-electron.js'))`).
 * It records what the shell asks of Electron so a test can check it and fire events back.
 */
import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => unknown;

let nextWebContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  url = '';
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly send = vi.fn();

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }
  /** Fire a renderer-initiated navigation; returns whether a listener prevented it. */
  navigate(event: string, url: string, extra: Record<string, unknown> = {}): boolean {
    let prevented = false;
    const details = { url, isMainFrame: true, ...extra, preventDefault: () => (prevented = true) };
    this.emit(event, details, url);
    return prevented;
  }
}

export class BrowserWindow extends EventEmitter {
  static windows: BrowserWindow[] = [];
  static focused: BrowserWindow | null = null;
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.windows.filter((window) => !window.destroyed);
  }
  static getFocusedWindow(): BrowserWindow | null {
    return BrowserWindow.focused;
  }

  readonly webContents = new FakeWebContents();
  destroyed = false;
  readonly loadURL = vi.fn(async (url: string) => {
    this.webContents.url = url;
  });
  readonly show = vi.fn();
  readonly focus = vi.fn();
  readonly restore = vi.fn();
  readonly flashFrame = vi.fn();

  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.windows.push(this);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return false;
  }
  isFocused(): boolean {
    return BrowserWindow.focused === this;
  }
  close(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export const shell = { openExternal: vi.fn(async (_url: string) => {}), showItemInFolder: vi.fn((_path: string) => {}) };

export const protocol = {
  registerSchemesAsPrivileged: vi.fn(),
  handle: vi.fn(),
};

export class FakeSession extends EventEmitter {
  headersListener: Listener | null = null;
  permissionRequestHandler: Listener | null = null;
  permissionCheckHandler: Listener | null = null;
  devicePermissionHandler: Listener | null = null;
  readonly webRequest = {
    onHeadersReceived: (listener: Listener) => {
      this.headersListener = listener;
    },
  };
  setPermissionRequestHandler(handler: Listener): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: Listener): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: Listener): void {
    this.devicePermissionHandler = handler;
  }
}

export const session = { defaultSession: new FakeSession() };

class FakeApp extends EventEmitter {
  readonly quit = vi.fn();
  readonly exit = vi.fn();
  readonly enableSandbox = vi.fn();
  readonly setPath = vi.fn();
  readonly setAppUserModelId = vi.fn();
  readonly setBadgeCount = vi.fn();
  readonly setAsDefaultProtocolClient = vi.fn();
  readonly isPackaged = false;
  readonly requestSingleInstanceLock = vi.fn(() => true);
  ready = false;
  readyPromise: Promise<void> = new Promise(() => {});
  getPath(name: string): string {
    return `/tmp/parley-fake/${name}`;
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
}
export const app = new FakeApp();

export const ipcMain = {
  handlers: new Map<string, Listener>(),
  handle(channel: string, listener: Listener) {
    this.handlers.set(channel, listener);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
};

export const ipcRenderer = {
  invoke: vi.fn(async (..._args: unknown[]): Promise<unknown> => ({ ok: true, value: null })),
  listeners: new Map<string, Set<Listener>>(),
  on(channel: string, listener: Listener) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)?.add(listener);
    return this;
  },
  removeListener(channel: string, listener: Listener) {
    this.listeners.get(channel)?.delete(listener);
    return this;
  },
  /** Deliver a message from main as Electron would: an IpcRendererEvent first. */
  deliver(channel: string, payload: unknown) {
    const event = { sender: this, senderId: 0, ports: [] };
    for (const listener of this.listeners.get(channel) ?? []) listener(event, payload);
  },
};

export const contextBridge = {
  exposed: new Map<string, unknown>(),
  exposeInMainWorld(key: string, api: unknown) {
    this.exposed.set(key, api);
  },
};

export class Notification extends EventEmitter {
  static shown: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  constructor(readonly options: Record<string, unknown>) {
    super();
  }
  closed = false;
  show(): void {
    Notification.shown.push(this);
  }
  close(): void {
    this.closed = true;
    this.emit('close');
  }
}

export class Tray extends EventEmitter {
  static last: Tray | null = null;
  tooltip = '';
  constructor(public image: unknown) {
    super();
    Tray.last = this;
  }
  menu: unknown = null;
  setImage(image: unknown): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: unknown): void {
    this.menu = menu;
  }
  destroy(): void {}
}

export const Menu = { buildFromTemplate: (template: unknown[]) => ({ template }) };

export const nativeImage = {
  createFromPath: (file: string) => ({ file, isEmpty: () => true, resize: () => ({}), setTemplateImage: () => undefined }),
};

export const powerMonitor = new EventEmitter();
export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1040 } }] };
export const net = { isOnline: () => true };
export const dialog = { showErrorBox: vi.fn() };
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (buffer: Buffer) => buffer.toString(),
  getSelectedStorageBackend: () => 'basic_text',
};

/** Forget everything recorded between tests. */
export function resetFakeElectron(): void {
  vi.clearAllMocks();
  BrowserWindow.windows = [];
  BrowserWindow.focused = null;
  Notification.shown = [];
  Tray.last = null;
  ipcMain.handlers.clear();
  ipcRenderer.listeners.clear();
  contextBridge.exposed.clear();
  session.defaultSession = new FakeSession();
  app.removeAllListeners();
  app.ready = false;
  app.readyPromise = new Promise(() => {});
  app.requestSingleInstanceLock.mockImplementation(() => true);
  powerMonitor.removeAllListeners();
}
