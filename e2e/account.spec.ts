import { expect, fillAccount, openApp, PASSWORD, test } from './fixtures.js';

test.describe('account and registration', () => {
  test('the right password registers alice, and the badge says so', async ({ page, parley, sip, pageErrors }, testInfo) => {
    await openApp(page, parley);
    // The token has been traded for a cookie and is gone from the address bar.
    expect(page.url()).toBe(`${parley.origin}/`);
    // First start: Parley already listens, and shows the address others can reach it at, to copy.
    await expect(page.getByTestId('first-start')).toBeVisible();
    const direct = page.getByTestId('direct-address').first();
    await expect(direct).toHaveValue(/^sip:.*127\.0\.0\.1:\d+/);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: parley.origin });
    await page.getByTestId('direct-address-copy').first().click();
    await expect(page.getByTestId('direct-address-copy').first()).toHaveText('Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(await direct.inputValue());

    await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });

    const state = page.getByTestId('registration-state');
    await expect(state).toHaveText('Registered');
    await expect(state).toHaveAttribute('data-state', 'registered');
    await expect(page.getByTestId('registration-detail')).toContainText(/expires in \d+ min/);
    // The form closes once registered; the name is shown, the address is its tooltip.
    await expect(page.getByTestId('account-form')).toHaveCount(0);
    await expect(page.getByTestId('account-aor-display')).toHaveText('alice');
    await expect(page.getByTestId('account-aor-display')).toHaveAttribute('title', `sip:alice@${sip.domain}`);
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
    // The person stays in the form, told at the password field, and can fix it there.
    const password = page.getByTestId('account-password');
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator(`#${await password.getAttribute('aria-describedby').then((ids) => ids!.split(' ').pop())}`)).toContainText(
      /refused the password/i,
    );
    await fillAccount(page, { aor: `sip:alice@${sip.domain}`, password: PASSWORD, proxy: sip.uri('udp') });
    await expect(page.getByTestId('registration-state')).toHaveText('Registered');
    await expect(page.getByTestId('account-form')).toHaveCount(0);
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
