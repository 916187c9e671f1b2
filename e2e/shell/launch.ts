/**
 * One launch of the real shell in the harness: a fresh copy of the bundle (its own `app`, windows
 * and core), started on a data folder with this launch's arguments, its windows as pages of their
 * own browser context. A launch on a folder another launch holds hands its link over and exits,
 * as a second Electron instance does.
 */
import { once } from 'node:events';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from '@playwright/test';
import type * as Entry from './entry.js';
import { buildShellHarness } from './build.js';

type Bundle = typeof Entry;

export interface ShellLaunch {
  readonly bundle: Bundle;
  readonly electron: Bundle['electron'];
  readonly harness: Bundle['harness'];
  /** True when this launch found another holding the lock and handed over. */
  readonly handedOver: boolean;
  /** The page of the first window the shell opened (waits for it). */
  mainPage(): Promise<Page>;
  /** Every notification shown so far. */
  notifications(): InstanceType<Bundle['electron']['Notification']>[];
  /** Quit as the tray or menu does, and wait until the app has exited (bounded by the shell's quit guard). */
  quit(): Promise<number>;
  /** Quit if still running, close the pages (teardown; never throws). */
  dispose(): Promise<void>;
}

let built: Promise<string> | null = null;
let launches = 0;

export async function launchShell(options: {
  browser: Browser;
  userData: string;
  downloads: string;
  argv?: string[];
}): Promise<ShellLaunch> {
  const file = await (built ??= buildShellHarness());
  const bundle = (await import(`${pathToFileURL(file).href}?launch=${++launches}`)) as Bundle;
  const { harness, electron } = bundle;
  harness.browser = options.browser;
  harness.userData = options.userData;
  harness.downloads = options.downloads;
  const argv = ['parley', ...(options.argv ?? [])];
  electron.app.argv = argv;

  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((signal) => [signal, process.listeners(signal)]));
  // runApp reads these synchronously, so they are set only for the call. PARLEY_DATA_DIR: its data
  // folder, as a launcher's child gets it (electron/hosts/data-dir.ts; else ~/.config/Parley).
  // PARLEY_IDLE_POLL_MS: auto-away polls the stand-in's idle time often, so a spec waits briefly.
  const chosen: Record<string, string> = { PARLEY_DATA_DIR: options.userData, PARLEY_IDLE_POLL_MS: '100' };
  const envBefore = Object.fromEntries(Object.keys(chosen).map((name) => [name, process.env[name]]));
  Object.assign(process.env, chosen);
  try {
    bundle.runApp(bundle.appPaths(file.slice(0, file.lastIndexOf('/'))), argv);
  } finally {
    for (const [name, value] of Object.entries(envBefore)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
  // runApp listens for signals to quit the app; in the test process those are not its to keep.
  for (const signal of signals)
    for (const listener of process.listeners(signal)) if (!before.get(signal)?.includes(listener)) process.off(signal, listener);

  const handedOver = harness.calls.some(([what, value]) => what === 'requestSingleInstanceLock' && value === false);
  if (!handedOver) {
    harness.context = await options.browser.newContext({ viewport: { width: 1100, height: 720 } });
    await bundle.routeAppOrigin();
    electron.app.markReady();
  }

  let exited = false;
  void harness.exited.then(() => (exited = true));
  const launch: ShellLaunch = {
    bundle,
    electron,
    harness,
    handedOver,
    async mainPage() {
      const [first] = electron.BrowserWindow.all;
      if (first) return first.page;
      await once(harness.events, 'call', { signal: AbortSignal.timeout(30_000) });
      return launch.mainPage();
    },
    notifications: () => electron.Notification.all.filter((n) => n.shown),
    async quit() {
      electron.app.quit();
      return harness.exited;
    },
    async dispose() {
      if (!exited && !handedOver) {
        electron.app.quit();
        await Promise.race([harness.exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      }
      await Promise.all(electron.BrowserWindow.all.map((window) => window.settled()));
      await harness.context?.close().catch(() => undefined);
    },
  };
  return launch;
}
