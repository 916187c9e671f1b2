import type { ParleyApi } from '../../shared/ipc.js';
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

test.describe('shell: keep in the tray', () => {
  test('closing the main window hides it in the tray; Open Parley shows it again', async ({ launch, sip }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const [window] = shell.electron.BrowserWindow.getAllWindows();
    window!.close();
    expect(window!.isDestroyed()).toBe(false);
    expect(window!.isVisible()).toBe(false);
    expect(shell.harness.calls.some(([what]) => what === 'exit')).toBe(false);

    shell.electron.Tray.all[0]?.menu?.find('Open Parley')?.click?.();
    expect(window!.isVisible()).toBe(true);
    await expect(page.getByTestId('registration-state')).toHaveText('Registered');

    // Turned off in the settings: closing quits as usual.
    const changed = await page.evaluate(() =>
      (globalThis as unknown as { parley: ParleyApi }).parley.setDesktopSettings({ closeToTray: false }),
    );
    expect(changed).toMatchObject({ ok: true, value: { closeToTray: false } });
    window!.close();
    expect(window!.isDestroyed()).toBe(true);
    expect(await shell.harness.exited).toBe(0);
  });
});
