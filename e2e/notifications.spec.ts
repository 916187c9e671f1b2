/**
 * The browser host's notices: Web Notifications and the notice sounds, by the same rules as the
 * Electron shell's (shared/notify/notices.ts). The page's Notification, its requestPermission,
 * window.focus and HTMLMediaElement.play are wrapped by an init script that records each call (the
 * real ones still run), and document.hasFocus answers what the test says: the user is elsewhere.
 */
import type { Page } from '@playwright/test';
import { sendDelivered } from './chat-helpers.js';
import { chooseFromMenu, expect, signIn, test } from './fixtures.js';

interface Recorded {
  notices: { title: string; body: string; tag: string }[];
  sounds: string[];
  permissionAsked: number;
  focused: number;
}

/** The page's globals the init script adds (this file is type-checked without the DOM library). */
interface RecordingPage {
  __recorded: Recorded;
  __notifications: { tag: string; dispatchEvent(event: unknown): boolean }[];
  __away: boolean;
  Event: new (type: string) => unknown;
  dispatchEvent(event: unknown): boolean;
}

/** Runs in the page before its scripts: records, then calls the real thing. */
const RECORD_NOTICES = `(() => {
  const recorded = { notices: [], sounds: [], permissionAsked: 0, focused: 0 };
  window.__recorded = recorded;
  window.__notifications = [];
  window.__away = false;
  const Real = window.Notification;
  class Recording extends Real {
    constructor(title, options = {}) {
      recorded.notices.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
      super(title, options);
      window.__notifications.push(this);
    }
    static get permission() { return Real.permission; }
    static requestPermission() { recorded.permissionAsked += 1; return Real.requestPermission(); }
  }
  window.Notification = Recording;
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    recorded.sounds.push(this.currentSrc || this.src);
    return play.call(this);
  };
  const focus = window.focus.bind(window);
  window.focus = () => { recorded.focused += 1; window.__away = false; focus(); };
  const hasFocus = Document.prototype.hasFocus;
  Document.prototype.hasFocus = function () { return !window.__away && hasFocus.call(this); };
})();`;

const recorded = (page: Page) => page.evaluate(() => (globalThis as unknown as RecordingPage).__recorded);
/** The user goes to another application: the tab loses the focus. */
const leave = (page: Page) =>
  page.evaluate(() => {
    const page = globalThis as unknown as RecordingPage;
    page.__away = true;
    page.dispatchEvent(new page.Event('blur'));
  });

test.describe('browser host notifications', () => {
  test('permission is asked from the settings view; a message notifies by name, coalesced, with its sound; a click opens the chat', async ({
    page,
    context,
    parley,
    sip,
    registeredPeer,
    pageErrors,
  }) => {
    await page.addInitScript({ content: RECORD_NOTICES });
    // The watcher is dora, whom no other spec uses: the server holds a watcher's SUBSCRIBE for up
    // to 300 s (server/kamailio.cfg, HOLD_EXPIRES), so an earlier spec's bob may still be waiting
    // as alice's watcher, and alice hears of him at login. What this test checks is counted from
    // the moment the page may notify.
    const dora = await registeredPeer('dora');
    const alice = `sip:alice@${sip.domain}`;
    await signIn(page, parley, sip);
    // Nothing is asked on load.
    expect((await recorded(page)).permissionAsked).toBe(0);

    await chooseFromMenu(page, 'menu-chat-settings');
    const field = page.getByTestId('web-notifications');
    await expect(field).toHaveAttribute('data-permission', 'default');
    // The browser's prompt, answered "Allow" (Playwright grants for the origin).
    await context.grantPermissions(['notifications']);
    await field.getByTestId('web-notifications-allow').click();
    await expect(field).toHaveAttribute('data-permission', 'granted');
    await expect(field).toContainText('This browser shows Parley’s notifications.');
    expect((await recorded(page)).permissionAsked).toBe(1);
    await page.getByTestId('chat-settings').getByRole('button', { name: 'Done' }).click();

    // A watcher request: dora (not yet one of alice's contacts) adds alice; she is asked, with the request sound.
    await leave(page);
    const asked = (await recorded(page)).sounds.length;
    await dora.core.commands.saveContact({ aor: alice, name: 'Alice', groups: [] });
    const fromDora = async () => (await recorded(page)).notices.filter((n) => n.body.includes('dora'));
    await expect.poll(async () => (await fromDora()).map((n) => n.body)).toEqual(['dora wants to see your status']);
    const requestSounds = (await recorded(page)).sounds.slice(asked);
    expect(requestSounds.length).toBeGreaterThan(0);
    for (const sound of requestSounds) expect(sound).toMatch(/\/assets\/request-[\w-]+\.wav$/);

    // Alice names her: notices say the contact's name.
    await parley.core.commands.saveContact({ aor: dora.aor, name: 'Dora Keller', groups: [] });
    const heard = (await recorded(page)).sounds.length;
    const fromContact = async () => (await recorded(page)).notices.filter((n) => n.title === 'Dora Keller');
    await sendDelivered(dora, alice, 'lunch <b>at</b> noon?');
    await expect.poll(async () => (await fromContact()).length).toBe(1);
    await sendDelivered(dora, alice, 'the usual place');
    await expect.poll(async () => (await fromContact()).length).toBe(2);
    const notices = await fromContact();
    expect(notices[0]).toMatchObject({ body: 'lunch <b>at</b> noon?' });
    expect(notices[1]).toMatchObject({ body: '2 new messages\nthe usual place', tag: notices[0]!.tag });
    expect(notices[0]!.tag).toMatch(/^conversation:/);
    const sounds = (await recorded(page)).sounds;
    expect(sounds.slice(heard)).toHaveLength(2);
    for (const sound of sounds.slice(heard)) expect(sound).toMatch(/\/assets\/message-[\w-]+\.wav$/);

    // The bundled sound is served, with its type, under the page's CSP.
    const served = await page.request.get(requestSounds[0]!);
    expect(served.status()).toBe(200);
    expect(served.headers()['content-type']).toBe('audio/wav');

    // The user clicks dora's notification.
    await page.evaluate((tag) => {
      const page = globalThis as unknown as RecordingPage;
      page.__notifications
        .filter((n) => n.tag === tag)
        .at(-1)!
        .dispatchEvent(new page.Event('click'));
    }, notices[0]!.tag);
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', dora.aor);
    expect((await recorded(page)).focused).toBeGreaterThan(0);

    expect(pageErrors).toEqual([]);
  });

  test('nothing for the conversation being read; mute silences the sound; busy means do not disturb unless turned off', async ({
    page,
    context,
    parley,
    sip,
    registeredPeer,
    pageErrors,
  }) => {
    await context.grantPermissions(['notifications']);
    await page.addInitScript({ content: RECORD_NOTICES });
    const bob = await registeredPeer('bob');
    const alice = `sip:alice@${sip.domain}`;
    await signIn(page, parley, sip);

    // Reading bob's conversation in the focused tab: no notice, no sound.
    await sendDelivered(bob, alice, 'first');
    await page.getByTestId('conversation').first().click();
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', bob.aor);
    await sendDelivered(bob, alice, 'while reading');
    await expect(page.getByTestId('conversation-view')).toContainText('while reading');
    expect((await recorded(page)).notices.filter((n) => n.body.includes('while reading'))).toEqual([]);

    // The quick switch mutes: the notification still shows, the sound does not.
    const mute = page.getByTestId('quick-mute');
    await expect(mute).toHaveAttribute('aria-pressed', 'false');
    await mute.click();
    await expect(mute).toHaveAttribute('aria-pressed', 'true');
    await leave(page);
    const soundsBefore = (await recorded(page)).sounds.length;
    await sendDelivered(bob, alice, 'muted one');
    await expect.poll(async () => (await recorded(page)).notices.at(-1)?.body).toContain('muted one');
    expect((await recorded(page)).sounds).toHaveLength(soundsBefore);

    // Busy: nothing at all.
    await parley.core.commands.setStatus({ view: { availability: 'busy', activities: [] }, until: 'cleared' });
    await expect(page.getByTestId('status-menu')).toContainText('Busy');
    const noticesBefore = (await recorded(page)).notices.length;
    await sendDelivered(bob, alice, 'do not disturb');
    await expect(page.getByTestId('conversation-view')).toContainText('do not disturb');
    expect((await recorded(page)).notices).toHaveLength(noticesBefore);

    // The setting off: busy still notifies.
    await page.evaluate(() => ((globalThis as unknown as RecordingPage).__away = false));
    await chooseFromMenu(page, 'menu-chat-settings');
    await expect(page.getByTestId('setting-mute-sounds')).toBeChecked();
    await page.getByTestId('setting-quiet-when-busy').uncheck();
    await expect.poll(() => parley.core.commands.getChatSettings({})).toMatchObject({ muteSounds: true, quietWhenBusy: false });
    await leave(page);
    await sendDelivered(bob, alice, 'busy but told');
    await expect.poll(async () => (await recorded(page)).notices.at(-1)?.body).toContain('busy but told');
    expect(pageErrors).toEqual([]);
  });
});
