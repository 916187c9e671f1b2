import { describe, expect, it } from 'vitest';
import type { Notice } from '../../../shared/notify/notices.js';
import { askWebNotificationPermission, createWebNotifier, webNotificationPermission, type NotificationHost } from './web-notices.js';

function fakeHost(permission: NotificationPermission, answer: NotificationPermission = 'granted') {
  const shown: { title: string; options: NotificationOptions; closed: boolean; onclick: ((e: Event) => void) | null }[] = [];
  const host = class {
    static permission = permission;
    static async requestPermission() {
      host.permission = answer;
      return answer;
    }
    onclick: ((e: Event) => void) | null = null;
    onclose: ((e: Event) => void) | null = null;
    closed = false;
    constructor(
      public title: string,
      public options: NotificationOptions,
    ) {
      shown.push(this);
    }
    close() {
      this.closed = true;
    }
  };
  return { host: host as unknown as NotificationHost & { permission: NotificationPermission }, shown };
}

const notice = (body: string): Notice => ({ key: 'conversation:c1', kind: 'message', title: 'Bob Keller', body, conversationId: 'c1' });

describe('web notifications', () => {
  it('ask for permission only when told to, and say what the browser answered', async () => {
    const { host } = fakeHost('default', 'granted');
    expect(webNotificationPermission(host)).toBe('default');
    expect(await askWebNotificationPermission(host)).toBe('granted');
    expect(webNotificationPermission(null)).toBe('unsupported');
    expect(await askWebNotificationPermission(null)).toBe('unsupported');
  });

  it('show nothing until the browser allows them', () => {
    const { host, shown } = fakeHost('default');
    const notifier = createWebNotifier({ host: () => host, onClick: () => {} });
    notifier.show(notice('hi'));
    expect(shown).toEqual([]);
    host.permission = 'denied';
    notifier.show(notice('hi'));
    expect(shown).toEqual([]);
  });

  it('show the name as title and the text as body, one per conversation, silent (the page plays the sound)', () => {
    const { host, shown } = fakeHost('granted');
    const notifier = createWebNotifier({ host: () => host, onClick: () => {} });
    notifier.show(notice('lunch?'));
    notifier.show(notice('2 new messages\nnoon?'));
    expect(shown.map((n) => [n.title, n.options.body, n.options.tag, n.options.silent])).toEqual([
      ['Bob Keller', 'lunch?', 'conversation:c1', true],
      ['Bob Keller', '2 new messages\nnoon?', 'conversation:c1', true],
    ]);
    // The older one is taken down: one notification per conversation.
    expect(shown.map((n) => n.closed)).toEqual([true, false]);
    notifier.withdraw('conversation:c1');
    expect(shown[1]!.closed).toBe(true);
  });

  it('a click closes the notification and opens what it is about', () => {
    const { host, shown } = fakeHost('granted');
    const clicked: Notice[] = [];
    const notifier = createWebNotifier({ host: () => host, onClick: (n) => clicked.push(n) });
    notifier.show(notice('lunch?'));
    shown[0]!.onclick!(new Event('click'));
    expect(clicked.map((n) => n.conversationId)).toEqual(['c1']);
    expect(shown[0]!.closed).toBe(true);
  });
});
