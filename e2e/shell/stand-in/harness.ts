/**
 * One launch's link to the test: what the stand-in needs from it (the browser, the folders, the
 * answers a user would give) and what it records for it (notifications, tray, badge, dialogs…).
 * Each launch loads its own copy of the bundle (e2e/shell/launch.ts), so this state is per launch.
 */
import { EventEmitter } from 'node:events';
import type { Browser, BrowserContext } from '@playwright/test';

export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
}

export interface Harness {
  browser: Browser | null;
  context: BrowserContext | null;
  userData: string;
  downloads: string;
  /** Seconds since the last input, as powerMonitor.getSystemIdleTime() reports it. */
  idleSeconds: number;
  /** The path the user picks in a save dialog (null: they cancel). */
  answerSaveDialog: (options: SaveDialogOptions) => string | null;
  /** Every call the shell made that a test may check, in order: [what, ...arguments]. */
  calls: Array<[string, ...unknown[]]>;
  /** Emits each call as it is recorded: ('call', what, ...arguments). */
  events: EventEmitter;
  /** Settles when the app has quit (app.quit went through, or app.exit). */
  exited: Promise<number>;
  markExited(code: number): void;
}

let markExited: (code: number) => void = () => {};
export const harness: Harness = {
  browser: null,
  context: null,
  userData: '',
  downloads: '',
  idleSeconds: 0,
  answerSaveDialog: () => null,
  calls: [],
  events: new EventEmitter(),
  exited: new Promise<number>((resolve) => (markExited = resolve)),
  markExited: (code) => markExited(code),
};

export function record(what: string, ...args: unknown[]): void {
  harness.calls.push([what, ...args]);
  harness.events.emit('call', what, ...args);
}
