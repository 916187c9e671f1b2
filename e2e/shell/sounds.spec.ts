/**
 * Sounds and do-not-disturb in the Electron shell: the shell decides (shared/notify/attention.ts),
 * shows a silent native notification and asks the main window for the sound, which the window
 * plays unless muted. The page never shows a Web Notification of its own there (no double notice).
 */
import type { Page } from '@playwright/test';
import type { ParleyApi } from '../../shared/ipc.js';
import { sendDelivered } from '../chat-helpers.js';
import { chooseFromMenu } from '../fixtures.js';
import { expect, signInShell, test } from './fixtures.js';

/** The main page's globals this spec adds (type-checked without the DOM library). */
interface Spied {
  __sounds: string[];
  __webNotices: number;
  parley: ParleyApi;
}

/** Record every sound played and every Web Notification made in the page (the real ones still run). */
const spy = (page: Page) =>
  page.evaluate(() => {
    const page = globalThis as unknown as Spied & {
      HTMLMediaElement: { prototype: { play(): Promise<void>; src: string } };
      Notification: new (title: string, options?: unknown) => object;
    };
    page.__sounds = [];
    page.__webNotices = 0;
    const play = page.HTMLMediaElement.prototype.play;
    page.HTMLMediaElement.prototype.play = function (this: { src: string }) {
      page.__sounds.push(this.src);
      return play.call(this);
    };
    const Real = page.Notification;
    page.Notification = class extends Real {
      constructor(title: string, options?: unknown) {
        page.__webNotices += 1;
        super(title, options);
      }
    };
  });
const sounds = (page: Page) => page.evaluate(() => (globalThis as unknown as Spied).__sounds);

test.describe('shell: sounds and do-not-disturb', () => {
  test('a notice sounds once from the window, mute silences it, busy silences all unless the setting is off', async ({
    launch,
    sip,
    registeredPeer,
  }) => {
    const shell = await launch();
    const page = await shell.mainPage();
    await signInShell(page, sip);
    await spy(page);
    const bob = await registeredPeer('bob');
    const alice = `sip:alice@${sip.domain}`;
    const away = () => shell.electron.BrowserWindow.getFocusedWindow()?.blur();

    away();
    await sendDelivered(bob, alice, 'ding');
    await expect.poll(() => shell.notifications().length).toBe(1);
    // The native notice is silent: the sound is Parley's own, played by the main window.
    expect(shell.notifications()[0]!.options).toMatchObject({ silent: true });
    await expect.poll(() => sounds(page)).toHaveLength(1);
    expect((await sounds(page))[0]).toMatch(/\/assets\/message-[\w-]+\.wav$/);
    // No second notice from the page itself.
    expect(await page.evaluate(() => (globalThis as unknown as Spied).__webNotices)).toBe(0);

    // Muted from the quick switch: the notice shows, no sound.
    await page.getByTestId('quick-mute').click();
    await expect(page.getByTestId('quick-mute')).toHaveAttribute('aria-pressed', 'true');
    away();
    await sendDelivered(bob, alice, 'quiet ding');
    await expect.poll(() => shell.notifications().length).toBe(2);
    expect(await sounds(page)).toHaveLength(1);

    // Busy, with do-not-disturb (the default): no notice at all.
    const busy = await page.evaluate(() =>
      (globalThis as unknown as Spied).parley.setStatus({ view: { availability: 'busy', activities: [] }, until: 'cleared' }),
    );
    expect(busy.ok).toBe(true);
    await expect(page.getByTestId('status-label')).toHaveText('Busy');
    away();
    await sendDelivered(bob, alice, 'not now');
    await expect(page.getByTestId('conversation').first()).toContainText('not now');
    expect(shell.notifications()).toHaveLength(2);

    // Do-not-disturb turned off in the settings view: busy notifies again (the shell heeds the setting).
    await chooseFromMenu(page, 'menu-chat-settings');
    await page.getByTestId('setting-quiet-when-busy').uncheck();
    await expect(page.getByTestId('setting-quiet-when-busy')).not.toBeChecked();
    away();
    await sendDelivered(bob, alice, 'busy but told');
    await expect.poll(() => shell.notifications().length).toBe(3);
    expect(shell.notifications()[2]!.options.body).toContain('busy but told');
  });
});
