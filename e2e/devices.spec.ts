import { chooseFromMenu, expect, signIn, test } from './fixtures.js';

test.describe("the account's devices", () => {
  test("the account view lists this device and alice's other one, and renames this one", async ({
    page,
    parley,
    sip,
    registeredPeer,
    pageErrors,
  }, testInfo) => {
    await signIn(page, parley, sip);
    const phone = await registeredPeer('alice');
    await phone.core.commands.setDeviceName({ name: 'Phone <b>not bold</b>' });
    await chooseFromMenu(page, 'edit-account');
    const list = page.getByTestId('devices-list');
    await expect(list).toBeVisible();
    await page.getByTestId('device-name').fill('Work laptop');
    await page.getByTestId('device-name-save').click();

    const self = list.locator('[data-testid="device"][data-self="true"]');
    await expect(self).toContainText('Work laptop (this device)');
    await expect(self.getByTestId('device-state')).toHaveText('Online');
    const other = list.locator('[data-testid="device"][data-self="false"]');
    // the name is the phone's own text, shown as text
    await expect(other).toContainText('Phone <b>not bold</b>');
    await expect(other.getByTestId('device-state')).toHaveText('Online');
    await expect(list.locator('b')).toHaveCount(0);
    await list.scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('devices.png'), fullPage: true });
    await list.screenshot({ path: testInfo.outputPath('devices-list.png') });
    expect(pageErrors).toEqual([]);
  });
});
