import { expect, fillAccount, openApp, PASSWORD, test } from './fixtures.js';

test.describe('account and registration', () => {
  test('the right password registers alice, and the badge says so', async ({ page, parley, sip, pageErrors }, testInfo) => {
    await openApp(page, parley);
    // The token has been traded for a cookie and is gone from the address bar.
    expect(page.url()).toBe(`${parley.origin}/`);
    await expect(page.getByTestId('registration-state')).toHaveText('Not set up');

    await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });

    const state = page.getByTestId('registration-state');
    await expect(state).toHaveText('Registered');
    await expect(state).toHaveAttribute('data-state', 'registered');
    await expect(page.getByTestId('registration-detail')).toContainText(/expires in \d+ min/);
    await expect(page.getByTestId('account-aor-display')).toContainText(`sip:alice@${sip.domain}`);
    await page.screenshot({ path: testInfo.outputPath('registered.png') });
    expect(pageErrors).toEqual([]);
  });

  test('a wrong password shows a clear failure about the password', async ({ page, parley, sip, pageErrors }, testInfo) => {
    await openApp(page, parley);
    await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: 'not-the-password', proxy: sip.uri('udp') });

    await expect(page.getByTestId('registration-state')).toHaveText('Registration failed');
    await expect(page.getByTestId('registration-state')).toHaveAttribute('data-state', 'failed');
    const detail = page.getByTestId('registration-detail');
    await expect(detail).toContainText(/refused the password/i);
    // The account stays, so the person can fix it.
    await expect(page.getByTestId('edit-account')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('wrong-password.png') });
    expect(pageErrors).toEqual([]);
  });

  test('without a proxy Parley works directly and shows where it can be reached', async ({ page, parley, pageErrors }) => {
    await openApp(page, parley);
    await fillAccount(page, { aor: 'sip:alice@127.0.0.1', password: '' });
    await expect(page.getByTestId('registration-state')).toHaveText('Direct');
    await expect(page.getByTestId('registration-detail')).toContainText(/others reach you at sip:[^ ]*127\.0\.0\.1:\d+/);
    expect(pageErrors).toEqual([]);
  });
});
