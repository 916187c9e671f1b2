import type { ParleyApi, SequencedEvent } from '../../shared/ipc.js';
import { chatWith } from '../chat-helpers.js';
import { expect, signInShell, test } from './fixtures.js';

test.describe('shell: clear history', () => {
  test('the conversation menu clears its messages after asking', async ({ launch, sip, registeredPeer }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    const bob = await registeredPeer('bob');
    const sent = await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'forget this line' });
    await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');
    await chatWith(page, 'bob', bob.aor);
    const view = page.getByTestId('conversation-view');
    await expect(view).toContainText('forget this line');

    // Asked first: Cancel keeps everything.
    await page.getByTestId('conversation-menu').click();
    await page.getByTestId('clear-history').click();
    await page.getByTestId('clear-history-dialog').getByRole('button', { name: 'Cancel' }).click();
    await expect(view).toContainText('forget this line');

    await page.getByTestId('conversation-menu').click();
    await page.getByTestId('clear-history').click();
    await page.getByTestId('clear-history-confirm').click();
    await expect(view).not.toContainText('forget this line');
    // Gone from storage: search finds nothing.
    const hits = await page.evaluate(() => (globalThis as unknown as { parley: ParleyApi }).parley.searchMessages({ query: 'forget' }));
    expect(hits).toMatchObject({ ok: true, value: [] });
  });
});
