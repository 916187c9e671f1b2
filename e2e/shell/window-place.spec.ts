import { expect, signInShell, test } from './fixtures.js';

test.describe('shell: window places', () => {
  test('the main window opens where it was, maximised again, on a display that shows it', async ({ launch, sip }) => {
    const first = await launch();
    const page = await first.mainPage();
    await signInShell(page, sip);
    const [window] = first.electron.BrowserWindow.getAllWindows();
    window!.setBounds({ x: 140, y: 90, width: 900, height: 640 });
    window!.maximize();
    expect(await first.quit()).toBe(0);

    const second = await launch({ userData: first.userData });
    await second.mainPage();
    const [reopened] = second.electron.BrowserWindow.getAllWindows();
    expect(reopened!.options).toMatchObject({ x: 140, y: 90, width: 900, height: 640 });
    await expect.poll(() => reopened!.isMaximized()).toBe(true);

    // Its display is gone: the next launch brings it onto the one there is.
    reopened!.unmaximize();
    reopened!.setBounds({ x: 2500, y: 90 });
    expect(await second.quit()).toBe(0);
    const third = await launch({ userData: first.userData });
    await expect((await third.mainPage()).getByTestId('app')).toHaveAttribute('data-ready', 'true');
    expect(third.electron.BrowserWindow.getAllWindows()[0]!.options).toMatchObject({ x: 1020, y: 90, width: 900, height: 640 });
  });
});
