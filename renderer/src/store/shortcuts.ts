/**
 * Keyboard shortcuts, in one table: what the keys are, how they read in menus, and which command
 * a key press means. Ctrl on Linux and Windows, ⌘ on macOS. Pure: a key event in, a command out.
 */
export type ShortcutCommand = 'newChat' | 'search' | 'nextUnread' | 'setStatus' | 'preferences' | 'contacts' | 'chats';

interface Shortcut {
  key: string;
  shift?: boolean;
  /** As shown beside a menu item. */
  label: string;
}

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = mac ? '⌘' : 'Ctrl+';

export const SHORTCUTS: Record<ShortcutCommand, Shortcut> = {
  newChat: { key: 'n', label: `${mod}N` },
  search: { key: 'f', shift: true, label: `${mod}Shift+F` },
  nextUnread: { key: 'u', shift: true, label: `${mod}Shift+U` },
  setStatus: { key: 's', shift: true, label: `${mod}Shift+S` },
  preferences: { key: ',', label: `${mod},` },
  chats: { key: '1', label: `${mod}1` },
  contacts: { key: '2', label: `${mod}2` },
};

export function shortcutFor(
  event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>,
  isMac = mac,
): ShortcutCommand | null {
  const modifier = isMac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (!modifier || event.altKey) return null;
  const key = event.key.toLowerCase();
  for (const [command, shortcut] of Object.entries(SHORTCUTS) as [ShortcutCommand, Shortcut][]) {
    if (shortcut.key === key && Boolean(shortcut.shift) === event.shiftKey) return command;
  }
  return null;
}
