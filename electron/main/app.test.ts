import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/logger.js';
import { defaultDataDir } from '../hosts/data-dir.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const electron = await import('./testing/fake-electron.js');
const { appPaths, launcherOptions, runApp } = await import('./app.js');

const paths = appPaths('/opt/parley/dist/electron');
const signalListeners = () => [...process.listeners('SIGINT'), ...process.listeners('SIGTERM')];
let before: unknown[] = [];

beforeEach(() => {
  electron.resetFakeElectron();
  before = signalListeners();
});
afterEach(() => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    for (const listener of process.listeners(signal)) if (!before.includes(listener)) process.off(signal, listener);
  }
  delete process.env.PARLEY_DATA_DIR;
});

describe('appPaths', () => {
  it('finds the preload, the renderer and the icon next to the main bundle', () => {
    expect(paths.preload).toBe('/opt/parley/dist/electron/preload.cjs');
    expect(paths.rendererDir).toBe('/opt/parley/dist/renderer');
    expect(paths.icon).toBe('/opt/parley/dist/electron/icon.png');
  });
});

describe('runApp before ready', () => {
  it('quits at once when another instance holds the lock', () => {
    electron.app.requestSingleInstanceLock.mockImplementation(() => false);
    runApp(paths);
    expect(electron.app.quit).toHaveBeenCalled();
    expect(electron.app.listenerCount('before-quit')).toBe(0);
  });

  it('registers the scheme, enables the sandbox and the lifecycle handlers', () => {
    process.env.PARLEY_DATA_DIR = '/tmp/parley-profile';
    runApp(paths);
    expect(electron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(electron.app.enableSandbox).toHaveBeenCalled();
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', '/tmp/parley-profile');
    for (const event of ['second-instance', 'web-contents-created', 'window-all-closed', 'before-quit', 'activate']) {
      expect(electron.app.listenerCount(event)).toBe(1);
    }
  });

  it('without PARLEY_DATA_DIR keeps its profile in the data folder every host uses', () => {
    runApp(paths);
    expect(electron.app.setPath).toHaveBeenCalledWith('userData', defaultDataDir());
  });

  it('holds the first quit until the core has stopped, then quits', async () => {
    runApp(paths);
    let prevented = 0;
    const beforeQuit = () => electron.app.emit('before-quit', { preventDefault: () => prevented++ });
    beforeQuit();
    expect(prevented).toBe(1);
    await vi.waitFor(() => expect(electron.app.quit).toHaveBeenCalledTimes(1));
    beforeQuit(); // the quit the guard asked for goes through
    expect(prevented).toBe(1);
  });

  it('hardens every webContents that gets created', () => {
    runApp(paths);
    const contents = new electron.FakeWebContents();
    electron.app.emit('web-contents-created', {}, contents);
    expect(contents.navigate('will-navigate', 'https://example.org/')).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
  });
});

describe('launcherOptions', () => {
  it('reads an account and a listen address from the launcher', () => {
    const options = launcherOptions(
      { PARLEY_ACCOUNT: JSON.stringify({ aor: 'sip:alice@example.org' }), PARLEY_LISTEN: '127.0.0.1:5070' },
      silentLogger,
    );
    expect(options.account?.aor).toBe('sip:alice@example.org');
    expect(options.account?.transport).toBe('udp');
    expect(options.listen).toBe('127.0.0.1:5070');
    expect(options.password).toBeUndefined();
  });

  it('ignores an account that is not valid', () => {
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (message: string) => void warnings.push(message) };
    expect(launcherOptions({ PARLEY_ACCOUNT: '{"aor":"alice"}' }, logger).account).toBeUndefined();
    expect(launcherOptions({ PARLEY_ACCOUNT: 'not json' }, logger).account).toBeUndefined();
    expect(warnings).toHaveLength(2);
  });
});
