import type { ParleyApi } from '../../shared/ipc.js';
import type { ShellLaunch } from './launch.js';
import { expect, signInShell, test } from './fixtures.js';

/** Let a few of the shell's idle polls run (the harness polls every 100 ms, e2e/shell/launch.ts). */
async function pollsPass(shell: ShellLaunch): Promise<void> {
  const { powerMonitor } = shell.electron;
  const seen = powerMonitor.idleReads;
  await expect.poll(() => powerMonitor.idleReads).toBeGreaterThan(seen + 2);
}

test.describe('shell: auto-away', () => {
  test('idle makes Available away and back; a status the user chose stands', async ({ launch, sip }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const status = page.getByTestId('status-active');
    await expect(status).toHaveAttribute('data-availability', 'online');
    const set = await page.evaluate(() =>
      (globalThis as unknown as { parley: ParleyApi }).parley.setDesktopSettings({ autoAwayMinutes: 1 }),
    );
    expect(set).toMatchObject({ ok: true, value: { autoAwayMinutes: 1 } });

    shell.harness.idleSeconds = 59;
    await pollsPass(shell);
    await expect(status).toHaveAttribute('data-availability', 'online');
    shell.harness.idleSeconds = 61;
    await expect(status).toHaveAttribute('data-availability', 'away');
    shell.harness.idleSeconds = 0;
    await expect(status).toHaveAttribute('data-availability', 'online');

    // Changed by the user while auto-away: coming back leaves it.
    shell.harness.idleSeconds = 120;
    await expect(status).toHaveAttribute('data-availability', 'away');
    const tray = shell.electron.Tray.all[0];
    tray?.menu?.find('Busy')?.click?.();
    await expect(status).toHaveAttribute('data-availability', 'busy');
    shell.harness.idleSeconds = 0;
    await pollsPass(shell);
    await expect(status).toHaveAttribute('data-availability', 'busy');

    // Busy by hand: idle changes nothing.
    shell.harness.idleSeconds = 3600;
    await pollsPass(shell);
    await expect(status).toHaveAttribute('data-availability', 'busy');
  });
});
