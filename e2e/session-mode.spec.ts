/**
 * Session mode in the UI, Parley <-> Parley through the bundled Kamailio: alice turns on "Prefer
 * session mode", her first message to bob opens an MSRP session, both conversations' Details say
 * so, and the composer then takes a message over paging mode's 64 KiB, which bob gets whole.
 * Every wait is on something a page or a core shows.
 */
import type { SequencedEvent } from '../shared/ipc.js';
import { chooseFromMenu, expect, signIn, test } from './fixtures.js';
import { chatWith, conversationWith, send } from './chat-helpers.js';

test.describe('session mode in the UI', () => {
  test('prefer session mode: the chat goes in a session, Details say so, and a 100 KB message goes', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }) => {
    const bob = await uiPeer('bob');
    await signIn(page, parley, sip);
    const aliceAor = `sip:alice@${sip.domain}`;
    await chooseFromMenu(page, 'menu-chat-settings');
    const setting = page.getByTestId('setting-prefer-session-mode');
    await expect(setting).not.toBeChecked();
    await setting.check();
    await expect(setting).toBeChecked();
    expect(await parley.core.commands.getChatSettings({})).toMatchObject({ preferSessionMode: true });

    await chatWith(page, 'bob', bob.aor);
    await page.getByTestId('details-toggle').click();
    await expect(page.getByTestId('details-mode')).toHaveText('Paging mode (a MESSAGE each)');
    await send(page, 'hello in a session');
    const mine = page.getByTestId('message').filter({ hasText: 'hello in a session' });
    await expect(mine.getByTestId('message-state')).toHaveText('Delivered');
    await expect(page.getByTestId('details-mode')).toHaveText('Session mode (MSRP)');
    await conversationWith(bob.page, aliceAor).click();
    await bob.page.getByTestId('details-toggle').click();
    await expect(bob.page.getByTestId('details-mode')).toHaveText('Session mode (MSRP)');

    // Over 64 KiB: the composer measures against the session's limit, and the message goes whole.
    const big = `${'0123456789abcdef'.repeat(100 * 64)}!`;
    await page.getByTestId('composer-input').fill(big);
    // Far from the session's 1 MiB: no size warning (against 64 KiB it would say "101 of 64 KiB").
    await expect(page.getByTestId('composer-input')).toHaveValue(big);
    await expect(page.getByTestId('composer-size')).toHaveCount(0);
    await page.getByTestId('composer-input').press('Enter');
    await bob.waitFor((e: SequencedEvent) => e.type === 'message' && e.direction === 'in' && e.body === big);
    // Bob has the conversation open: his read receipt may already be back (receipts work in a session too).
    const bigAtAlice = page.getByTestId('message').filter({ hasText: '0123456789abcdef0123' });
    await expect(bigAtAlice.getByTestId('message-state')).toHaveText(/^(Delivered|Read)$/);
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });
});
