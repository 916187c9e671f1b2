import type { ParleyApi, SequencedEvent } from '../../shared/ipc.js';
import { expect, signInShell, test } from './fixtures.js';

test.describe('shell: notifications', () => {
  test('a message notifies by the contact name with plain text, and a click opens its conversation', async ({
    launch,
    sip,
    registeredPeer,
  }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const bob = await registeredPeer('bob');
    // The contact's name, saved through the real preload and IPC.
    const saved = await page.evaluate(
      (aor) => (globalThis as unknown as { parley: ParleyApi }).parley.saveContact({ aor, name: 'Bob Keller', groups: [] }),
      bob.aor,
    );
    expect(saved.ok).toBe(true);

    // The user is in another application.
    shell.electron.BrowserWindow.getFocusedWindow()?.blur();
    const sent = await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'lunch <b>at</b> noon?' });
    await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');

    await expect.poll(() => shell.notifications().length).toBe(1);
    const [notice] = shell.notifications();
    expect(notice!.options.title).toBe('Bob Keller');
    // Linux notification servers read markup: the text arrives escaped, so it shows as typed.
    expect(notice!.options.body).toBe(process.platform === 'linux' ? 'lunch &lt;b&gt;at&lt;/b&gt; noon?' : 'lunch <b>at</b> noon?');

    notice!.click();
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', bob.aor);
    expect(shell.electron.BrowserWindow.getFocusedWindow()).not.toBeNull();
  });
});
