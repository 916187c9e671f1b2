/**
 * "Show in folder" for a received file (shared/contract/shell.ts `showFileInFolder`): the window
 * names a transfer, never a path, and only a file the core received, checked and saved is revealed
 * (its `savedAs` lies in the downloads folder: core/files/download-name.ts); the core finds it among
 * this run's transfers or in the history (Core.findFileTransfer, core/files/file-history.ts). The file manager call
 * is passed in (Electron's shell.showItemInFolder) so this is tested without Electron.
 */
import type { FileTransfer } from '../../../shared/ipc.js';
import { UserError } from '../../core/core.js';

export function showFileInFolder(
  find: (id: string) => FileTransfer | undefined,
  reveal: (file: string) => void,
): (request: { id: string }) => Promise<{ handled: boolean }> {
  return async ({ id }) => {
    const transfer = find(id);
    if (!transfer || transfer.direction !== 'in' || transfer.state !== 'done' || !transfer.savedAs)
      throw new UserError('that file was not received here', 'invalid-request');
    reveal(transfer.savedAs);
    return { handled: true };
  };
}
