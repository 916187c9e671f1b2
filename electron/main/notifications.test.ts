import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { SequencedEvent } from '../../shared/ipc.js';
import { silentLogger } from '../core/logger.js';

vi.mock('electron', () => import('./testing/fake-electron.js'));

const electron = await import('./testing/fake-electron.js');
const { createMessageNotifier } = await import('./notifications.js');
const { createStatusTray } = await import('./tray.js');

beforeEach(() => electron.resetFakeElectron());

const incoming: SequencedEvent = {
  type: 'message',
  seq: 7,
  id: 'm1',
  conversationId: 'c1',
  direction: 'in',
  from: 'sip:bob@example.org',
  to: 'sip:alice@example.org',
  callId: 'abc',
  cseq: 1,
  contentType: 'text/plain',
  body: 'hello <b>there</b>',
  at: 0,
  state: 'received',
};

describe('message notifications', () => {
  it('shows incoming messages while no window has the focus, and focuses on click', () => {
    const clicked: string[] = [];
    let focused = false;
    const notify = createMessageNotifier({
      isAnyWindowFocused: () => focused,
      onClick: (id) => clicked.push(id),
      logger: silentLogger,
    });
    notify(incoming);
    expect(electron.Notification.shown).toHaveLength(1);
    const [shown] = electron.Notification.shown;
    expect(shown?.options.title).toBe('bob@example.org');
    shown?.emit('click');
    expect(clicked).toEqual(['c1']);

    focused = true;
    notify(incoming);
    notify({ ...incoming, direction: 'out', state: 'sending' });
    expect(electron.Notification.shown).toHaveLength(1);
  });
});

describe('status tray', () => {
  it('shows the status in the tooltip and offers Show and Quit', () => {
    const onShow = vi.fn();
    const onQuit = vi.fn();
    const tray = createStatusTray({ iconPath: '/x.png', onShow, onQuit, logger: silentLogger });
    expect(tray).not.toBeNull();
    tray?.setStatus('Online as alice@example.org');
    const fake = electron.Tray.last;
    type Item = { label?: string; click?: () => void };
    const items = (fake?.menu as { template: Item[] }).template;
    expect(fake?.tooltip).toBe('Parley — Online as alice@example.org');
    expect(items.map((item) => item.label).filter(Boolean)).toEqual([
      'Online as alice@example.org',
      'Show Parley',
      'Quit Parley',
    ]);
    items.find((item) => item.label === 'Quit Parley')?.click?.();
    expect(onQuit).toHaveBeenCalled();
    fake?.emit('click');
    expect(onShow).toHaveBeenCalled();
  });
});
