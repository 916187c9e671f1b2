/**
 * The desktop objects the shell uses, recorded for the test: Notification (a test clicks or
 * replies), Tray and Menu (a test picks an item), dialog (the test's answer), shell, nativeImage,
 * powerMonitor (a test sets the idle time and raises events), session, net, safeStorage.
 */
import { EventEmitter } from 'node:events';
import { harness, record } from './harness.js';

export class Notification extends EventEmitter {
  static all: Notification[] = [];
  static isSupported(): boolean {
    return true;
  }
  shown = false;
  closed = false;
  constructor(readonly options: { title?: string; body?: string; hasReply?: boolean; silent?: boolean }) {
    super();
    Notification.all.push(this);
  }
  show(): void {
    this.shown = true;
    record('notification', this.options);
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.emit('close', {});
  }
  /** The user clicked it. */
  click(): void {
    this.emit('click', {});
  }
  reply(text: string): void {
    this.emit('reply', {}, text);
  }
}

export interface MenuItemTemplate {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemTemplate[];
}

export class Menu {
  static application: Menu | null = null;
  constructor(readonly items: MenuItemTemplate[]) {}
  static buildFromTemplate(template: MenuItemTemplate[]): Menu {
    return new Menu(template);
  }
  static setApplicationMenu(menu: Menu | null): void {
    Menu.application = menu;
    record('setApplicationMenu');
  }
  /** The item with this label, looked for through the submenus. */
  find(label: string): MenuItemTemplate | undefined {
    const walk = (items: MenuItemTemplate[]): MenuItemTemplate | undefined => {
      for (const item of items) {
        if (item.label === label) return item;
        const inner = item.submenu && walk(item.submenu);
        if (inner) return inner;
      }
      return undefined;
    };
    return walk(this.items);
  }
}

export class Tray extends EventEmitter {
  static all: Tray[] = [];
  tooltip = '';
  menu: Menu | null = null;
  image: unknown;
  destroyed = false;
  constructor(image: unknown) {
    super();
    this.image = image;
    Tray.all.push(this);
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: Menu): void {
    this.menu = menu;
  }
  setImage(image: unknown): void {
    this.image = image;
    record('tray.setImage', (image as { label?: string }).label ?? 'image');
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

class NativeImage {
  constructor(
    readonly label: string,
    private readonly size = { width: 0, height: 0 },
    private readonly bitmap: Buffer = Buffer.alloc(0),
  ) {}
  isEmpty(): boolean {
    return this.size.width === 0;
  }
  getSize(): { width: number; height: number } {
    return this.size;
  }
  resize(size: { width: number; height?: number }): NativeImage {
    const height = size.height ?? size.width;
    return new NativeImage(this.label, { width: size.width, height }, Buffer.alloc(size.width * height * 4));
  }
  toBitmap(): Buffer {
    return Buffer.from(this.bitmap);
  }
}

export const nativeImage = {
  createFromPath: (file: string) => new NativeImage(file, { width: 64, height: 64 }, Buffer.alloc(64 * 64 * 4)),
  createFromBitmap: (bitmap: Buffer, size: { width: number; height: number }) => new NativeImage('bitmap', size, bitmap),
  createEmpty: () => new NativeImage('empty'),
};

export const dialog = {
  showErrorBox(title: string, content: string): void {
    record('showErrorBox', title, content);
  },
  async showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    const options = (args.length > 1 ? args[1] : args[0]) as { title?: string; defaultPath?: string };
    record('showSaveDialog', options);
    const filePath = harness.answerSaveDialog(options);
    return filePath ? { canceled: false, filePath } : { canceled: true };
  },
  async showMessageBox(...args: unknown[]): Promise<{ response: number }> {
    const options = (args.length > 1 ? args[1] : args[0]) as { buttons?: string[] };
    record('showMessageBox', options);
    return { response: 0 };
  },
};

export const shell = {
  async openExternal(url: string): Promise<void> {
    record('openExternal', url);
  },
};

class PowerMonitor extends EventEmitter {
  /** How often the shell read the idle time: a spec waits for polls to pass, not for time. */
  idleReads = 0;
  getSystemIdleTime(): number {
    this.idleReads++;
    return harness.idleSeconds;
  }
}
export const powerMonitor = new PowerMonitor();

class Session extends EventEmitter {
  readonly webRequest = { onHeadersReceived: () => record('onHeadersReceived') };
  setPermissionRequestHandler(): void {}
  setPermissionCheckHandler(): void {}
  setDevicePermissionHandler(): void {}
}
export const session = { defaultSession: new Session() };

export const net = { isOnline: () => true };

/** No OS keyring here: the shell falls back to its file secret box, as on a desktop without one. */
export const safeStorage = {
  isEncryptionAvailable: () => false,
  encryptString: (text: string) => Buffer.from(text),
  decryptString: (buffer: Buffer) => buffer.toString(),
  getSelectedStorageBackend: () => 'basic_text',
};

/** One 1920×1080 display with a 40 px panel at the bottom (a spec may replace the list). */
export const screen = {
  displays: [
    { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1040 }, scaleFactor: 1 },
  ],
  getAllDisplays() {
    return screen.displays;
  },
  getPrimaryDisplay() {
    return screen.displays[0]!;
  },
};
