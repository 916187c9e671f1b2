import { useEffect } from 'react';
import { useAppStore } from '../store/context.js';
import { nextUnreadConversation } from '../store/selectors.js';
import { shortcutFor } from '../store/shortcuts.js';

/** The window's keyboard shortcuts (store/shortcuts.ts), wired to the store's actions. */
export function useShortcuts({ onNewChat }: { onNewChat(): void }): void {
  const store = useAppStore();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const command = shortcutFor(event);
      if (!command) return;
      const state = store.getState();
      event.preventDefault();
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
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [store, onNewChat]);
}
