import type { SequencedEvent } from '../shared/ipc.js';
import { expect, signIn, test } from './fixtures.js';

const HOSTILE = [
  '<img src=x onerror="window.__pwned = 1">',
  '<script>window.__pwned = 2</script>',
  '<b onmouseover="window.__pwned = 3">bold?</b> & "quotes" \'too\'',
];

test.describe('chat', () => {
  test('a hostile message body is shown as literal text', async ({ page, parley, sip, registeredPeer, pageErrors }, testInfo) => {
    await signIn(page, parley, sip);

    const bob = await registeredPeer('bob');
    for (const body of HOSTILE) {
      const sent = await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body });
      await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');
    }

    const conversation = page.locator(`[data-testid="conversation"][data-peer="sip:bob@${sip.domain}"]`);
    await expect(conversation).toBeVisible();
    await expect(conversation.getByTestId('unread')).toHaveText(String(HOSTILE.length));
    await conversation.click();

    const bodies = page.getByTestId('message-body');
    await expect(bodies).toHaveText(HOSTILE);
    const list = page.getByTestId('message-list');
    await expect(list.locator('img, script, b')).toHaveCount(0);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    await page.screenshot({ path: testInfo.outputPath('hostile-body.png') });
    expect(pageErrors).toEqual([]);
  });

  test('after the link to the core drops, the page reconnects and catches up from a fresh snapshot', async ({
    page,
    parley,
    sip,
    signedInWithBob: bob,
    pageErrors,
  }) => {
    await parley.stopHost();
    await expect(page.getByTestId('connection-state')).toHaveAttribute('data-status', /closed|connecting/);

    // The core keeps working while no page is connected.
    const sent = await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'while you were away' });
    await bob.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');

    await parley.restartHost();
    await expect(page.getByTestId('connection-state')).toHaveCount(0);
    const conversation = page.locator(`[data-testid="conversation"][data-peer="sip:bob@${sip.domain}"]`);
    await expect(conversation.getByTestId('unread')).toHaveText('1');
    await conversation.click();
    await expect(page.getByTestId('message-body')).toHaveText(['while you were away']);
    await expect(page.getByTestId('registration-state')).toHaveText('Registered');
    // Chromium logs the failed reconnect attempts; nothing else may go wrong.
    expect(pageErrors.filter((e) => !/WebSocket connection to .* failed/.test(e))).toEqual([]);
  });
});
