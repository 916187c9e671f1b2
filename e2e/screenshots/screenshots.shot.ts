/**
 * The README's screenshots, taken from a real session: alice (this page) and her contacts, each a
 * Parley core of its own registered at the bundled Kamailio with a status of their own; bob has a
 * page too. A chat both ways, a roster in groups, the presence settings. Each picture in light and
 * dark. Run with `npm run screenshots`; the files land in docs/screenshots/.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { Availability, SequencedEvent } from '../../shared/ipc.js';
import { startKamailio, type RunningServer } from '../../server/kamailio.js';
import { expect, isRegistration, openApp, PASSWORD, ROOT, test as base } from '../fixtures.js';

const OUT = path.join(ROOT, 'docs', 'screenshots');

/** Who is in alice's roster: name, group, and the status they set themselves. */
const PEOPLE: { user: string; name: string; group: 'friends' | 'work'; availability: Availability; note?: string }[] = [
  { user: 'bob', name: 'Bob Keller', group: 'friends', availability: 'online' },
  { user: 'carol', name: 'Carol Diaz', group: 'work', availability: 'busy', note: 'In a meeting until 11' },
  { user: 'dan', name: 'Dan Oduya', group: 'work', availability: 'online' },
  { user: 'erin', name: 'Erin Walsh', group: 'friends', availability: 'away', note: 'Back after lunch' },
  { user: 'frank', name: 'Frank Li', group: 'work', availability: 'offline' },
];

// The roster's people all need accounts at the server.
const test = base.extend<object, { sip: RunningServer }>({
  sip: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startKamailio({
        auth: true,
        users: ['alice', ...PEOPLE.map((p) => p.user)].map((user) => ({ user, password: PASSWORD })),
      });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

/** Light and dark at a laptop's 1280x800; with `narrow`, also a window of 720x800 (light). */
async function shoot(page: Page, name: string, narrow = false): Promise<void> {
  // Every emoji font piece the page asked for has arrived (they load as text needs them).
  await expect(page.locator('html.emoji-font-ready')).toHaveCount(1);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(OUT, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (!narrow) return;
  await page.setViewportSize({ width: 720, height: 800 });
  await page.screenshot({ path: path.join(OUT, `${name}-narrow.png`) });
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('screenshots', async ({ page, parley, sip, uiPeer, registeredPeer }) => {
  const alice = `sip:alice@${sip.domain}`;
  const bob = await uiPeer('bob');
  const others = await Promise.all(PEOPLE.slice(1).map((p) => registeredPeer(p.user)));
  const { commands } = parley.core;
  await commands.setAccount({
    account: { aor: alice, displayName: 'Alice Martin', proxy: sip.uri('udp'), transport: 'udp', registerExpires: 600 },
    password: PASSWORD,
  });
  await expect.poll(() => parley.events.some(isRegistration('registered'))).toBe(true);

  await commands.saveGroup({ id: 'friends', name: 'Friends' });
  await commands.saveGroup({ id: 'work', name: 'Co-workers' });
  // The work-hours profile: busy to Friends, available to Co-workers, weekdays 09:00-17:00.
  await commands.saveProfile({
    id: 'work-hours',
    name: 'Work hours',
    views: {
      '*': { availability: 'away', note: 'At work', activities: [] },
      friends: { availability: 'busy', note: 'Heads down', activities: [] },
      work: { availability: 'online', activities: [] },
    },
  });
  await commands.setSchedule({
    timeZone: 'Europe/Berlin',
    rules: [{ id: 'weekdays', days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00', profileId: 'work-hours' }],
    defaultProfileId: 'available',
  });
  for (const person of PEOPLE)
    await commands.saveContact({ aor: `sip:${person.user}@${sip.domain}`, name: person.name, groups: [person.group] });
  for (const [i, person] of PEOPLE.entries()) {
    const peer = i === 0 ? bob : others[i - 1]!;
    // Alice's SUBSCRIBE reaches each of them: they allow her, and set a status of their own.
    await peer.waitFor((e) => e.type === 'watcher' && e.watcher.aor === alice);
    await peer.core.commands.answerWatcher({ aor: alice, decision: 'allow' });
    await peer.core.commands.saveContact({ aor: alice, name: 'Alice Martin', groups: [] });
    await peer.core.commands.setStatus({
      view: { availability: person.availability, note: person.note, activities: [] },
      until: 'cleared',
    });
  }

  await page.setViewportSize({ width: 1280, height: 800 });
  await openApp(page, parley);
  const conversation = await commands.openConversation({ to: bob.aor });
  const lines = [
    'Are we still on for lunch tomorrow?',
    'Yes! 12:30 at the usual place 🍜',
    'The menu is at https://example.org/menu if you want to pick ahead',
    'Perfect, see you there 👍',
  ];
  for (const [i, body] of lines.entries()) {
    // Each line reaches the other side before the next is written, so both show them in this order.
    if (i % 2 === 0) {
      await commands.sendMessage({ to: bob.aor, body, conversationId: conversation.id });
      const got = await bob.waitFor((e: SequencedEvent) => e.type === 'message' && e.direction === 'in' && e.body === body);
      // Bob reads the first line before he answers: it shows read; the third, unread, delivered.
      if (i === 0 && got.type === 'message') await bob.core.commands.markRead({ conversationId: got.conversationId });
    } else {
      const reply = await bob.core.commands.sendMessage({ to: alice, body });
      await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === reply.id && e.state === 'delivered');
    }
  }
  // Bob sends the menu as a file too, and alice takes it: its card stands after the messages.
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-shots-'));
  const menu = path.join(folder, 'Lunch menu.pdf');
  fs.writeFileSync(menu, `%PDF-1.4\n${'menu '.repeat(4000)}\n%%EOF\n`);
  await bob.core.sendLocalFile!(alice, menu);
  await expect.poll(() => parley.events.find((e) => e.type === 'file-transfer' && e.transfer.state === 'offered')).toBeTruthy();
  const offered = parley.events.find((e) => e.type === 'file-transfer' && e.transfer.state === 'offered')!;
  if (offered.type === 'file-transfer') await commands.answerFileOffer({ id: offered.transfer.id, accept: true });
  await expect.poll(() => parley.events.some((e) => e.type === 'file-transfer' && e.transfer.state === 'done')).toBe(true);
  fs.rmSync(folder, { recursive: true, force: true });
  await others[0]!.core.commands.sendMessage({ to: alice, body: 'Can you review the slides before 3?' });
  await page
    .getByTestId('conversation')
    .and(page.locator(`[data-peer="${bob.aor}"]`))
    .click();
  await expect(page.getByTestId('message-body').getByText(lines[3]!)).toBeVisible();
  const mine = (text: string) => page.getByTestId('message').filter({ hasText: text });
  await expect(mine(lines[0]!)).toHaveAttribute('data-receipt', 'read');
  await expect(mine(lines[2]!)).toHaveAttribute('data-receipt', 'on-device');
  await expect(page.getByTestId('file-transfer').filter({ hasText: 'Lunch menu.pdf' })).toHaveAttribute('data-state', 'done');
  await shoot(page, 'chat', true);
  await page.getByTestId('tab-contacts').click();
  await expect(page.getByTestId('buddy').and(page.locator('[data-shown="busy"]'))).toBeVisible();
  await shoot(page, 'contacts');
  await page.getByTestId('app-menu').click();
  await page.getByTestId('presence-settings-open').click();
  await expect(page.getByTestId('presence-settings')).toBeVisible();
  await shoot(page, 'presence');
  await page.getByRole('navigation', { name: 'Presence settings sections' }).getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByTestId('week-view')).toBeVisible();
  await page.getByTestId('week-view').scrollIntoViewIfNeeded();
  await shoot(page, 'week');
});
