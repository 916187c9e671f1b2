/**
 * `app`: lifecycle as Electron runs it. whenReady settles when the test starts the launch; quit
 * emits before-quit (which the shell may hold while the core stops), then will-quit and quit; the
 * single-instance lock is held per data folder across the launches of one test process, and a
 * second launch hands its argv to the first as 'second-instance', as Electron does.
 */
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { appEvents, BrowserWindow } from './browser-window.js';
import { harness, record } from './harness.js';

const LOCKS_KEY = Symbol.for('parley.shell-stand-in.locks');
const locks: Map<string, StandInApp> =
  ((globalThis as Record<symbol, unknown>)[LOCKS_KEY] as Map<string, StandInApp> | undefined) ?? new Map<string, StandInApp>();
(globalThis as Record<symbol, unknown>)[LOCKS_KEY] = locks;

class StandInApp extends EventEmitter {
  readonly isPackaged = true;
  private ready = false;
  private settleReady: () => void = () => {};
  private readonly readyPromise = new Promise<void>((resolve) => (this.settleReady = resolve));
  private quitting = false;
  argv: string[] = [];

  constructor() {
    super();
    appEvents.on('window-all-closed', () => this.emit('window-all-closed'));
  }
  /** Called by the test's launch once the browser context exists. */
  markReady(): void {
    this.ready = true;
    this.settleReady();
    this.emit('ready');
  }
  isReady(): boolean {
    return this.ready;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  enableSandbox(): void {
    record('enableSandbox');
  }
  setPath(name: string, value: string): void {
    if (name === 'userData') harness.userData = value;
  }
  getPath(name: string): string {
    if (name === 'downloads') return harness.downloads;
    if (name === 'userData') return harness.userData;
    return path.join(harness.userData, name);
  }
  setAppUserModelId(id: string): void {
    record('setAppUserModelId', id);
  }
  requestSingleInstanceLock(): boolean {
    const holder = locks.get(harness.userData);
    if (holder && holder !== this) {
      record('requestSingleInstanceLock', false);
      holder.emit('second-instance', { preventDefault() {} }, this.argv, process.cwd());
      return false;
    }
    locks.set(harness.userData, this);
    return true;
  }
  setAsDefaultProtocolClient(scheme: string): boolean {
    record('setAsDefaultProtocolClient', scheme);
    return true;
  }
  setBadgeCount(count: number): boolean {
    record('setBadgeCount', count);
    return true;
  }
  setLoginItemSettings(settings: unknown): void {
    record('setLoginItemSettings', settings);
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    const last = [...harness.calls].reverse().find(([what]) => what === 'setLoginItemSettings');
    return { openAtLogin: Boolean((last?.[1] as { openAtLogin?: boolean } | undefined)?.openAtLogin) };
  }
  quit(): void {
    if (this.quitting) return;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.quitting = true;
    this.emit('will-quit', { preventDefault() {} });
    this.end(0);
  }
  exit(code = 0): void {
    this.quitting = true;
    this.end(code);
  }
  private end(code: number): void {
    for (const window of BrowserWindow.getAllWindows()) window.destroy();
    if (locks.get(harness.userData) === this) locks.delete(harness.userData);
    this.emit('quit', {}, code);
    record('exit', code);
    harness.markExited(code);
  }
}

export const app = new StandInApp();
