import { expect, signInShell, test } from './fixtures.js';

test.describe('shell: application menu', () => {
  test('New chat opens the new-chat dialog; Set status sets it', async ({ launch, sip }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const menu = shell.electron.Menu.application;
    expect(menu?.items.map((item) => item.role ?? item.label)).toEqual(
      expect.arrayContaining(['editMenu', 'viewMenu', 'windowMenu', 'help']),
    );
    const newChat = menu?.find('New chat');
    expect(newChat?.accelerator).toBe('CmdOrCtrl+N');
    newChat?.click?.();
    await expect(page.getByTestId('new-chat-dialog')).toBeVisible();
    await page.keyboard.press('Escape');

    menu
      ?.find('Set status')
      ?.submenu?.find((item) => item.label === 'Busy')
      ?.click?.();
    await expect(page.getByTestId('status-active')).toHaveAttribute('data-availability', 'busy');
  });
});
