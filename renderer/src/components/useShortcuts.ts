import { useEffect } from 'react';
import { useAppStore } from '../store/context.js';
import { nextUnreadConversation } from '../store/selectors.js';
import { shortcutFor, type ShortcutCommand } from '../store/shortcuts.js';
import { SHELL_COMMAND_EVENT } from '../shell-requests.js';

/**
 * The window's keyboard shortcuts (store/shortcuts.ts), wired to the store's actions; the desktop
 * shell's application menu asks for the same commands (shell-requests.ts).
 */
export function useShortcuts({ onNewChat }: { onNewChat(): void }): void {
  const store = useAppStore();
  useEffect(() => {
    const run = (command: ShortcutCommand) => {
      const state = store.getState();
      switch (command) {
        case 'newChat':
          return onNewChat();
        case 'search':
          return state.openPanel('search');
        case 'preferences':
          return state.openPanel('account');
        case 'chats':
        case 'contacts':
          state.setLeftTab(command);
          return document.querySelector<HTMLInputElement>('[data-testid="list-filter"]')?.focus();
        case 'nextUnread': {
          const next = nextUnreadConversation(state);
          if (next) state.selectConversation(next);
          return;
        }
        case 'setStatus':
          return document.querySelector<HTMLElement>('[data-testid="status-menu"]')?.click();
      }
    };
    const onKeyDown = (event: KeyboardEvent) => {
      const command = shortcutFor(event);
      if (!command) return;
      event.preventDefault();
      run(command);
    };
    const onShellCommand = (event: Event) => run((event as CustomEvent<ShortcutCommand>).detail);
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener(SHELL_COMMAND_EVENT, onShellCommand);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener(SHELL_COMMAND_EVENT, onShellCommand);
    };
  }, [store, onNewChat]);
}
