import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { chooseFromMenu } from '../fixtures.js';
import { expect, signInShell, test } from './fixtures.js';

test.describe('shell: desktop settings', () => {
  test('the settings view turns start at login on and off, and keeps the others', async ({ launch, sip }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    await chooseFromMenu(page, 'menu-chat-settings');
    const section = page.getByTestId('desktop-settings');
    await expect(section.getByTestId('setting-close-to-tray')).toBeChecked();
    await expect(section.getByTestId('setting-auto-away')).toHaveValue('10');

    await section.getByTestId('setting-start-at-login').check();
    await expect.poll(() => shell.electron.app.getLoginItemSettings().openAtLogin).toBe(true);
    await section.getByTestId('setting-start-at-login').uncheck();
    await expect.poll(() => shell.electron.app.getLoginItemSettings().openAtLogin).toBe(false);
    await section.getByTestId('setting-auto-away').fill('3');
    // Kept in the data folder (electron/hosts/electron/desktop-settings.ts).
    const saved = async () =>
      JSON.parse(await readFile(path.join(shell.userData, 'desktop.json'), 'utf8').catch(() => '{}')) as { autoAwayMinutes?: number };
    await expect.poll(async () => (await saved()).autoAwayMinutes).toBe(3);
  });
});
