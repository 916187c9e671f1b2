import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dataDir, defaultDataDir, PRODUCT_NAME } from './data-dir.js';

describe('defaultDataDir: where Electron keeps userData for Parley', () => {
  it('Linux: $XDG_CONFIG_HOME/Parley, else ~/.config/Parley (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(defaultDataDir({ platform: 'linux', env: {}, home: '/home/a' })).toBe('/home/a/.config/Parley');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/home/a' })).toBe('/cfg/Parley');
    expect(defaultDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'cfg' }, home: '/home/a' })).toBe('/home/a/.config/Parley');
    expect(defaultDataDir({ platform: 'freebsd', env: {}, home: '/home/a' })).toBe('/home/a/.config/Parley');
  });

  it('macOS: ~/Library/Application Support/Parley, whatever XDG says', () => {
    expect(defaultDataDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/cfg' }, home: '/Users/a' })).toBe(
      '/Users/a/Library/Application Support/Parley',
    );
  });

  it('Windows: %APPDATA%\\Parley, else the roaming folder under the profile', () => {
    expect(defaultDataDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, home: 'C:\\Users\\a' })).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\Parley',
    );
    expect(defaultDataDir({ platform: 'win32', env: {}, home: 'C:\\Users\\a' })).toBe('C:\\Users\\a\\AppData\\Roaming\\Parley');
  });

  it('names the product as package.json does, which is the name Electron gives the app', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { productName?: string };
    expect(pkg.productName).toBe(PRODUCT_NAME);
  });
});

describe('dataDir', () => {
  const linux = { platform: 'linux' as const, home: '/home/a' };
  it('takes an explicit folder first, then PARLEY_DATA_DIR, then the default', () => {
    expect(dataDir('/data', { ...linux, env: { PARLEY_DATA_DIR: '/env' } })).toBe('/data');
    expect(dataDir(undefined, { ...linux, env: { PARLEY_DATA_DIR: '/env' } })).toBe('/env');
    expect(dataDir(undefined, { ...linux, env: {} })).toBe('/home/a/.config/Parley');
  });

  it('resolves a relative choice against the working folder', () => {
    expect(dataDir('profile', { ...linux, env: {} })).toBe(path.resolve('profile'));
  });
});
