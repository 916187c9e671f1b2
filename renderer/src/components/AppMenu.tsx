import { useApp } from '../store/context.js';
import { SHORTCUTS } from '../store/shortcuts.js';
import { Menu, type MenuItem } from './Menu.js';

/** Everything that is not a conversation: new chat, search, and the settings views. */
export function AppMenu({ onNewChat }: { onNewChat(): void }) {
  const openPanel = useApp((s) => s.openPanel);
  const canRegister = useApp((s) => Boolean(s.account?.proxy) && ['failed', 'unregistered', 'retrying'].includes(s.registration.state));
  const canUnregister = useApp((s) => Boolean(s.account?.proxy) && ['registered', 'registering'].includes(s.registration.state));
  const register = useApp((s) => s.register);
  const unregister = useApp((s) => s.unregister);
  const items: MenuItem[] = [
    { label: 'New chat…', hint: SHORTCUTS.newChat.label, onSelect: onNewChat, testId: 'menu-new-chat' },
    { label: 'Search messages', hint: SHORTCUTS.search.label, onSelect: () => openPanel('search'), testId: 'menu-search' },
    { label: 'Presence and privacy…', onSelect: () => openPanel('presence'), testId: 'presence-settings-open' },
    { label: 'Chat settings…', onSelect: () => openPanel('chat-settings'), testId: 'menu-chat-settings' },
    { label: 'Account…', hint: SHORTCUTS.preferences.label, onSelect: () => openPanel('account'), testId: 'edit-account' },
  ];
  if (canRegister) items.push({ label: 'Sign in again', onSelect: () => void register(), testId: 'register' });
  if (canUnregister) items.push({ label: 'Sign out (unregister)', onSelect: () => void unregister(), testId: 'unregister' });
  return <Menu label="Parley menu" trigger="☰" items={items} testId="app-menu" align="end" />;
}
