/**
 * Receipts in the chat view, Parley <-> Parley through the bundled Kamailio: alice is the `parley`
 * fixture's page, bob a second Parley with its own page. Two ticks once bob's app has the message,
 * "Read" once he opens the conversation; with alice's read receipts off, bob learns nothing of
 * what she reads then. Every wait is on something a page or a core shows.
 */
import type { SequencedEvent } from '../shared/ipc.js';
import { chooseFromMenu, expect, signIn, test } from './fixtures.js';
import { chatWith, conversationWith, send } from './chat-helpers.js';

test.describe('receipts in the chat view', () => {
  test('delivered to their app, then read when they open it; read receipts off tells them nothing', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }) => {
    const bob = await uiPeer('bob');
    await signIn(page, parley, sip);
    const aliceAor = `sip:alice@${sip.domain}`;
    await chatWith(page, 'bob', bob.aor);
    await send(page, 'tick tock');
    const mine = page.getByTestId('message').filter({ hasText: 'tick tock' });
    const mark = mine.getByTestId('message-state');
    await expect(mine).toHaveAttribute('data-receipt', 'on-device');
    await expect(mark).toHaveText('Delivered');
    await expect(mark).toHaveAttribute('title', 'Delivered. Their app has it');
    await conversationWith(bob.page, aliceAor).click();
    await expect(mine).toHaveAttribute('data-receipt', 'read');
    await expect(mark).toHaveText('Read');
    await expect(mark).toHaveClass(/delivery-read/);

    // Alice turns read receipts off and reads bob's line: he hears it arrived, not that it was read.
    await chooseFromMenu(page, 'menu-chat-settings');
    const setting = page.getByTestId('setting-send-read-receipts');
    await setting.uncheck();
    await expect(setting).not.toBeChecked();
    expect(await parley.core.commands.getChatSettings({})).toMatchObject({ sendReadReceipts: false });
    await chatWith(page, 'bob', bob.aor);
    const quiet = await bob.core.commands.sendMessage({ to: aliceAor, body: 'read quietly' });
    await expect(page.getByTestId('message-body').getByText('read quietly')).toBeVisible();
    await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === quiet.id && e.receipt === 'on-device');
    // Her core took the read mark for it (the conversation back at 0 unread after it arrived).
    const readMarked = () => {
      const at = parley.events.findIndex((e) => e.type === 'message' && e.body === 'read quietly');
      return at >= 0 && parley.events.slice(at).some((e) => e.type === 'conversation' && e.conversation.unread === 0);
    };
    await expect.poll(readMarked).toBe(true);
    // On again: the next line read is reported; the one read while off never is.
    await chooseFromMenu(page, 'menu-chat-settings');
    await setting.check();
    await chatWith(page, 'bob', bob.aor);
    const open = await bob.core.commands.sendMessage({ to: aliceAor, body: 'read openly' });
    await expect(page.getByTestId('message-body').getByText('read openly')).toBeVisible();
    await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === open.id && e.receipt === 'read');
    expect(bob.events.some((e) => e.type === 'delivery' && e.id === quiet.id && e.receipt === 'read')).toBe(false);
    const quietAtBob = bob.page.getByTestId('message').filter({ hasText: 'read quietly' });
    await expect(quietAtBob).toHaveAttribute('data-receipt', 'on-device');
    expect(pageErrors).toEqual([]);
  });
});
