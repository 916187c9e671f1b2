/**
 * The presence screens as a daily user meets them: a watcher request answered with "Allow and add
 * to contacts" into a group made on the spot, the status menu from the keyboard, the work-hours
 * profile entered through the settings page and read back from the week view and the preview at
 * a chosen time. alice is the `parley` page, bob a second Parley with its own page; nothing sleeps.
 * Screenshots go to /tmp/parley-presence-*.png (light and dark) for a person to look at.
 */
import type { Locator, Page } from '@playwright/test';
import { chooseFromMenu, expect, fillAccount, openApp, PASSWORD, showContacts, test } from './fixtures.js';

const SHOTS = '/tmp/parley-presence';

/** Light and dark, in a window tall enough that a section inside the scrolling page is whole. */
async function shoot(target: Page | Locator, name: string, page: Page, height = 2000): Promise<void> {
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: viewport?.width ?? 1100, height });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await target.screenshot({ path: `${SHOTS}-${name}-${scheme}.png` });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  if (viewport) await page.setViewportSize(viewport);
}

const withData = (scope: Page | Locator, testId: string, attribute: string, value: string): Locator =>
  scope.getByTestId(testId).and(scope.locator(`[${attribute}="${value}"]`));

async function addGroup(page: Page, name: string): Promise<void> {
  await page.getByTestId('group-new-name').fill(name);
  await page.getByTestId('group-add').click();
  await expect(page.getByTestId('group-name').last()).toHaveValue(name);
}

test.describe('presence screens', () => {
  test('a request shows the name; "Allow and add to contacts" puts them in a new group and lets them see me', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }) => {
    const bob = await uiPeer('bob');
    await openApp(page, parley);
    await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });
    await expect(page.getByTestId('registration-state')).toHaveText('Registered');
    const aliceAor = `sip:alice@${sip.domain}`;

    // Bob adds alice; his Parley subscribes and alice's is asked.
    await showContacts(bob.page);
    await bob.page.getByTestId('add-contact').click();
    const form = bob.page.getByTestId('contact-add-form');
    await form.getByTestId('contact-address').fill('alice');
    await form.getByTestId('contact-save').click();
    // Alice has not answered: adding her lets her see bob, and the form says so truthfully.
    await expect(form.getByTestId('contact-added-notice')).toContainText('can now see it');
    const aliceAtBob = withData(bob.page, 'buddy', 'data-aor', aliceAor);
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'awaiting');

    const request = withData(page, 'watcher-request', 'data-aor', bob.aor);
    await expect(request.getByTestId('watcher-request-name')).toHaveText('bob');
    await expect(request).toContainText(bob.aor);
    await request.getByTestId('watcher-request-group').selectOption({ label: 'New group…' });
    await request.getByTestId('watcher-request-new-group').fill('Friends');
    await shoot(page.getByTestId('watcher-requests'), 'request', page);
    await request.getByTestId('watcher-allow-add').click();

    // One step: the group exists, bob is a contact in it, allowed, and sees alice.
    await expect(page.getByTestId('watcher-requests')).toHaveCount(0);
    await showContacts(page);
    await expect(withData(page, 'buddy', 'data-group', 'friends')).toHaveAttribute('data-aor', bob.aor);
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'online');
    await expect(aliceAtBob.getByTestId('buddy-state')).toHaveText('Available');
    await chooseFromMenu(page, 'presence-settings-open');
    await expect(withData(page, 'watcher', 'data-aor', bob.aor)).toHaveAttribute('data-status', 'allowed');
    await shoot(page.getByTestId('settings-watchers'), 'watcher-list', page);

    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('work hours entered through the settings page: the week view and the preview at a chosen time agree', async ({
    page,
    parley,
    pageErrors,
  }) => {
    await openApp(page, parley);
    await fillAccount(page, { aor: 'sip:alice@parley.test', password: PASSWORD });

    // The status menu from the keyboard: Enter opens it on the current choice, Escape closes it and focus returns.
    const trigger = page.getByTestId('status-menu');
    await trigger.focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('status-popover')).toBeVisible();
    await expect(page.getByTestId('status-choice-online')).toBeFocused();
    await expect(page.getByRole('dialog', { name: 'Set my status' })).toContainText('Appear offline');
    await shoot(page.locator('.left-column'), 'status-menu', page, 720);
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('status-popover')).toBeHidden();
    await expect(trigger).toBeFocused();

    await chooseFromMenu(page, 'presence-settings-open');
    await addGroup(page, 'Friends');
    await addGroup(page, 'Co-workers');

    // A contact with a group made inside the form, whose long name and address must not be cut off.
    await showContacts(page);
    await page.getByTestId('add-contact').click();
    const contact = page.getByTestId('contact-add-form');
    await contact.getByTestId('contact-address').fill('sip:bartholomew.maximilian.featherstonehaugh@a-rather-long-domain.example.org');
    await contact.getByTestId('contact-new-group').fill('Book club and other very long group names');
    await contact.getByTestId('contact-new-group-add').click();
    await expect(withData(contact, 'contact-group', 'data-group', 'book-club-and-other-very-long-group-names')).toBeChecked();
    await contact.getByTestId('contact-save').click();
    await expect(contact.getByTestId('contact-added-notice')).toContainText('can now see it');
    await page.keyboard.press('Escape');
    await expect(contact).toHaveCount(0);

    // Work hours: busy to Friends, available to Co-workers, weekdays 09:00-17:00 in Berlin.
    await page.getByTestId('profile-new-name').fill('Work hours');
    await page.getByTestId('profile-new').click();
    const profile = page.getByTestId('profile-form');
    await profile.getByTestId('profile-view-friends').getByTestId('view-availability').selectOption('busy');
    await profile.getByTestId('profile-view-friends').getByTestId('view-note').fill('Heads down');
    await profile.getByTestId('profile-view-co-workers').getByTestId('view-availability').selectOption('online');
    await profile.getByTestId('profile-view-everyone').getByTestId('view-availability').selectOption('away');
    await profile.getByTestId('profile-save').click();
    await expect(withData(page, 'profile-pick', 'data-profile', 'work-hours')).toHaveAttribute('aria-pressed', 'true');
    const schedule = page.getByTestId('schedule-editor');
    await schedule.getByTestId('schedule-zone').fill('Europe/Berlin');
    await schedule.getByTestId('schedule-add-rule').click();
    await expect(schedule.getByTestId('rule-profile')).toHaveValue('work-hours');
    await schedule.getByTestId('schedule-save').click();
    await expect(schedule.getByTestId('schedule-error')).toHaveCount(0);

    // The week as Friends see it: weekdays busy 09:00-17:00 with the word, the weekend available all day.
    const week = page.getByTestId('week-view');
    await withData(week, 'week-audience', 'data-group', 'friends').check();
    await expect(week).toHaveAttribute('data-audience', 'friends');
    const tuesday = withData(week, 'week-day', 'data-weekday', '2');
    const busy = withData(tuesday, 'week-block', 'data-start', '09:00');
    await expect(busy).toHaveAttribute('data-end', '17:00');
    await expect(busy).toHaveAttribute('data-availability', 'busy');
    await expect(busy).toContainText('Busy — Heads down');
    await expect(busy).toContainText('Tuesday 09:00 to 17:00: Busy — Heads down (profile Work hours)');
    const saturday = withData(week, 'week-day', 'data-weekday', '6').getByTestId('week-block');
    await expect(saturday).toHaveCount(1);
    await expect(saturday).toHaveAttribute('data-availability', 'online');
    await expect(saturday).toContainText('Available');
    await shoot(page.getByTestId('settings-schedule'), 'schedule', page);
    // Co-workers see Available during work hours, everyone else Away.
    await withData(week, 'week-audience', 'data-group', 'co-workers').check();
    await expect(withData(tuesday, 'week-block', 'data-start', '09:00')).toHaveAttribute('data-availability', 'online');
    await withData(week, 'week-audience', 'data-group', '*').check();
    await expect(withData(tuesday, 'week-block', 'data-start', '09:00')).toHaveAttribute('data-availability', 'away');

    // The preview at a chosen time asks the core: Friends are told Busy on Tuesday 10:00, Available at 18:00.
    const at = page.getByTestId('preview-at');
    await at.getByTestId('preview-at-day').selectOption('2');
    await at.getByTestId('preview-at-time').fill('10:00');
    const friendsAt = withData(at, 'preview-at-group', 'data-group', 'friends').getByTestId('preview-answer');
    await expect(at.getByTestId('preview-at-when')).toContainText('Tuesday');
    await expect(friendsAt).toHaveAttribute('data-availability', 'busy');
    await expect(friendsAt).toContainText('Friends see Busy');
    await expect(withData(at, 'preview-at-group', 'data-group', 'co-workers').getByTestId('preview-answer')).toContainText(
      'Co-workers see Available',
    );
    await shoot(page.getByTestId('settings-preview'), 'preview', page);
    await at.getByTestId('preview-at-time').fill('18:00');
    await expect(friendsAt).toHaveAttribute('data-availability', 'online');
    await expect(friendsAt).toContainText('Available');
    await at.getByTestId('preview-at-day').selectOption('6');
    await at.getByTestId('preview-at-time').fill('10:00');
    await expect(friendsAt).toHaveAttribute('data-availability', 'online');

    // With work hours as the default profile, the status menu says who sees which state.
    await schedule.getByTestId('schedule-default').selectOption('work-hours');
    await schedule.getByTestId('schedule-save').click();
    await expect(page.getByTestId('status-split')).toHaveText(
      'Busy to Friends, Available to Co-workers, Away to Book club and other very long group names and everyone else',
    );
    await page.getByTestId('status-menu').click();
    await shoot(page.locator('.left-column'), 'status-split', page, 720);
    await page.keyboard.press('Escape');

    await shoot(page.getByTestId('settings-watchers'), 'watchers', page);
    await shoot(page.getByTestId('settings-groups'), 'groups', page);
    await shoot(page.getByTestId('settings-profiles'), 'profiles', page);
    await shoot(page, 'page', page, 720);
    expect(pageErrors).toEqual([]);
  });
});
