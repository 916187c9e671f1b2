/**
 * The chat view as a daily messenger user meets it, Parley <-> Parley through Kamailio: names
 * instead of addresses, links, emoji (font and picker), grouping and day separators, a long
 * message, and a draft that survives a restart of the app. Every wait is on what a page or a core
 * shows; nothing sleeps. Screenshots go to /tmp (light and dark) for a person to look at.
 */
import type { Page } from '@playwright/test';
import type { SequencedEvent } from '../shared/ipc.js';
import { chatWith, conversationWith, send } from './chat-helpers.js';
import { expect, openApp, signIn, test } from './fixtures.js';

async function shoot(page: Page, name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: `/tmp/chat-view-${name}-${colorScheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe('chat view', () => {
  test('names, links, emoji, groups and days, a 3,000-character message, both ways', async ({ page, parley, sip, uiPeer, pageErrors }) => {
    const bob = await uiPeer('bob');
    const aliceAor = `sip:alice@${sip.domain}`;
    await parley.core.commands.saveContact({ aor: bob.aor, name: 'Bob Keller', groups: [] });
    await bob.core.commands.saveContact({ aor: aliceAor, name: 'Alice Liddell', groups: [] });
    await signIn(page, parley, sip);
    await chatWith(page, 'bob', bob.aor);

    // The header names the person; the address is secondary text.
    await expect(page.getByTestId('conversation-name')).toHaveText('Bob Keller');
    await expect(page.getByTestId('conversation-address')).toHaveText(bob.aor);

    // A burst within a minute is one group: fewer times than messages, one "Today".
    const burst = ['morning!', 'see https://example.org/path?q=1 for the plan', 'or mail me at alice@example.org'];
    for (const text of burst) await send(page, text);
    await expect(page.getByTestId('message-state')).toHaveText(burst.map(() => 'Delivered'));
    await expect(page.getByTestId('day-separator')).toHaveText(['Today']);
    expect(await page.getByTestId('message-time').count()).toBeLessThan(burst.length);

    // At bob's side: the conversation under alice's name, the link an anchor that opens outside.
    const atBob = conversationWith(bob.page, aliceAor);
    await atBob.click();
    await expect(bob.page.getByTestId('conversation-name')).toHaveText('Alice Liddell');
    const link = bob.page.getByTestId('message-link').filter({ hasText: 'https://example.org/path?q=1' });
    await expect(link).toHaveAttribute('href', 'https://example.org/path?q=1');
    await expect(link).toHaveAttribute('target', '_blank');
    await expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    await expect(bob.page.getByTestId('message-link').filter({ hasText: 'alice@example.org' })).toHaveAttribute(
      'href',
      'mailto:alice@example.org',
    );

    // Typing shows the name; emoji arrive as text and render in the bundled colour font.
    await bob.page.getByTestId('composer-input').pressSequentially('hi 👋');
    await expect(page.getByTestId('typing-indicator')).toHaveText('Bob Keller is typing…');
    await bob.page.getByTestId('composer-input').press('Enter');
    await expect(page.getByTestId('message').filter({ hasText: 'hi 👋' })).toHaveAttribute('data-direction', 'in');
    // The bundled font is in the page's font list once loaded, and it really draws in colour here
    // (an OpenType-SVG build would report itself loaded and draw nothing in Chromium).
    await expect(page.locator('html.emoji-font-ready')).toHaveCount(1);
    const coloured = await page.evaluate(`(() => {
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = 48;
      const ctx = canvas.getContext('2d');
      ctx.font = '40px "Noto Color Emoji"';
      ctx.textBaseline = 'top';
      ctx.fillText('👋', 2, 2);
      const px = ctx.getImageData(0, 0, 48, 48).data;
      let count = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0 && Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 60) count++;
      return count;
    })()`);
    expect(coloured).toBeGreaterThan(100);

    // The picker: search, arrows, Enter inserts at the caret; Escape closes and gives focus back.
    const composer = page.getByTestId('composer-input');
    await composer.fill('great !');
    await composer.evaluate((el) => (el as unknown as { setSelectionRange(start: number, end: number): void }).setSelectionRange(6, 6));
    await page.getByTestId('emoji-button').click();
    await expect(page.getByTestId('emoji-picker')).toBeVisible();
    await expect(page.getByTestId('emoji-tab').first()).toHaveAttribute('aria-selected', 'true');
    await page.getByTestId('emoji-search').fill('thumbs up');
    await expect(page.getByTestId('emoji-option').first()).toHaveAccessibleName('thumbs up');
    await page.getByTestId('emoji-search').press('ArrowDown');
    await expect(page.getByTestId('emoji-option').first()).toBeFocused();
    await shoot(page, 'picker');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('emoji-picker')).toHaveCount(0);
    // Fully qualified, as Unicode lists it: with the emoji variation selector.
    const thumbsUp = '👍\u{FE0F}';
    await expect(composer).toHaveValue(`great ${thumbsUp}!`);
    await expect(composer).toBeFocused();
    await page.getByTestId('emoji-button').click();
    await page.getByTestId('emoji-search').press('Escape');
    await expect(page.getByTestId('emoji-picker')).toHaveCount(0);
    await expect(page.getByTestId('emoji-button')).toBeFocused();
    await composer.press('Enter');
    await expect(bob.page.getByTestId('message-body').last()).toHaveText(`great ${thumbsUp}!`);

    // A long message: the composer grows up to 40 % of the view, then scrolls; it arrives whole.
    const long = Array.from({ length: 300 }, (_, i) => `word${i % 10}`)
      .join(' ')
      .padEnd(3000, '.')
      .slice(0, 3000);
    expect(long.length).toBe(3000);
    const before = (await composer.boundingBox())!.height;
    await composer.fill(long);
    const grown = (await composer.boundingBox())!.height;
    const view = (await page.getByTestId('conversation-view').boundingBox())!.height;
    expect(grown).toBeGreaterThan(before * 2);
    expect(grown).toBeLessThanOrEqual(view * 0.4 + 1);
    expect(await composer.evaluate((el) => el.scrollHeight > el.clientHeight)).toBe(true);
    await shoot(page, 'long-draft');
    await composer.press('Enter');
    await expect(bob.page.getByTestId('message-body').last()).toHaveText(long);
    await expect(composer).toHaveValue('');
    expect((await composer.boundingBox())!.height).toBeLessThanOrEqual(before + 1);

    await shoot(page, 'alice');
    await shoot(bob.page, 'bob');
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('a draft is kept across a restart of the app', async ({ page, parley, signedInWithBob: bob, pageErrors }) => {
    await chatWith(page, 'bob', bob.aor);
    await send(page, 'before the restart');
    const id = await page.getByTestId('conversation').first().getAttribute('data-id');
    await page.getByTestId('composer-input').fill('half a thought 🙂');
    // Saved once typing pauses.
    await expect.poll(async () => (await parley.core.commands.getSnapshot({})).drafts[id!]).toBe('half a thought 🙂');

    // Quitting the app closes its window first.
    await page.goto('about:blank');
    await parley.restartApp();
    await openApp(page, parley);
    await conversationWith(page, bob.aor).click();
    await expect(page.getByTestId('composer-input')).toHaveValue('half a thought 🙂');
    await expect(page.getByTestId('message-body')).toHaveText(['before the restart']);
    // Sending it clears the kept draft too.
    await page.getByTestId('composer-input').press('Enter');
    await bob.waitFor((e: SequencedEvent) => e.type === 'message' && e.body === 'half a thought 🙂');
    await expect.poll(async () => (await parley.core.commands.getSnapshot({})).drafts[id!]).toBeUndefined();
    expect(pageErrors).toEqual([]);
  });
});
