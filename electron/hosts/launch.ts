/**
 * What `npm start` / `parley start` runs: the Electron app when its runtime binary is installed,
 * otherwise the same core served to a browser on 127.0.0.1 (the runtime comes from outside the
 * package registries and often cannot be downloaded). The choice is a pure function,
 * decideLaunch(); launch() carries it out.
 *
 *   findElectronRuntime ──> decideLaunch ──electron──> build renderer + shell ──> spawn electron .
 *                                        └─browser───> build renderer ──> core + browser host ──> print URL, open it
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AccountConfig } from '../../shared/ipc.js';
import type { Core } from '../core/core.js';
import type { Logger } from '../support/logger.js';
import { startBrowserHost as startRealBrowserHost, type BrowserHostOptions } from './browser/server.js';
import { createParley, type ParleyOptions } from './compose.js';
import { dataDir as chooseDataDir } from './data-dir.js';
import { givenOrHostLog } from './host-log.js';

// ---- finding the Electron runtime ----

export interface ElectronRuntime {
  available: boolean;
  /** Absolute path of the executable, when available. */
  binary?: string;
  /** Why not, or where it was found: one short phrase for people. */
  detail: string;
}

const NOT_DOWNLOADABLE = 'its binary cannot be downloaded here';

/**
 * The executable the electron npm package points at, without running its index.js (which would
 * try to download a missing binary). Mirrors index.js: path.txt names the file under dist/, and
 * ELECTRON_OVERRIDE_DIST_PATH replaces dist/.
 */
export function electronBinaryFromPackage(
  electronDir: string,
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = existsSync,
): string | null {
  let relative: string | undefined;
  try {
    relative = readFileSync(path.join(electronDir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = undefined;
  }
  const candidates: string[] = [];
  if (env.ELECTRON_OVERRIDE_DIST_PATH) {
    candidates.push(path.join(env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron'));
  } else if (relative) {
    candidates.push(path.join(electronDir, 'dist', relative));
  }
  return candidates.find((file) => exists(file)) ?? null;
}

/** Why the electron package names no executable that exists, without probing (one phrase for people). */
export function missingBinaryDetail(
  electronDir: string,
  env: NodeJS.ProcessEnv = process.env,
  exists: (file: string) => boolean = existsSync,
): string {
  if (env.ELECTRON_OVERRIDE_DIST_PATH)
    return `ELECTRON_OVERRIDE_DIST_PATH (${env.ELECTRON_OVERRIDE_DIST_PATH}) holds no Electron executable`;
  const pathFile = path.join(electronDir, 'path.txt');
  if (!exists(pathFile)) {
    return `${path.join(electronDir, 'dist')} is absent and there is no path.txt: the electron package's install step never fetched its runtime`;
  }
  let relative = '';
  try {
    relative = readFileSync(pathFile, 'utf8').trim();
  } catch {
    relative = '';
  }
  return `${path.join(electronDir, 'dist', relative || '?')}, named by path.txt, does not exist`;
}

/**
 * Is the Electron runtime here? First the files; failing that, one `require('electron')` in a
 * child process with a short timeout (it tries to download the binary; offline it fails fast).
 */
export async function findElectronRuntime(
  root: string,
  options: { probe?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<ElectronRuntime> {
  const env = options.env ?? process.env;
  const electronDir = path.join(root, 'node_modules', 'electron');
  if (!existsSync(path.join(electronDir, 'package.json'))) {
    return { available: false, detail: 'the electron package is not installed' };
  }
  const binary = electronBinaryFromPackage(electronDir, env);
  if (binary) return { available: true, binary, detail: `found ${binary}` };
  if (options.probe === false) return { available: false, detail: missingBinaryDetail(electronDir, env) };

  const probed = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const probeEnv: NodeJS.ProcessEnv = { ...env };
    delete probeEnv.ELECTRON_RUN_AS_NODE;
    const child = spawn(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
      cwd: root,
      env: probeEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', () => resolve({ code: -1, stdout, stderr }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const fetched = probed.stdout.trim();
  if (probed.code === 0 && fetched && existsSync(fetched)) {
    return { available: true, binary: fetched, detail: `downloaded ${fetched}` };
  }
  return { available: false, detail: NOT_DOWNLOADABLE };
}

// ---- the decision ----

export type LaunchMode = 'auto' | 'electron' | 'browser';

export type LaunchDecision = { host: 'electron'; binary: string } | { host: 'browser'; reason: string } | { host: 'none'; reason: string };

/** Which host to start, and why, from what was asked and what is installed. */
export function decideLaunch(input: { mode: LaunchMode; runtime: ElectronRuntime }): LaunchDecision {
  const { mode, runtime } = input;
  if (mode === 'browser') return { host: 'browser', reason: 'the browser host was asked for' };
  if (runtime.available && runtime.binary) return { host: 'electron', binary: runtime.binary };
  if (mode === 'electron') {
    return {
      host: 'none',
      reason: `Electron runtime not installed (${runtime.detail}); start without --electron to use your browser`,
    };
  }
  return {
    host: 'browser',
    reason: `Electron runtime not installed (${runtime.detail}); serving Parley to your browser instead`,
  };
}

/**
 * How to open a URL in the user's browser, or null when there is nowhere to show it
 * (Linux/BSD without DISPLAY or WAYLAND_DISPLAY: a server, a container, an SSH session).
 */
export function browserOpener(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): { command: string; args: string[] } | null {
  if (platform === 'darwin') return { command: 'open', args: [] };
  // rundll32 hands the URL over without going through cmd.exe, which would split it at '&'.
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler'] };
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return { command: 'xdg-open', args: [] };
  return null;
}

/**
 * The environment for the Electron child: what the shell reads in electron/main/app.ts
 * (launcherOptions). The password never goes in here; it goes through file descriptor 3.
 */
export function electronEnv(
  base: NodeJS.ProcessEnv,
  options: { dataDir: string; account?: AccountConfig; listen?: string; password?: string },
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PARLEY_DATA_DIR: options.dataDir };
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.PARLEY_ACCOUNT;
  delete env.PARLEY_LISTEN;
  delete env.PARLEY_PASSWORD_FD;
  if (options.account) env.PARLEY_ACCOUNT = JSON.stringify(options.account);
  if (options.listen) env.PARLEY_LISTEN = options.listen;
  if (options.password !== undefined) env.PARLEY_PASSWORD_FD = '3';
  return env;
}

// ---- carrying it out ----

/** What launch needs of the browser host (electron/hosts/browser/server.ts). */
export interface BrowserHostHandle {
  url: string;
  token: string;
  close(): Promise<void>;
}
export type StartBrowserHost = (options: BrowserHostOptions) => Promise<BrowserHostHandle>;

export interface LaunchOptions {
  mode?: LaunchMode;
  /** Repository (or installed package) root: the folder with package.json. */
  root?: string;
  /** Profile folder; PARLEY_DATA_DIR, else Electron's userData for Parley (./data-dir.ts). */
  dataDir?: string;
  account?: AccountConfig;
  password?: string;
  listen?: string;
  logger?: Logger;
  /** Browser host address; 127.0.0.1 and a free port by default. */
  host?: string;
  port?: number;
  /** Open the browser: by default only where there is a display. */
  open?: boolean;
  /** Build the renderer (and the Electron bundles) first. Default true. */
  build?: boolean;
  /** Where sentences for people go (stdout by default). */
  print?: (line: string) => void;
  /** Stop on SIGINT/SIGTERM. Default true. */
  handleSignals?: boolean;
}

export interface LaunchHandle {
  host: 'electron' | 'browser';
  /** Browser host only: the address to open, with its token. */
  url?: string;
  /** Resolves with the exit code when Parley has stopped. */
  done: Promise<number>;
  close(): Promise<void>;
}

export interface LaunchDeps {
  findRuntime: (root: string) => Promise<ElectronRuntime>;
  buildRenderer: (root: string) => Promise<void>;
  buildElectron: (root: string) => Promise<void>;
  createCore: (options: ParleyOptions) => Promise<Core>;
  startBrowserHost: StartBrowserHost;
  openUrl: (url: string) => boolean;
}

const defaultRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function buildRendererWithVite(root: string): Promise<void> {
  const configFile = path.join(root, 'renderer', 'vite.config.ts');
  const { build } = await import('vite');
  await build({ configFile, logLevel: 'warn' });
}

async function buildElectronBundles(root: string): Promise<void> {
  const { buildElectron } = await import('../build.js');
  await buildElectron({ root });
}

function openWithSystem(url: string): boolean {
  const opener = browserOpener(process.platform, process.env);
  if (!opener) return false;
  try {
    const child = spawn(opener.command, [...opener.args, url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

export const defaultLaunchDeps: LaunchDeps = {
  findRuntime: (root) => findElectronRuntime(root),
  buildRenderer: buildRendererWithVite,
  buildElectron: buildElectronBundles,
  createCore: createParley,
  startBrowserHost: startRealBrowserHost,
  openUrl: openWithSystem,
};

function onSignals(handler: () => void): () => void {
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export async function launch(options: LaunchOptions = {}, deps: Partial<LaunchDeps> = {}): Promise<LaunchHandle> {
  const use: LaunchDeps = { ...defaultLaunchDeps, ...deps };
  const root = options.root ?? defaultRoot;
  const print = options.print ?? ((line: string) => process.stdout.write(line + '\n'));
  const dataDir = chooseDataDir(options.dataDir);
  const build = options.build ?? true;

  const runtime = options.mode === 'browser' ? { available: false, detail: 'not looked for' } : await use.findRuntime(root);
  const decision = decideLaunch({ mode: options.mode ?? 'auto', runtime });
  if (decision.host === 'none') throw new Error(decision.reason);

  const staticDir = path.join(root, 'dist', 'renderer');
  const built = () => existsSync(path.join(staticDir, 'index.html'));
  if (build) {
    try {
      await use.buildRenderer(root);
    } catch (error) {
      // An installed package has no Vite: an existing build is good enough to start.
      if (!built()) throw error;
      print(
        `Parley: could not rebuild the interface (${error instanceof Error ? error.message : String(error)}); using the existing build.`,
      );
    }
  }
  if (!built()) {
    throw new Error(`the interface is not built (${staticDir}/index.html is missing): run npm run build:renderer`);
  }

  if (decision.host === 'electron') {
    if (build) await use.buildElectron(root);
    print(`Starting Parley (Electron ${decision.binary})`);
    return startElectron(decision.binary, root, { ...options, dataDir }, options.handleSignals ?? true);
  }

  print(`Parley: ${decision.reason}.`);
  // The browser host and its core share the log in the data folder (unless the caller brought a logger).
  const log = givenOrHostLog(options.logger, dataDir);
  const { logger } = log;
  let core: Core;
  try {
    // createParley starts the core (sockets bound, registration under way).
    core = await use.createCore({
      dataDir,
      logger,
      openHistory: true, // a window will ask for pages
      ...(options.account ? { account: options.account } : {}),
      ...(options.password !== undefined ? { password: options.password } : {}),
      ...(options.listen ? { listen: options.listen } : {}),
    });
  } catch (error) {
    await log.close();
    throw error;
  }
  let host: BrowserHostHandle;
  try {
    host = await use.startBrowserHost({
      core,
      host: options.host ?? '127.0.0.1',
      ...(options.port !== undefined ? { port: options.port } : {}),
      staticDir,
      logger,
    });
  } catch (error) {
    await core.stop().catch(() => {});
    await log.close();
    throw error;
  }

  print(`Parley is at ${host.url}`);
  if (!host.url.includes(host.token)) print(`Access token: ${host.token}`);
  const wantOpen = options.open ?? true;
  if (wantOpen && !use.openUrl(host.url)) print('(No display found: open that address in a browser yourself.)');
  print('Press Ctrl+C to stop.');

  let resolveDone: (code: number) => void = () => {};
  const done = new Promise<number>((resolve) => (resolveDone = resolve));
  let removeSignals = () => {};
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      removeSignals();
      await host.close().catch((error: unknown) => logger.warn('browser host did not close cleanly', { error }));
      await core.stop().catch((error: unknown) => logger.warn('core did not stop cleanly', { error }));
      await log.close();
      resolveDone(0);
    })());
  if (options.handleSignals !== false) removeSignals = onSignals(() => void close());
  return { host: 'browser', url: host.url, done, close };
}

function startElectron(binary: string, root: string, options: LaunchOptions & { dataDir: string }, handleSignals: boolean): LaunchHandle {
  const password = options.password;
  const withPassword = password !== undefined;
  const stdio: StdioOptions = withPassword ? ['inherit', 'inherit', 'inherit', 'pipe'] : 'inherit';
  const child: ChildProcess = spawn(binary, [root], {
    cwd: root,
    stdio,
    env: electronEnv(process.env, {
      dataDir: options.dataDir,
      ...(options.account ? { account: options.account } : {}),
      ...(options.listen ? { listen: options.listen } : {}),
      ...(withPassword ? { password } : {}),
    }),
  });
  if (password !== undefined) {
    const pipe = child.stdio[3];
    if (pipe && 'end' in pipe) (pipe as NodeJS.WritableStream).end(password);
  }
  const done = new Promise<number>((resolve) => {
    child.on('error', (error) => {
      process.stderr.write(`Parley: could not start Electron: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  const removeSignals = handleSignals ? onSignals(stop) : () => {};
  void done.then(removeSignals);
  return {
    host: 'electron',
    done,
    close: async () => {
      stop();
      await done;
    },
  };
}
