/**
 * The application menu: the usual roles (app on macOS, edit, view, window, help) and Parley's own
 * commands. New chat, search, next unread and preferences go to the main window (shown) as ShellRequests
 * (shared/contract/shell.ts), which run the same commands as the window's shortcuts
 * (renderer/src/components/useShortcuts.ts); the status is set directly, as the tray does.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { Availability } from '../../shared/domain/availability.js';
import { TRAY_STATUSES } from '../hosts/electron/tray-state.js';

export type MenuCommand = 'newChat' | 'search' | 'nextUnread' | 'preferences';

export function buildAppMenu(options: {
  run: (command: MenuCommand) => void;
  setStatus: (availability: Availability) => void;
  platform?: NodeJS.Platform;
}): Menu {
  const mac = (options.platform ?? process.platform) === 'darwin';
  const preferences: MenuItemConstructorOptions = {
    label: 'Preferences…',
    accelerator: 'CmdOrCtrl+,',
    click: () => options.run('preferences'),
  };
  const template: MenuItemConstructorOptions[] = [
    ...(mac
      ? [
          {
            role: 'appMenu' as const,
            submenu: [
              { role: 'about' as const },
              { type: 'separator' as const },
              preferences,
              { type: 'separator' as const },
              { role: 'hide' as const },
              { role: 'quit' as const },
            ],
          },
        ]
      : []),
    {
      label: 'Parley',
      submenu: [
        { label: 'New chat', accelerator: 'CmdOrCtrl+N', click: () => options.run('newChat') },
        { label: 'Search', accelerator: 'CmdOrCtrl+Shift+F', click: () => options.run('search') },
        { label: 'Next unread', accelerator: 'CmdOrCtrl+Shift+U', click: () => options.run('nextUnread') },
        { type: 'separator' },
        {
          label: 'Set status',
          submenu: TRAY_STATUSES.map(({ availability, label }) => ({ label, click: () => options.setStatus(availability) })),
        },
        ...(mac ? [] : [{ type: 'separator' as const }, preferences, { type: 'separator' as const }, { role: 'quit' as const }]),
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ role: 'about' }] },
  ];
  return Menu.buildFromTemplate(template);
}
