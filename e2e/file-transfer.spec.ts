/**
 * Sending a file from the window, Parley <-> Parley through the bundled Kamailio (RFC 5547 over
 * MSRP): alice attaches a file with the composer's button (the browser's own file chooser) or drops
 * one on the conversation; the page hands its bytes to her core (no path crosses), her core offers
 * it to bob, bob's page shows the offer card, and Accept brings the same bytes into his downloads
 * folder, Decline tells alice. A hostile name is shown as text. Screenshots of each state, light
 * and dark, go in the test's output folder.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, TestInfo } from '@playwright/test';
import type { FileTransfer, SequencedEvent } from '../shared/ipc.js';
import { dispatch } from '../electron/hosts/dispatch.js';
import type { RunningServer } from '../server/kamailio.js';
import { expect, openApp, signIn, test, type ParleyUnderTest, type UiPeer } from './fixtures.js';
import { chatWith, conversationWith, send } from './chat-helpers.js';

const sha1 = (bytes: Buffer) => createHash('sha1').update(bytes).digest('hex');
const isTransfer =
  (match: (t: FileTransfer) => boolean) =>
  (e: SequencedEvent): e is SequencedEvent & { type: 'file-transfer'; transfer: FileTransfer } =>
    e.type === 'file-transfer' && match(e.transfer);

/** Both colour schemes of the page, one file each. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.screenshot({ path: testInfo.outputPath(`${name}-${scheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Drops `files` on the open conversation as a person dragging them from the desktop would. */
async function dropFiles(page: Page, files: { name: string; type: string; text: string }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    // In the page (this project's e2e types have no DOM library).
    const page = globalThis as unknown as { DataTransfer: new () => { items: { add(file: File): void } } };
    const data = new page.DataTransfer();
    for (const f of list) data.items.add(new File([f.text], f.name, { type: f.type }));
    return data;
  }, files);
  const target = page.getByTestId('conversation-view');
  await target.dispatchEvent('dragenter', { dataTransfer: transfer });
  await target.dispatchEvent('dragover', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toBeVisible();
  await target.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('drop-overlay')).toHaveCount(0);
}

/** Picks a file with the composer's attach button, in the browser's own file chooser. */
async function attach(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('attach-button').click();
  await (await chooser).setFiles({ name, mimeType, buffer });
}

async function openFromAlice(bob: UiPeer, aliceAor: string): Promise<void> {
  await conversationWith(bob.page, aliceAor).click();
  await expect(bob.page.getByTestId('conversation-view')).toHaveAttribute('data-peer', aliceAor);
}

/** Bob's Parley with its page, alice signed in on hers with the conversation with bob open. */
async function aliceChatsWithBob({
  page,
  parley,
  sip,
  uiPeer,
}: {
  page: Page;
  parley: ParleyUnderTest;
  sip: RunningServer;
  uiPeer: (user: string) => Promise<UiPeer>;
}): Promise<{ bob: UiPeer; aliceAor: string }> {
  const bob = await uiPeer('bob');
  await signIn(page, parley, sip);
  await chatWith(page, 'bob', bob.aor);
  return { bob, aliceAor: `sip:alice@${sip.domain}` };
}

test.describe('sending files from the window', () => {
  test('attach with the button: bob accepts, both see it done, the bytes arrive whole', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }, testInfo) => {
    const { bob, aliceAor } = await aliceChatsWithBob({ page, parley, sip, uiPeer });

    const bytes = randomBytes(3 * 1024 * 1024 + 17); // more than one upload chunk, not a whole number of them
    await attach(page, 'Quarterly report.pdf', 'application/pdf', bytes);

    const mine = page.getByTestId('file-transfer').filter({ hasText: 'Quarterly report.pdf' });
    await expect(mine).toHaveAttribute('data-state', 'connecting');
    const offer = await bob.waitFor(isTransfer((t) => t.direction === 'in' && t.state === 'offered'));
    expect(offer.transfer).toMatchObject({ name: 'Quarterly report.pdf', size: bytes.length, type: 'application/pdf', peer: aliceAor });

    await openFromAlice(bob, aliceAor);
    const card = bob.page.getByTestId('file-transfer').filter({ hasText: 'Quarterly report.pdf' });
    await expect(card).toHaveAttribute('data-state', 'offered');
    await expect(card).toContainText('3.0 MB');
    await shoot(bob.page, testInfo, 'offer-card');
    await shoot(page, testInfo, 'sender-waiting');

    await card.getByTestId('file-accept').click();
    await expect(card).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(mine).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    await expect(card).toContainText('Saved to');
    // The browser host has no file manager to reach: no "Show in folder" (the desktop shell's).
    await expect(card.getByTestId('file-show')).toHaveCount(0);
    await shoot(bob.page, testInfo, 'received-done');
    await shoot(page, testInfo, 'sent-done');

    const done = await bob.waitFor(isTransfer((t) => t.id === offer.transfer.id && t.state === 'done'));
    expect(sha1(fs.readFileSync(done.transfer.savedAs!))).toBe(sha1(bytes));
    // The copy the window handed over is gone once the transfer is over (staged-uploads.ts).
    const outgoing = path.join(parley.dataDir, 'outgoing');
    await expect.poll(() => (fs.existsSync(outgoing) ? fs.readdirSync(outgoing) : [])).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('drop on the conversation: a hostile name is text, bob declines, alice sees it declined', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }, testInfo) => {
    const { bob, aliceAor } = await aliceChatsWithBob({ page, parley, sip, uiPeer });

    // Entities that markup would turn into a tag, and a right-to-left override that would disguise ".exe" as ".png".
    const hostile = '&lt;b&gt;bold&lt;/b&gt; \u202Egnp.exe';
    await dropFiles(page, [{ name: hostile, type: 'text/plain', text: 'not really an image' }]);
    const offer = await bob.waitFor(isTransfer((t) => t.direction === 'in' && t.state === 'offered'));
    await openFromAlice(bob, aliceAor);
    const card = bob.page.getByTestId('file-transfer').and(bob.page.locator('[data-state="offered"]'));
    // The name as text (the entities shown as typed, no <b>), the override dropped (download-name.ts).
    expect(offer.transfer.name).toBe('&lt;b&gt;bold&lt;_b&gt; gnp.exe');
    await expect(card.getByTestId('file-name')).toHaveText(offer.transfer.name);
    await expect(bob.page.getByTestId('conversation-view').locator('.file-transfer b')).toHaveCount(0);
    await shoot(bob.page, testInfo, 'hostile-offer');

    await card.getByTestId('file-decline').click();
    const mine = page.getByTestId('file-transfer').filter({ hasText: 'bold' });
    await expect(mine).toHaveAttribute('data-state', 'declined', { timeout: 30_000 });
    await expect(mine.getByTestId('file-reason')).toContainText('declined');
    await expect(bob.page.getByTestId('file-transfer')).toHaveAttribute('data-state', 'declined');
    await shoot(page, testInfo, 'sent-declined');
    const downloads = (await bob.core.commands.getFileSettings({})).downloadsDir;
    expect(fs.existsSync(downloads) ? fs.readdirSync(downloads) : []).toEqual([]);
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('a received image is previewed in its card', async ({ page, parley, sip, uiPeer, pageErrors }, testInfo) => {
    const { bob, aliceAor } = await aliceChatsWithBob({ page, parley, sip, uiPeer });
    const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 320, height: 200 } }); // a real PNG
    await attach(page, 'screen.png', 'image/png', picture);
    await bob.waitFor(isTransfer((t) => t.direction === 'in' && t.state === 'offered'));
    await openFromAlice(bob, aliceAor);
    const card = bob.page.getByTestId('file-transfer').filter({ hasText: 'screen.png' });
    await card.getByTestId('file-accept').click();
    await expect(card).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
    const preview = card.getByTestId('file-preview');
    await expect(preview).toBeVisible();
    await expect(preview).toHaveAttribute('alt', 'screen.png');
    // Decoded: the image has the picture's own size.
    await expect.poll(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    expect(await preview.evaluate((img) => (img as unknown as { naturalHeight: number }).naturalHeight)).toBe(
      picture.readUInt32BE(20), // the PNG's IHDR height
    );
    await shoot(bob.page, testInfo, 'image-preview');
    // The sender's own card has no preview (it is not a received file).
    await expect(page.getByTestId('file-preview')).toHaveCount(0);
    // A conversation of files alone: no "No messages yet" above the cards, on either side.
    await expect(bob.page.locator('.chat-empty')).toHaveCount(0);
    await expect(page.locator('.chat-empty')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('after a reload the card is the stored one, in its place among the messages, its preview still there', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }, testInfo) => {
    const { bob, aliceAor } = await aliceChatsWithBob({ page, parley, sip, uiPeer });
    await send(page, 'a picture of the screen');
    await bob.waitFor((e) => e.type === 'message' && e.body === 'a picture of the screen');
    const picture = await page.screenshot({ clip: { x: 0, y: 0, width: 240, height: 160 } });
    await attach(page, 'screen.png', 'image/png', picture);
    const offer = await bob.waitFor(isTransfer((t) => t.direction === 'in' && t.state === 'offered'));
    await bob.core.commands.answerFileOffer({ id: offer.transfer.id, accept: true });
    await bob.waitFor(
      isTransfer((t) => t.id === offer.transfer.id && t.state === 'done'),
      30_000,
    );
    await send(page, 'did it arrive?');
    await bob.waitFor((e) => e.type === 'message' && e.body === 'did it arrive?');

    // A fresh page knows no file-transfer event: what it shows comes from the history.
    await bob.page.reload();
    await expect(bob.page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await openFromAlice(bob, aliceAor);
    const rows = bob.page.getByTestId('message');
    await expect(rows).toHaveCount(3);
    await expect(rows.nth(0)).toContainText('a picture of the screen');
    await expect(rows.nth(1).getByTestId('file-transfer')).toHaveAttribute('data-state', 'done');
    await expect(rows.nth(1)).toContainText('Received');
    await expect(rows.nth(1)).toContainText('Saved to');
    await expect(rows.nth(1).getByTestId('file-preview')).toBeVisible();
    await expect(rows.nth(2)).toContainText('did it arrive?');
    await shoot(bob.page, testInfo, 'stored-card-after-reload');
    // The sender's fresh page says it was sent, in the same place.
    await page.reload();
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await conversationWith(page, bob.aor).click();
    await expect(page.getByTestId('message').nth(1).getByTestId('file-transfer')).toHaveAttribute('data-state', 'done');
    await expect(page.getByTestId('message').nth(1)).toContainText('Sent');
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('after a restart of the app: a received file says where it went, an offer left unanswered that Parley was closed', async ({
    page,
    parley,
    signedInWithBob: bob,
    pageErrors,
  }, testInfo) => {
    const aliceAor = `sip:alice@${bob.aor.split('@')[1]}`;
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-files-'));
    try {
      const notes = path.join(folder, 'notes.txt');
      fs.writeFileSync(notes, 'the notes');
      await bob.core.sendLocalFile!(aliceAor, notes);
      await conversationWith(page, bob.aor).click();
      const first = page.getByTestId('file-transfer').filter({ hasText: 'notes.txt' });
      await first.getByTestId('file-accept').click();
      await expect(first).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
      const later = path.join(folder, 'later.txt');
      fs.writeFileSync(later, 'for later');
      await bob.core.sendLocalFile!(aliceAor, later);
      await expect(page.getByTestId('file-transfer').filter({ hasText: 'later.txt' })).toHaveAttribute('data-state', 'offered');

      // Quitting the app closes its window first.
      await page.goto('about:blank');
      await parley.restartApp();
      await openApp(page, parley);
      await conversationWith(page, bob.aor).click();
      const cards = page.getByTestId('file-transfer');
      await expect(cards).toHaveCount(2);
      await expect(cards.nth(0)).toHaveAttribute('data-state', 'done');
      await expect(cards.nth(0)).toContainText('Saved to');
      await expect(cards.nth(1)).toHaveAttribute('data-state', 'failed');
      await expect(cards.nth(1).getByTestId('file-reason')).toHaveText('Parley was closed before the offer was answered');
      await expect(cards.nth(1).getByTestId('file-accept')).toHaveCount(0);
      await expect(page.locator('.chat-empty')).toHaveCount(0);
      await shoot(page, testInfo, 'after-restart');
      expect(pageErrors).toEqual([]);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  test('no command takes a path: sendFile through the hosts gate wants an upload the page completed', async ({ parley }) => {
    const byPath = await dispatch(parley.core, 'sendFile', { to: 'bob', path: '/etc/passwd' });
    expect(byPath).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const pathAsUpload = await dispatch(parley.core, 'sendFile', { to: 'bob', upload: '/etc/passwd' });
    expect(pathAsUpload).toMatchObject({ ok: false, error: { message: expect.stringMatching(/no such upload/) } });
    const started = await dispatch(parley.core, 'startFileUpload', { name: 'half.bin', size: 4 });
    expect(started.ok).toBe(true);
    const upload = (started as { value: { upload: string } }).value.upload;
    expect(await dispatch(parley.core, 'writeFileUpload', { upload, offset: 0, data: 'AAA=' })).toMatchObject({
      ok: true,
      value: { received: 2 },
    });
    const half = await dispatch(parley.core, 'sendFile', { to: 'bob', upload });
    expect(half).toMatchObject({ ok: false, error: { message: expect.stringMatching(/not complete/) } });
  });
});
