import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SequencedEvent } from '../../shared/ipc.js';
import { chatWith } from '../chat-helpers.js';
import { expect, signInShell, test } from './fixtures.js';

test.describe('shell: desktop', () => {
  test('export writes the file the save dialog names', async ({ launch, sip, registeredPeer }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const bob = await registeredPeer('bob');
    const sent = await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'keep this line' });
    await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');
    const target = path.join(shell.downloads, 'picked.txt');
    shell.harness.answerSaveDialog = () => target;

    await chatWith(page, 'bob', bob.aor);
    await page.getByTestId('conversation-menu').click();
    await page.getByTestId('export-text').click();

    await expect.poll(() => readFile(target, 'utf8').catch(() => '')).toContain('keep this line');
    const [, options] = shell.harness.calls.find(([what]) => what === 'showSaveDialog')!;
    expect((options as { defaultPath: string }).defaultPath).toMatch(/^.*parley-.*\.txt$/);
    await expect(page.getByTestId('export-error')).toHaveCount(0);
  });

  test('the badge follows the unread count and the frame stops flashing on focus', async ({ launch, sip, registeredPeer }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const bob = await registeredPeer('bob');
    const window = shell.electron.BrowserWindow.getFocusedWindow()!;
    window.blur();
    for (const body of ['one', 'two']) {
      const sent = await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body });
      await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');
    }
    const badge = () => shell.harness.calls.filter(([what]) => what === 'setBadgeCount').at(-1)?.[1];
    await expect.poll(badge).toBe(2);
    expect(shell.harness.calls).toContainEqual(['flashFrame', true]);
    const [tray] = shell.electron.Tray.all;
    expect(tray?.tooltip).toContain('2 unread');
    // Two messages, one notice for the conversation.
    await expect.poll(() => shell.notifications().at(-1)?.options.body).toBe('2 new messages\ntwo');

    window.focus();
    expect(shell.harness.calls.at(-1)).toEqual(['flashFrame', false]);
    await chatWith(page, 'bob', bob.aor);
    await expect.poll(badge).toBe(0);
    expect(tray?.tooltip).not.toContain('unread');
    // The conversation was read: its notice is taken back.
    expect(shell.notifications().at(-1)?.closed).toBe(true);
  });

  test('a sip: link hands over to the running instance and opens the chat', async ({ launch, sip }) => {
    const first = await launch();
    const page = await first.mainPage();
    await signInShell(page, sip);
    expect(first.harness.calls).toContainEqual(['setAsDefaultProtocolClient', 'sip']);
    expect(first.harness.calls).toContainEqual(['setAsDefaultProtocolClient', 'im']);

    const second = await launch({ userData: first.userData, argv: ['--some-switch', `sip:carol@${sip.domain}`] });
    expect(second.handedOver).toBe(true);
    await second.harness.exited;
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', `sip:carol@${sip.domain}`);
    expect(first.electron.BrowserWindow.getAllWindows()).toHaveLength(1);
  });
});
