/**
 * Export through a save dialog: the Electron session refuses downloads (session.ts), so the shell
 * answers saveConversationAs itself: the core writes the export, the user picks where it goes.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { CommandHandlers } from '../core/core.js';

export function saveConversationAs(
  exportConversation: CommandHandlers['exportConversation'],
  parentWindow: () => BrowserWindow | null,
): CommandHandlers['saveConversationAs'] {
  return async ({ conversationId, format }) => {
    const file = await exportConversation({ conversationId, format });
    const options = {
      title: 'Export conversation',
      defaultPath: path.join(app.getPath('downloads'), file.fileName),
      filters: format === 'json' ? [{ name: 'JSON', extensions: ['json'] }] : [{ name: 'Text', extensions: ['txt'] }],
    };
    const parent = parentWindow();
    const choice = parent ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return { handled: true, saved: false };
    await writeFile(choice.filePath, file.content, { encoding: 'utf8', mode: 0o600 });
    return { handled: true, saved: true };
  };
}
