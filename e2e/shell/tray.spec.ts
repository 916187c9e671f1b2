import type { Tray } from './stand-in/desktop.js';
import { expect, signInShell, test } from './fixtures.js';

/** The picture the tray shows now: the stand-in's nativeImage keeps the path it was made from. */
const trayPicture = (tray: Tray | undefined) => (tray?.image as { label?: string } | undefined)?.label?.split('/').pop();

test.describe('shell: tray', () => {
  test('the tray shows our status and sets it; the renderer and the tray agree', async ({ launch, sip }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const [tray] = shell.electron.Tray.all;
    await expect.poll(() => trayPicture(tray)).toBe('online.png');
    expect(tray?.tooltip).toContain('Available');

    // Set from the tray: the renderer's own status follows.
    tray?.menu?.find('Away')?.click?.();
    await expect(page.getByTestId('status-active')).toHaveAttribute('data-availability', 'away');
    await expect.poll(() => trayPicture(tray)).toBe('away.png');
    expect(tray?.menu?.find('Away')?.checked).toBe(true);

    // Set in the renderer: the tray's picture and tooltip follow.
    await page.getByTestId('status-menu').click();
    await page.getByTestId('status-choice-busy').click();
    await page.getByTestId('status-set').click();
    await expect.poll(() => trayPicture(tray)).toBe('busy.png');
    expect(tray?.tooltip).toContain('Busy');

    tray?.menu?.find('Open Parley')?.click?.();
    expect(shell.electron.BrowserWindow.getFocusedWindow()).not.toBeNull();
  });
});
