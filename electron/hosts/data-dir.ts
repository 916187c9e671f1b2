/**
 * The one data folder of every host: the CLI, the browser host and the Electron app read and write
 * the same profile. It is where Electron keeps userData for an app named PRODUCT_NAME (its
 * appData folder plus the app's name), so the app lands there even if it never set the path.
 */
import os from 'node:os';
import path from 'node:path';

/** The app's name; package.json's productName, which names Electron's app and the packages. */
export const PRODUCT_NAME = 'Parley';

export interface Platform {
  platform: NodeJS.Platform;
  env: NodeJS.ProcessEnv;
  home: string;
}

/** This machine, with any part given instead (tests give all three). */
const machine = (given: Partial<Platform>): Platform => ({ platform: process.platform, env: process.env, home: os.homedir(), ...given });

/** Electron's appData: the per-user folder where applications keep their settings. */
function appData({ platform, env, home }: Platform): string {
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support');
  if (platform === 'win32') return env.APPDATA || path.win32.join(home, 'AppData', 'Roaming');
  // The XDG base directory spec ignores a relative XDG_CONFIG_HOME, and so does Chromium.
  const xdg = env.XDG_CONFIG_HOME;
  return xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
}

/** The data folder when nobody chose one: Electron's userData for PRODUCT_NAME. */
export function defaultDataDir(given: Partial<Platform> = {}): string {
  const on = machine(given);
  const join = on.platform === 'win32' ? path.win32.join : path.posix.join;
  return join(appData(on), PRODUCT_NAME);
}

/**
 * The data folder to use: one given explicitly (the CLI's --data), else PARLEY_DATA_DIR (how the
 * launcher hands its choice to the Electron app, and a way to pick another profile), else the default.
 */
export function dataDir(explicit?: string, given: Partial<Platform> = {}): string {
  const on = machine(given);
  const chosen = explicit || on.env.PARLEY_DATA_DIR;
  return chosen ? path.resolve(chosen) : defaultDataDir(on);
}
