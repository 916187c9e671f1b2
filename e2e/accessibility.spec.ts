/**
 * axe (axe-core) on every screen a user meets, light and dark: first start, the main window with a
 * chat, the contacts, the status menu, new chat, the presence settings with the week view, the
 * account view, chat settings, search. No serious or critical violation may remain.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { chatWith, send } from './chat-helpers.js';
import { chooseFromMenu, expect, openApp, showContacts, signIn, test } from './fixtures.js';

async function violations(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const result = await new AxeBuilder({ page }).analyze();
    for (const v of result.violations) {
      if (v.impact !== 'serious' && v.impact !== 'critical') continue;
      found.push(
        `${screen} (${scheme}): ${v.id} — ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
      );
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return found;
}

test('no serious or critical accessibility violations on any screen', async ({ page, parley, sip, registeredPeer }) => {
  test.setTimeout(120_000);
  const found: string[] = [];
  await openApp(page, parley);
  await expect(page.getByTestId('first-start')).toBeVisible();
  found.push(...(await violations(page, 'first start')));

  const bob = await registeredPeer('bob');
  await signIn(page, parley, sip);
  await chatWith(page, 'bob', bob.aor);
  await send(page, 'hello https://example.org 👋');
  await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'hi alice' });
  await expect(page.getByTestId('message-body').last()).toHaveText('hi alice');
  found.push(...(await violations(page, 'chat')));

  await page.getByTestId('status-menu').click();
  await expect(page.getByTestId('status-popover')).toBeVisible();
  found.push(...(await violations(page, 'status menu')));
  await page.keyboard.press('Escape');

  await page.getByTestId('new-chat').click();
  found.push(...(await violations(page, 'new chat')));
  await page.keyboard.press('Escape');

  await showContacts(page);
  found.push(...(await violations(page, 'contacts')));

  for (const [item, screen] of [
    ['presence-settings-open', 'presence settings'],
    ['edit-account', 'account'],
    ['menu-chat-settings', 'chat settings'],
    ['menu-search', 'search'],
  ] as const) {
    await chooseFromMenu(page, item);
    found.push(...(await violations(page, screen)));
  }
  expect(found).toEqual([]);
});
