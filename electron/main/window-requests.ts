/**
 * Requests from the shell to a window (shared/contract/shell.ts), held until its page has loaded:
 * a notification clicked or a link opened while the window is being created is not lost.
 */
import type { BrowserWindow } from 'electron';
import { IPC_SHELL_CHANNEL } from '../../shared/channels.js';
import type { ShellRequest } from '../../shared/contract/shell.js';

export interface WindowRequests {
  send(request: ShellRequest): void;
}

export function windowRequests(window: BrowserWindow): WindowRequests {
  let held: ShellRequest[] | null = window.webContents.isLoading() ? [] : null;
  if (held) {
    window.webContents.once('did-finish-load', () => {
      const queued = held ?? [];
      held = null;
      for (const request of queued) window.webContents.send(IPC_SHELL_CHANNEL, request);
    });
  }
  return {
    send(request) {
      if (window.isDestroyed()) return;
      if (held) held.push(request);
      else window.webContents.send(IPC_SHELL_CHANNEL, request);
    },
  };
}
