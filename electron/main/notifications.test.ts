import { beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../support/logger.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const electron = await import('./testing/fake-electron.js');
const { createNotifier } = await import('./notifications.js');
const { createStatusTray } = await import('./tray.js');

beforeEach(() => electron.resetFakeElectron());

describe('notifier', () => {
  it('shows a notice by name with its text, replaces it per key, opens on click and sends replies', () => {
    const clicked: string[] = [];
    const replies: string[] = [];
    const notifier = createNotifier({
      onClick: (notice) => clicked.push(notice.conversationId ?? ''),
      onReply: (id, text) => replies.push(`${id}:${text}`),
      logger: silentLogger,
    });
    const notice = { key: 'conversation:c1', kind: 'message' as const, title: 'Bob', body: 'hello', conversationId: 'c1' };
    notifier.show(notice);
    notifier.show({ ...notice, body: '2 new messages\nagain' });
    expect(electron.Notification.shown).toHaveLength(2);
    const [first, second] = electron.Notification.shown;
    expect(first?.closed).toBe(true);
    expect(second?.options).toMatchObject({ title: 'Bob', hasReply: true, silent: true });
    second?.emit('reply', {}, 'on my way');
    expect(replies).toEqual(['c1:on my way']);
    second?.emit('click');
    expect(clicked).toEqual(['c1']);
    notifier.show(notice);
    notifier.withdraw('conversation:c1');
    expect(electron.Notification.shown[2]?.closed).toBe(true);
  });
});

describe('status tray', () => {
  it('shows the status in the tooltip and offers the statuses, Open Parley and Quit', () => {
    const onShow = vi.fn();
    const onQuit = vi.fn();
    const onSetStatus = vi.fn();
    const tray = createStatusTray({ trayDir: '/tray', onShow, onSetStatus, onQuit, logger: silentLogger });
    expect(tray).not.toBeNull();
    tray?.update({ registration: 'registered', line: 'Online as alice@example.org', availability: 'busy' });
    const fake = electron.Tray.last;
    type Item = { label?: string; checked?: boolean; click?: () => void };
    const items = (fake?.menu as { template: Item[] }).template;
    expect(fake?.tooltip).toBe('Parley — Online as alice@example.org — Busy');
    expect(items.map((item) => item.label).filter(Boolean)).toEqual([
      'Online as alice@example.org',
      'Available',
      'Away',
      'Busy',
      'Appear offline',
      'Open Parley',
      'Quit',
    ]);
    expect(items.find((item) => item.checked)?.label).toBe('Busy');
    items.find((item) => item.label === 'Appear offline')?.click?.();
    expect(onSetStatus).toHaveBeenCalledWith('offline');
    items.find((item) => item.label === 'Quit')?.click?.();
    expect(onQuit).toHaveBeenCalled();
    fake?.emit('click');
    expect(onShow).toHaveBeenCalled();
  });
});
