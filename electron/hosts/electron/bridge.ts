/**
 * The Electron host's IPC bridge: one invoke channel for every command, one event channel for
 * every core event. The Electron objects come in by injection (structural types below), so this
 * runs and is tested without Electron.
 *
 *   renderer ──invoke(IPC_INVOKE_CHANNEL, name, request)──> isTrustedSender? ──> dispatch ──> Outcome
 *   core.subscribe ──> send(event) ──> webContents.send(IPC_EVENT_CHANNEL, event) for each window
 */
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../../../shared/channels.js';
import type { Outcome, SequencedEvent } from '../../../shared/ipc.js';
import type { Core } from '../../core/core.js';
import { silentLogger, type Logger } from '../../support/logger.js';
import { dispatch } from '../dispatch.js';
import { APP_ORIGIN, isAppUrl } from './security.js';

/** What the bridge reads of an IpcMainInvokeEvent. */
export interface IpcInvokeEventLike {
  readonly sender: { readonly id: number };
  /** Null when the frame navigated away or was destroyed before we looked. */
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** What the bridge uses of ipcMain. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/** What the bridge uses of a window's webContents. */
export interface WebContentsLike {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, ...args: unknown[]): void;
}

export interface SenderPolicy {
  /** Is this webContents one of the windows Parley created? */
  isOurWebContents(id: number): boolean;
  /** Extra exact-origin URLs to trust besides app://parley (none by default). */
  isAllowedUrl?: (url: string) => boolean;
}

/**
 * A sender is trusted when it is the top frame of one of our windows and that frame shows the
 * app's own origin. Iframes, foreign pages and destroyed frames are refused.
 */
export function createSenderCheck(policy: SenderPolicy): (event: IpcInvokeEventLike) => boolean {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    if (!policy.isOurWebContents(event.sender.id)) return false;
    return isAppUrl(frame.url) || (policy.isAllowedUrl?.(frame.url) ?? false);
  };
}

/** Sends every event to each live target (each window's webContents). */
export function broadcastTo(targets: () => Iterable<WebContentsLike>): (event: SequencedEvent) => void {
  return (event) => {
    for (const target of targets()) {
      if (!target.isDestroyed()) target.send(IPC_EVENT_CHANNEL, event);
    }
  };
}

export interface BridgeOptions {
  ipcMain: IpcMainLike;
  core: Core;
  isTrustedSender: (event: IpcInvokeEventLike) => boolean;
  /** Delivers one core event to the renderers (usually broadcastTo(windows)). */
  send: (event: SequencedEvent) => void;
  logger?: Logger;
}

const REFUSED: Outcome<never> = {
  ok: false,
  error: { code: 'invalid-request', message: `command refused: the sender is not a Parley window (${APP_ORIGIN})` },
};

/** Wire the core to Electron IPC. Returns the function that undoes it. */
export function bridgeIpc(options: BridgeOptions): () => void {
  const { ipcMain, core, isTrustedSender, send } = options;
  const logger = options.logger ?? silentLogger;

  ipcMain.handle(IPC_INVOKE_CHANNEL, async (event, name, request) => {
    let trusted = false;
    try {
      trusted = isTrustedSender(event);
    } catch (error) {
      logger.error('ipc: sender check failed', { error });
    }
    if (!trusted) {
      logger.warn('ipc: refused a command from an untrusted sender', {
        command: String(name).slice(0, 64),
        senderId: event.sender.id,
        url: event.senderFrame?.url.slice(0, 256) ?? null,
      });
      return REFUSED;
    }
    return dispatch(core, name, request);
  });

  const unsubscribe = core.subscribe((event) => {
    try {
      send(event);
    } catch (error) {
      logger.warn('ipc: could not deliver an event to a window', { type: event.type, error });
    }
  });

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    unsubscribe();
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
  };
}
