/**
 * The README's screenshots, taken from a real session: alice (this page) and bob (a second Parley)
 * registered at the bundled Kamailio, a roster in groups, a chat both ways. Each picture is taken in
 * light and dark. Run with `npm run screenshots`; the files land in docs/screenshots/.
 */
import path from 'node:path';
import type { Page } from '@playwright/test';
import { expect, isRegistration, openApp, PASSWORD, ROOT, test } from '../fixtures.js';

const OUT = path.join(ROOT, 'docs', 'screenshots');

async function shoot(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: path.join(OUT, `${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('screenshots', async ({ page, parley, sip, uiPeer }) => {
  const bob = await uiPeer('bob');
  const alice = `sip:alice@${sip.domain}`;
  const { commands } = parley.core;
  await commands.setAccount({ account: { aor: alice, displayName: 'Alice Martin', proxy: sip.uri('udp'), transport: 'udp', registerExpires: 600 }, password: PASSWORD });
  await expect.poll(() => parley.events.some(isRegistration('registered'))).toBe(true);

  await commands.saveGroup({ id: 'friends', name: 'Friends' });
  await commands.saveGroup({ id: 'work', name: 'Co-workers' });
  await commands.saveContact({ aor: bob.aor, name: 'Bob Keller', groups: ['friends'] });
  const names = ['Carol Diaz', 'Dan Oduya', 'Erin Walsh', 'Frank Li', 'Grace Hopper', 'Heidi Schmid'];
  for (const [i, name] of names.entries()) {
    const user = name.split(' ')[0]!.toLowerCase();
    await commands.saveContact({ aor: `sip:${user}@${sip.domain}`, name, groups: [i % 2 ? 'friends' : 'work'] });
  }
  await bob.core.commands.saveContact({ aor: alice, name: 'Alice Martin', groups: [] });

  await openApp(page, parley);
  const conversation = await commands.openConversation({ to: bob.aor });
  const lines = [
    'Are we still on for lunch tomorrow?',
    'Yes! 12:30 at the usual place 🍜',
    'The menu is at https://example.org/menu if you want to pick ahead',
    'Perfect, see you there 👍',
  ];
  for (const [i, body] of lines.entries()) {
    if (i % 2 === 0) await commands.sendMessage({ to: bob.aor, body, conversationId: conversation.id });
    else await bob.core.commands.sendMessage({ to: alice, body });
  }
  await page.getByTestId('conversation').first().click();
  await expect(page.getByTestId('message-body').getByText(lines[3]!)).toBeVisible();
  await shoot(page, 'chat');
  await page.getByTestId('tab-contacts').click();
  await shoot(page, 'contacts');
});
