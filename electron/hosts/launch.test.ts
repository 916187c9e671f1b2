import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { browserOpener, decideLaunch, electronBinaryFromPackage, electronEnv, findElectronRuntime } from './launch.js';

describe('decideLaunch', () => {
  const installed = { available: true, binary: '/x/electron', detail: 'found /x/electron' };
  const missing = { available: false, detail: 'its binary cannot be downloaded here' };

  it('starts Electron when its runtime is installed', () => {
    expect(decideLaunch({ mode: 'auto', runtime: installed })).toEqual({ host: 'electron', binary: '/x/electron' });
    expect(decideLaunch({ mode: 'electron', runtime: installed })).toEqual({ host: 'electron', binary: '/x/electron' });
  });

  it('falls back to the browser host and says why', () => {
    const decision = decideLaunch({ mode: 'auto', runtime: missing });
    expect(decision).toEqual({
      host: 'browser',
      reason: 'Electron runtime not installed (its binary cannot be downloaded here); serving Parley to your browser instead',
    });
  });

  it('serves the browser when asked, even with Electron installed', () => {
    expect(decideLaunch({ mode: 'browser', runtime: installed }).host).toBe('browser');
  });

  it('fails plainly when Electron is demanded but missing', () => {
    const decision = decideLaunch({ mode: 'electron', runtime: missing });
    expect(decision.host).toBe('none');
    if (decision.host === 'none') expect(decision.reason).toMatch(/Electron runtime not installed/);
  });
});

describe('browserOpener', () => {
  it('uses xdg-open only where there is a display', () => {
    expect(browserOpener('linux', {})).toBeNull();
    expect(browserOpener('linux', { DISPLAY: ':0' })).toEqual({ command: 'xdg-open', args: [] });
    expect(browserOpener('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toEqual({ command: 'xdg-open', args: [] });
    expect(browserOpener('freebsd', { DISPLAY: ':1' })?.command).toBe('xdg-open');
    expect(browserOpener('darwin', {})?.command).toBe('open');
    expect(browserOpener('win32', {})?.command).toBe('rundll32');
  });
});

describe('finding the Electron runtime', () => {
  let root = '';
  let electronDir = '';
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'parley-launch-'));
    electronDir = path.join(root, 'node_modules', 'electron');
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('reads path.txt and checks the binary exists', async () => {
    await mkdir(path.join(electronDir, 'dist'), { recursive: true });
    await writeFile(path.join(electronDir, 'path.txt'), 'electron');
    expect(electronBinaryFromPackage(electronDir, {})).toBeNull();
    await writeFile(path.join(electronDir, 'dist', 'electron'), '');
    expect(electronBinaryFromPackage(electronDir, {})).toBe(path.join(electronDir, 'dist', 'electron'));
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', async () => {
    const override = path.join(root, 'custom');
    await mkdir(override, { recursive: true });
    await writeFile(path.join(override, 'electron'), '');
    expect(electronBinaryFromPackage(electronDir, { ELECTRON_OVERRIDE_DIST_PATH: override })).toBe(path.join(override, 'electron'));
  });

  it('reports a missing package, and a missing binary without probing', async () => {
    expect(await findElectronRuntime(root, { probe: false })).toEqual({
      available: false,
      detail: 'the electron package is not installed',
    });
    await mkdir(electronDir, { recursive: true });
    await writeFile(path.join(electronDir, 'package.json'), '{"name":"electron","version":"0.0.0"}');
    expect(await findElectronRuntime(root, { probe: false, env: {} })).toEqual({
      available: false,
      detail: `${path.join(electronDir, 'dist')} is absent and there is no path.txt: the electron package's install step never fetched its runtime`,
    });
    await writeFile(path.join(electronDir, 'path.txt'), 'electron');
    expect((await findElectronRuntime(root, { probe: false, env: {} })).detail).toBe(
      `${path.join(electronDir, 'dist', 'electron')}, named by path.txt, does not exist`,
    );
    expect((await findElectronRuntime(root, { probe: false, env: { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' } })).detail).toBe(
      'ELECTRON_OVERRIDE_DIST_PATH (/nowhere) holds no Electron executable',
    );
  });

  it('probes require("electron") once in a child process and treats failure as not available', async () => {
    await mkdir(electronDir, { recursive: true });
    await writeFile(path.join(electronDir, 'package.json'), '{"name":"electron","version":"0.0.0","main":"index.js"}');
    await writeFile(path.join(electronDir, 'index.js'), "throw new Error('Electron failed to install correctly');");
    expect(await findElectronRuntime(root, { timeoutMs: 10_000, env: {} })).toMatchObject({ available: false });

    const fake = path.join(root, 'fake-electron-binary');
    await writeFile(fake, '');
    await writeFile(path.join(electronDir, 'index.js'), `module.exports = ${JSON.stringify(fake)};`);
    expect(await findElectronRuntime(root, { timeoutMs: 10_000, env: {} })).toMatchObject({ available: true, binary: fake });
  });
});

describe('the Electron child environment', () => {
  it('passes the profile and account, never the password', () => {
    const env = electronEnv(
      { PATH: '/bin', ELECTRON_RUN_AS_NODE: '1', PARLEY_PASSWORD_FD: '9' },
      { dataDir: '/data', account: { aor: 'sip:alice@example.org', transport: 'udp', registerExpires: 600 }, password: 'pw' },
    );
    expect(env.PATH).toBe('/bin');
    expect(env.ELECTRON_RUN_AS_NODE).toBeUndefined();
    expect(env.PARLEY_DATA_DIR).toBe('/data');
    expect(JSON.parse(env.PARLEY_ACCOUNT ?? '{}')).toMatchObject({ aor: 'sip:alice@example.org' });
    expect(env.PARLEY_PASSWORD_FD).toBe('3');
    expect(Object.values(env)).not.toContain('pw');
    expect(electronEnv({}, { dataDir: '/d' }).PARLEY_PASSWORD_FD).toBeUndefined();
  });
});
