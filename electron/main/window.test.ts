import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const electron = await import('./testing/fake-electron.js');
const { createWindow, hardenWebContents, isOurWebContents } = await import('./window.js');

beforeEach(() => electron.resetFakeElectron());

describe('createWindow', () => {
  it('creates the window with the secure web preferences and the bundled preload', () => {
    createWindow({ preloadPath: '/app/dist/electron/preload.cjs' });
    const [window] = electron.BrowserWindow.windows;
    expect(window).toBeDefined();
    expect(window?.options.webPreferences).toMatchObject({
      preload: '/app/dist/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(window?.options.show).toBe(false);
  });

  it('loads the app from app://parley and shows the window when it is ready', () => {
    const window = createWindow({ preloadPath: '/p.cjs' }) as unknown as InstanceType<typeof electron.BrowserWindow>;
    expect(window.loadURL).toHaveBeenCalledWith('app://parley/index.html');
    expect(window.show).not.toHaveBeenCalled();
    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it('knows its own windows until they close', () => {
    const window = createWindow({ preloadPath: '/p.cjs' }) as unknown as InstanceType<typeof electron.BrowserWindow>;
    const id = window.webContents.id;
    expect(isOurWebContents(id)).toBe(true);
    expect(isOurWebContents(id + 1000)).toBe(false);
    window.close();
    expect(isOurWebContents(id)).toBe(false);
  });
});

describe('navigation rules', () => {
  function hardened() {
    const contents = new electron.FakeWebContents();
    hardenWebContents(contents as never);
    return contents;
  }

  it('denies navigation away from the app and opens web links in the system browser', () => {
    const contents = hardened();
    expect(contents.navigate('will-navigate', 'https://example.org/page?q=1')).toBe(true);
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.org/page?q=1');
  });

  it('denies other schemes without handing them to the operating system', () => {
    const contents = hardened();
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'sip:bob@example.org']) {
      expect(contents.navigate('will-navigate', url)).toBe(true);
    }
    expect(contents.navigate('will-navigate', 'https://user:pw@example.org/')).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('allows navigation within the app', () => {
    const contents = hardened();
    expect(contents.navigate('will-navigate', 'app://parley/index.html#chat')).toBe(false);
  });

  it('denies redirects and sub-frame navigations that leave the app', () => {
    const contents = hardened();
    expect(contents.navigate('will-redirect', 'https://example.org/')).toBe(true);
    expect(contents.navigate('will-frame-navigate', 'https://example.org/', { isMainFrame: false })).toBe(true);
    expect(electron.shell.openExternal).not.toHaveBeenCalled();
  });

  it('never opens a window; a valid web link goes to the system browser', () => {
    const contents = hardened();
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.org/');
    expect(contents.windowOpenHandler?.({ url: 'app://parley/index.html' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });

  it('refuses to attach webviews', () => {
    const contents = hardened();
    let prevented = false;
    contents.emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('hardens a webContents once even when asked twice', () => {
    const contents = new electron.FakeWebContents();
    hardenWebContents(contents as never);
    hardenWebContents(contents as never);
    contents.navigate('will-navigate', 'https://example.org/');
    expect(electron.shell.openExternal).toHaveBeenCalledTimes(1);
  });
});
