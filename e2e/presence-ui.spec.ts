/**
 * Presence in the UI: alice is the `parley` fixture's page, bob a second Parley with its own page
 * (`uiPeer`), both registered at the bundled Kamailio, which relays SUBSCRIBEs for alice to her
 * Parley (direct presence). Every wait is on something a page shows; nothing sleeps.
 */
import type { Locator, Page } from '@playwright/test';
import { AUTO_MODE_EXPLANATION, DIRECT_MODE_EXPLANATION, SERVER_MODE_EXPLANATION } from '../shared/ipc.js';
import type { RunningServer } from '../server/kamailio.js';
import { chooseFromMenu, showContacts, expect, fillAccount, openApp, PASSWORD, test, type ParleyUnderTest } from './fixtures.js';

async function signIn(page: Page, parley: ParleyUnderTest, sip: RunningServer): Promise<void> {
  await openApp(page, parley);
  await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });
  await expect(page.getByTestId('registration-state')).toHaveText('Registered');
}

/** Direct mode, no server: presence settings work the same, no SIP needed. */
async function signInDirect(page: Page, parley: ParleyUnderTest): Promise<void> {
  await openApp(page, parley);
  await fillAccount(page, { aor: 'sip:alice@parley.test', password: PASSWORD });
  await expect(page.getByTestId('status-active')).toBeVisible();
}

const withData = (page: Page, testId: string, attribute: string, value: string): Locator =>
  page.getByTestId(testId).and(page.locator(`[${attribute}="${value}"]`));

async function addGroup(page: Page, name: string): Promise<void> {
  await page.getByTestId('group-new-name').fill(name);
  await page.getByTestId('group-add').click();
  await expect(page.getByTestId('group-name').last()).toHaveValue(name);
}

async function addContact(page: Page, address: string, groups: string[] = []): Promise<void> {
  const form = page.getByTestId('contact-add-form');
  if (!(await form.isVisible())) {
    await showContacts(page);
    await page.getByTestId('add-contact').click();
  }
  await form.getByTestId('contact-address').fill(address);
  for (const group of groups) await form.locator(`[data-testid="contact-group"][data-group="${group}"]`).check();
  await form.getByTestId('contact-save').click();
  await expect(form.getByTestId('contact-address')).toHaveValue('');
  // Done adding: the dialog closes with Escape.
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('contact-add-dialog')).toHaveCount(0);
}

test.describe('presence UI', () => {
  test('a watcher request allowed into a group changes the preview; my status, a block and a clear reach the watcher’s buddy list', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }) => {
    const bob = await uiPeer('bob');
    await signIn(page, parley, sip);
    const aliceAor = `sip:alice@${sip.domain}`;

    await chooseFromMenu(page, 'presence-settings-open');
    await addGroup(page, 'Friends');
    // Before bob asks, alice's Parley would keep him pending: he would see nothing real.
    await page.getByTestId('preview-address').fill(bob.aor);
    await page.getByTestId('preview-ask').click();
    const picked = page.getByTestId('preview-picked').getByTestId('preview-answer');
    await expect(picked).toHaveAttribute('data-source', 'pending');
    await expect(picked).toHaveAttribute('data-availability', 'offline');

    // Bob adds alice to his contacts: his Parley subscribes, Kamailio relays it to alice's.
    await addContact(bob.page, 'alice');
    const aliceAtBob = withData(bob.page, 'buddy', 'data-aor', aliceAor);
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'awaiting');
    await expect(aliceAtBob.getByTestId('buddy-state')).toHaveText('Awaiting authorization');

    const request = page.getByTestId('watcher-request').filter({ hasText: bob.aor });
    await expect(request).toBeVisible();
    await request.getByTestId('watcher-request-group').selectOption({ label: 'Friends' });
    await request.getByTestId('watcher-allow-add').click();
    await expect(page.getByTestId('watcher-requests')).toHaveCount(0);

    // Allowed into Friends: the preview now says what Friends see, for bob and for the group.
    await expect(picked).toHaveAttribute('data-source', 'profile');
    await expect(picked).toHaveAttribute('data-availability', 'online');
    await expect(withData(page, 'preview-group', 'data-group', 'friends').getByTestId('preview-answer')).toHaveAttribute(
      'data-availability',
      'online',
    );
    await showContacts(page);
    await expect(withData(page, 'buddy', 'data-group', 'friends')).toHaveAttribute('data-aor', bob.aor);
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'online');

    // A status set by hand, until cleared, with a note: bob's buddy list shows both.
    await page.getByTestId('status-menu').click();
    await page.getByTestId('status-choice-busy').check();
    await page.getByTestId('status-note-input').fill('In a meeting');
    await page.getByTestId('status-until-select').selectOption('cleared');
    await page.getByTestId('status-set').click();
    await expect(page.getByTestId('status-active')).toHaveAttribute('data-availability', 'busy');
    await expect(page.getByTestId('status-source')).toHaveText('Set by hand');
    await expect(page.getByTestId('status-until')).toHaveText('until you clear it');
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'busy');
    await expect(aliceAtBob.getByTestId('buddy-note')).toHaveText('In a meeting');
    await expect(picked).toHaveAttribute('data-source', 'manual');

    // Blocked from the watcher list: bob sees alice offline (a polite block).
    const bobWatching = withData(page, 'watcher', 'data-aor', bob.aor);
    await expect(bobWatching).toHaveAttribute('data-status', 'allowed');
    await bobWatching.getByTestId('watcher-toggle').click();
    await expect(bobWatching).toHaveAttribute('data-status', 'blocked');
    await expect(picked).toHaveAttribute('data-source', 'blocked');
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'offline');
    await bobWatching.getByTestId('watcher-toggle').click();
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'busy');

    // Cleared: back to the schedule (the default profile: online).
    await page.getByTestId('status-menu').click();
    await page.getByTestId('status-clear').click();
    await expect(page.getByTestId('status-active')).toHaveAttribute('data-manual', 'false');
    await expect(aliceAtBob).toHaveAttribute('data-shown', 'online');
    await expect(aliceAtBob.getByTestId('buddy-note')).toHaveCount(0);

    // A chat starts from the buddy list.
    await aliceAtBob.getByTestId('buddy-chat').click();
    await expect(bob.page.getByTestId('conversation-view')).toHaveAttribute('data-peer', aliceAor);

    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('profile and schedule editing: the core’s refusals next to the forms, then the group preview follows the schedule', async ({
    page,
    parley,
    pageErrors,
  }) => {
    await signInDirect(page, parley);
    await chooseFromMenu(page, 'presence-settings-open');
    await addGroup(page, 'Friends');
    // A group with no one in it yet has its preview too (asked per group, not through a member).
    const friendsPreview = withData(page, 'preview-group', 'data-group', 'friends').getByTestId('preview-answer');
    await expect(friendsPreview).toHaveAttribute('data-availability', 'online');
    await expect(withData(page, 'preview-group', 'data-group', '*').getByTestId('preview-answer')).toContainText(
      'Everyone else sees Available',
    );
    await addContact(page, 'sip:bob@parley.test', ['friends']);

    // A profile: Friends see Busy with a note, everyone else Available.
    await page.getByTestId('profile-new-name').fill('Work hours');
    await page.getByTestId('profile-new').click();
    const form = page.getByTestId('profile-form');
    await form.getByTestId('profile-view-friends').getByTestId('view-availability').selectOption('busy');
    await form.getByTestId('profile-view-friends').getByTestId('view-note').fill('Heads down');
    await form.getByTestId('profile-save').click();
    await expect(withData(page, 'profile-pick', 'data-profile', 'work-hours')).toHaveAttribute('aria-pressed', 'true');
    await expect(form.getByTestId('profile-delete')).toBeVisible();

    // A rule for every day, all day, in a time zone that does not exist: the core refuses it.
    const schedule = page.getByTestId('schedule-editor');
    await schedule.getByTestId('schedule-zone').fill('Mars/Olympus');
    await schedule.getByTestId('schedule-add-rule').click();
    const rule = schedule.getByTestId('schedule-rule');
    await expect(rule.getByTestId('rule-profile')).toHaveValue('work-hours');
    for (const day of ['0', '6']) await rule.locator(`[data-testid="rule-day"][data-day="${day}"]`).check();
    await rule.getByTestId('rule-start').fill('00:00');
    await rule.getByTestId('rule-end').fill('00:00');
    await schedule.getByTestId('schedule-save').click();
    await expect(schedule.getByTestId('schedule-error')).toContainText('IANA time zone');
    await expect(page.getByTestId('status-label')).toHaveText('Available');
    await expect(friendsPreview).toHaveAttribute('data-availability', 'online');

    // Fixed, it is taken: Work hours is active now, and Friends see Busy.
    await schedule.getByTestId('schedule-zone').fill('UTC');
    await schedule.getByTestId('schedule-save').click();
    await expect(page.getByTestId('status-label')).toHaveText('Work hours');
    await expect(page.getByTestId('status-source')).toHaveText('From the schedule');
    await expect(schedule.getByTestId('schedule-error')).toHaveCount(0);
    await expect(friendsPreview).toHaveAttribute('data-availability', 'busy');
    await expect(friendsPreview).toContainText('Heads down');
    await page.getByTestId('preview-address').fill('sip:carol@parley.test');
    await page.getByTestId('preview-ask').click();
    await expect(page.getByTestId('preview-picked').getByTestId('preview-answer')).toHaveAttribute('data-source', 'pending');

    // The schedule uses the profile: deleting it is refused, with the reason next to the profile.
    await form.getByTestId('profile-delete').click();
    await expect(form.getByTestId('profile-error')).toContainText('uses profile "work-hours"');
    await expect(withData(page, 'profile-pick', 'data-profile', 'work-hours')).toBeVisible();

    // Renamed: the status menu follows.
    await form.getByTestId('profile-name').fill('Office');
    await form.getByTestId('profile-save').click();
    await expect(page.getByTestId('status-label')).toHaveText('Office');
    expect(pageErrors).toEqual([]);
  });

  test('the account form explains what each presence mode means for per-group views', async ({ page, parley, sip, pageErrors }) => {
    await signIn(page, parley, sip);
    await chooseFromMenu(page, 'edit-account');
    await expect(page.getByTestId('presence-mode-auto')).toBeChecked();
    await expect(page.getByTestId('presence-mode-explanation')).toHaveText(AUTO_MODE_EXPLANATION);
    // The probe found the bundled server relaying watchers' requests: Parley serves them.
    await expect(page.getByTestId('presence-service-now')).toContainText('Served by Parley (found automatically)');
    await page.getByTestId('presence-mode-direct').check();
    await expect(page.getByTestId('presence-mode-explanation')).toHaveText(DIRECT_MODE_EXPLANATION);
    await page.getByTestId('presence-mode-server').check();
    await expect(page.getByTestId('presence-mode-explanation')).toHaveText(SERVER_MODE_EXPLANATION);
    await page.getByTestId('account-submit').click();
    await expect(page.getByTestId('account-form')).toHaveCount(0);
    await expect(page.getByTestId('registration-state')).toHaveText('Registered');
    const snapshot = await parley.core.commands.getSnapshot({});
    expect(snapshot.account?.presenceMode).toBe('server');

    // The presence settings say so too, and the form remembers the choice.
    await chooseFromMenu(page, 'presence-settings-open');
    await expect(page.getByTestId('server-mode-note')).toHaveText(SERVER_MODE_EXPLANATION);
    await chooseFromMenu(page, 'edit-account');
    await expect(page.getByTestId('presence-mode-server')).toBeChecked();
    // Without a server there is nothing to choose: Parley is its own presence agent.
    await page.getByLabel('Proxy / registrar (optional)').fill('');
    await expect(page.getByTestId('presence-mode')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  });
});
