/**
 * 5,000 contacts in ten groups: the contact list stays a screenful of DOM (virtualised), typing
 * filters it to the one person, folding a group hides its members. Direct mode: the contacts'
 * addresses are on a closed local port, so their subscriptions fail fast and touch no server.
 */
import { expect, fillAccount, openApp, PASSWORD, showContacts, test } from './fixtures.js';

const GROUPS = 10;
const CONTACTS = 5_000;
const FIRST = ['Ana', 'Björn', 'Chen', 'Dana', 'Émile', 'Farah', 'Goran', 'Hana', 'Ines', 'Jonas'];

test('5,000 contacts: a screenful of rows, filtered by typing, groups fold', async ({ page, parley, pageErrors }) => {
  test.setTimeout(180_000);
  await openApp(page, parley);
  await fillAccount(page, { aor: 'sip:alice@127.0.0.1', password: PASSWORD });
  const { commands } = parley.core;
  for (let g = 0; g < GROUPS; g++) await commands.saveGroup({ id: `g${g}`, name: `Team ${g + 1}` });
  for (let i = 0; i < CONTACTS; i++) {
    await commands.saveContact({
      aor: `sip:user${i}@127.0.0.1:9`,
      name: `${FIRST[i % FIRST.length]} Person${i}`,
      groups: [`g${i % GROUPS}`],
    });
  }

  await showContacts(page);
  const groups = page.getByTestId('buddy-group');
  await expect(groups.first()).toContainText('Team 1');
  await expect(groups.first()).toContainText(`/${CONTACTS / GROUPS}`);
  // Virtualised: only rows near the view are in the page.
  expect(await page.getByTestId('buddy').count()).toBeLessThan(120);
  await page.screenshot({ path: test.info().outputPath('5000-contacts.png') });

  // Typing filters, accents and case aside.
  await page.getByTestId('list-filter').fill('emile person4324');
  const match = page.getByTestId('buddy');
  await expect(match).toHaveCount(1);
  await expect(match).toHaveAttribute('data-aor', 'sip:user4324@127.0.0.1:9');
  await expect(groups).toHaveCount(1);
  await expect(groups).toContainText('Team 5');
  await page.getByTestId('list-filter').fill('');

  // Folding the first group brings the second one's header up.
  await groups.first().getByTestId('group-toggle').click();
  await expect(groups.first().getByTestId('group-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(groups.nth(1)).toContainText('Team 2');
  expect(pageErrors).toEqual([]);
});
