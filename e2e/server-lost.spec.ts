/**
 * The bundled Kamailio stopped under a signed-in Parley and started again: the window tells the
 * truth throughout. While the server is gone the own status says Offline and why (watchers cannot
 * see us), buddies are out of date, and a message sent waits for the server; once it is back,
 * Parley registers again by itself and everything recovers. Every wait is on what the page shows.
 */
import type { SequencedEvent } from '../shared/ipc.js';
import { startKamailio, type RunningServer } from '../server/kamailio.js';
import { send } from './chat-helpers.js';
import { expect, PASSWORD, showContacts, test as base } from './fixtures.js';

const USERS = ['alice', 'bob'].map((user) => ({ user, password: PASSWORD }));

// A server of this spec's own: it is stopped and started again on the same port.
const test = base.extend<object, { sip: RunningServer }>({
  sip: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const server = await startKamailio({ auth: true, users: USERS });
      try {
        await use(server);
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],
});

test('the server stopped and started again: offline and why, buddies out of date, a message waits, then all recovers', async ({
  page,
  parley,
  sip,
  signedInWithBob: bob,
  pageErrors,
}) => {
  const alice = `sip:alice@${sip.domain}`;

  // Bob is a contact whose presence alice sees.
  await parley.core.commands.saveContact({ aor: bob.aor, name: 'Bob Keller', groups: [] });
  await bob.waitFor((e: SequencedEvent) => e.type === 'watcher' && e.watcher.aor === alice);
  await bob.core.commands.answerWatcher({ aor: alice, decision: 'allow' });
  await showContacts(page);
  const buddy = page.getByTestId('buddy').and(page.locator(`[data-aor="${bob.aor}"]`));
  await expect(buddy).toHaveAttribute('data-shown', 'online');
  await expect(buddy).toHaveAttribute('data-stale', 'false');
  const status = page.getByTestId('status-active');
  await expect(status).toHaveAttribute('data-connected', 'true');
  await expect(page.getByTestId('status-label')).toHaveText('Available');

  let restarted: RunningServer | undefined;
  try {
    await sip.stop();
    // Within seconds: not "Available" any more, with the reason; the buddy list is out of date.
    await expect(status).toHaveAttribute('data-connected', 'false', { timeout: 10_000 });
    await expect(page.getByTestId('status-label')).toHaveText('Offline');
    await expect(page.getByTestId('status-offline')).not.toBeEmpty();
    await expect(page.getByTestId('registration-state')).toHaveText('Retrying');
    await expect(buddy).toHaveAttribute('data-stale', 'true');
    await expect(buddy.getByTestId('buddy-state')).toContainText('(out of date)');

    // A message written now waits for the server, and says so.
    await buddy.getByTestId('buddy-chat').click();
    await send(page, 'are you there?');
    const message = page.getByTestId('message').filter({ hasText: 'are you there?' });
    await expect(message.getByTestId('message-state')).toHaveText('Waiting for the server');

    restarted = await startKamailio({ auth: true, users: USERS, port: sip.port });
    await expect(page.getByTestId('registration-state')).toHaveText('Registered', { timeout: 15_000 });
    await expect(status).toHaveAttribute('data-connected', 'true');
    await expect(page.getByTestId('status-label')).toHaveText('Available');
    await expect(buddy).toHaveAttribute('data-stale', 'false');
    // The waiting message goes once the server is back, and bob has it once.
    await bob.waitFor((e: SequencedEvent) => e.type === 'message' && e.body === 'are you there?', 30_000);
    // Taken (Sent; Delivered once bob's receipt is back, which is best effort), or kept by the
    // server until bob's own Parley has registered again.
    await expect(message.getByTestId('message-state')).toHaveText(/^(Sent|Delivered|Stored for later)$/);
    expect(bob.events.filter((e) => e.type === 'message' && e.body === 'are you there?')).toHaveLength(1);
  } finally {
    await restarted?.stop();
  }
  expect(pageErrors).toEqual([]);
});
