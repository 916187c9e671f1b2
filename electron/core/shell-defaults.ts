/**
 * The core's answers to the commands only a desktop shell can carry out (shared/contract/shell.ts):
 * "not here". The Electron shell puts its own handlers in front (electron/hosts/host-commands.ts);
 * the browser host and the CLI keep these, and the UI falls back (a download instead of a dialog).
 */
import type { ShellCommandName } from '../../shared/contract/shell.js';
import type { CommandHandlers } from './core.js';

export function shellDefaults(): Pick<CommandHandlers, ShellCommandName> {
  return {
    saveConversationAs: async () => ({ handled: false, saved: false }),
    reportView: async () => ({ noted: false }),
    getDesktopSettings: async () => null,
    setDesktopSettings: async () => null,
    showFileInFolder: async () => ({ handled: false }),
  };
}
