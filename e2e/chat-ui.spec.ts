/**
 * Paging-mode chat in the UI, Parley <-> Parley through the bundled Kamailio: alice is the
 * `parley` fixture's page, bob a second Parley with its own page (`uiPeer`). Every wait is on
 * something the page or a core shows; nothing sleeps.
 */
import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import type { SequencedEvent } from '../shared/ipc.js';
import { chooseFromMenu, expect, signIn, test } from './fixtures.js';
import { chatWith, conversationWith, historyFrom, send } from './chat-helpers.js';

test.describe('chat UI, Parley to Parley', () => {
  test('Enter and Shift+Enter, a burst in order, states, unread counts, Call-ID and typing at the other side', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }, testInfo) => {
    const bob = await uiPeer('bob');
    await signIn(page, parley, sip);
    const aliceAor = `sip:alice@${sip.domain}`;

    await chatWith(page, 'bob', bob.aor);
    const composer = page.getByTestId('composer-input');
    await composer.fill('first line');
    await composer.press('Shift+Enter');
    await composer.pressSequentially('second line');
    await composer.press('Enter');
    const first = page.getByTestId('message').filter({ hasText: 'first line' });
    await expect(first.getByTestId('message-body')).toHaveText('first line\nsecond line');
    await expect(first.getByTestId('message-state')).toHaveText('Delivered');

    // The Call-ID in the details is the one bob's Parley received the message with.
    await page.getByTestId('details-toggle').click();
    const callId = (await page.getByTestId('details-call-id').textContent()) ?? '';
    expect(callId.length).toBeGreaterThan(0);
    await expect(page.getByTestId('details-peer')).toHaveText(bob.aor);
    await expect(page.getByTestId('details-new-call-id')).not.toBeChecked();
    const received = await bob.waitFor((e: SequencedEvent) => e.type === 'message' && e.direction === 'in');
    expect(received).toMatchObject({ callId, body: 'first line\nsecond line' });

    // A quick burst: every Enter goes out at once, several in flight.
    const burst = Array.from({ length: 10 }, (_, i) => `burst ${i + 1}`);
    for (const text of burst) await send(page, text);
    const expected = ['first line\nsecond line', ...burst];
    await expect(page.getByTestId('message-body')).toHaveText(expected);
    await expect(page.getByTestId('message-state')).toHaveText(expected.map(() => 'Delivered'));

    // Bob has not opened the conversation: all of it is unread, and it arrived in order.
    const atBob = conversationWith(bob.page, aliceAor);
    await expect(atBob.getByTestId('unread')).toHaveText(String(expected.length));
    await expect(bob.page).toHaveTitle(`(${expected.length}) Parley`);
    await atBob.click();
    await expect(bob.page.getByTestId('message-body')).toHaveText(expected);
    await expect(atBob.getByTestId('unread')).toHaveCount(0);
    await bob.waitFor((e: SequencedEvent) => e.type === 'conversation' && e.conversation.unread === 0 && e.conversation.lastActivity > 0);
    // Read in the core, not just on screen: a fresh page shows no badge either.
    await bob.page.reload();
    await expect(conversationWith(bob.page, aliceAor)).toBeVisible();
    await expect(conversationWith(bob.page, aliceAor).getByTestId('unread')).toHaveCount(0);
    await conversationWith(bob.page, aliceAor).click();

    // Typing shows at the other side, and ends with the message.
    await bob.page.getByTestId('composer-input').pressSequentially('hello al');
    await expect(page.getByTestId('typing-indicator')).toHaveText('bob is typing…');
    await bob.page.getByTestId('composer-input').press('Enter');
    await expect(page.getByTestId('message').filter({ hasText: 'hello al' })).toHaveAttribute('data-direction', 'in');
    await expect(page.getByTestId('typing-indicator')).toHaveText('');
    // Replies thread into the one conversation on both sides.
    await expect(page.getByTestId('conversation')).toHaveCount(1);
    await expect(bob.page.getByTestId('conversation')).toHaveCount(1);

    await page.screenshot({ path: testInfo.outputPath('alice.png') });
    await bob.page.screenshot({ path: testInfo.outputPath('bob.png') });
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('hostile bodies typed at one side are inert text at the other, long lines wrap', async ({
    page,
    parley,
    sip,
    uiPeer,
    pageErrors,
  }, testInfo) => {
    const bob = await uiPeer('bob');
    await signIn(page, parley, sip);
    await chatWith(page, 'bob', bob.aor);
    const longLine = 'W'.repeat(3000);
    const hostile = [
      '<img src=x onerror="window.__pwned = 1">',
      '<script>window.__pwned = 2</script>',
      '<b onmouseover="window.__pwned = 3">bold?</b> & "quotes"',
      longLine,
    ];
    for (const text of hostile) await send(page, text);
    // The long line fills the view at the end of the list; from the top every message is in view.
    const fromTheTop = (p: Page) => p.getByTestId('message-scroller').evaluate((el) => el.scrollTo({ top: 0 }));
    await expect(page.getByTestId('message-state').last()).toHaveText('Delivered');
    await fromTheTop(page);
    await expect(page.getByTestId('message-state')).toHaveText(hostile.map(() => 'Delivered'));

    await conversationWith(bob.page, `sip:alice@${sip.domain}`).click();
    await expect(bob.page.getByTestId('message-body').last()).toHaveText(longLine);
    await fromTheTop(bob.page);
    await expect(bob.page.getByTestId('message-body')).toHaveText(hostile);
    for (const p of [page, bob.page]) {
      await expect(p.getByTestId('message-list').locator('img, script, b')).toHaveCount(0);
      expect(await p.evaluate('window.__pwned')).toBeUndefined();
      // The long line wraps inside the list instead of widening it.
      const scroller = p.getByTestId('message-scroller');
      const { scrollWidth, clientWidth } = await scroller.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
      const list = (await scroller.boundingBox())!;
      const item = (await p.getByTestId('message').filter({ hasText: 'WWWW' }).boundingBox())!;
      expect(item.x + item.width).toBeLessThanOrEqual(list.x + list.width);
    }
    await bob.page.screenshot({ path: testInfo.outputPath('hostile.png') });
    expect(pageErrors).toEqual([]);
    expect(bob.pageErrors).toEqual([]);
  });

  test('invalid UTF-8 from the wire shows replacement characters', async ({ page, parley, sip, pageErrors }) => {
    await signIn(page, parley, sip);
    const snapshot = await parley.core.commands.getSnapshot({});
    const udp = snapshot.listening.find((l) => l.transport === 'udp')!;
    const from = await sendRawMessage(
      udp.host,
      udp.port,
      Buffer.concat([Buffer.from('bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes')]),
    );
    const conversation = conversationWith(page, from);
    await expect(conversation.getByTestId('unread')).toHaveText('1');
    await conversation.click();
    await expect(page.getByTestId('message-body')).toHaveText(/^bad \uFFFD+ bytes$/);
    expect(pageErrors).toEqual([]);
  });

  test('failed and stored messages show their state; a failed one can be cancelled', async ({ page, parley, sip, pageErrors }) => {
    await signIn(page, parley, sip);
    // bob is a user of the server but not online: the server stores the message (202).
    await chatWith(page, 'bob', `sip:bob@${sip.domain}`);
    await send(page, 'for later');
    await expect(page.getByTestId('message-state')).toHaveText(['Stored for later']);

    // nobody is not a user at all: refused, with a reason, and it stays in the outbox.
    await chatWith(page, 'nobody', `sip:nobody@${sip.domain}`);
    await send(page, 'into the void');
    const failed = page.getByTestId('message').filter({ hasText: 'into the void' });
    await expect(failed).toHaveAttribute('data-state', 'failed');
    await expect(failed.getByTestId('message-state')).toHaveText(/^Not delivered: .+/);
    await expect(failed.getByTestId('message-retry')).toBeVisible();
    await failed.getByTestId('message-cancel').click();
    await expect(failed).toHaveAttribute('data-state', 'cancelled');
    await expect(failed.getByTestId('message-state')).toHaveText('Cancelled');
    await expect(failed.getByTestId('message-retry')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  });

  test('search finds a message and opens its conversation; export downloads text and JSON', async ({
    page,
    sip,
    signedInWithBob: bob,
    pageErrors,
  }) => {
    await chatWith(page, 'bob', bob.aor);
    await send(page, 'the quokka smiles');
    await send(page, 'something else');
    await expect(page.getByTestId('message-state')).toHaveText(['Delivered', 'Delivered']);

    // Search from another conversation, so opening the hit has to switch.
    await chatWith(page, 'nobody', `sip:nobody@${sip.domain}`);
    await chooseFromMenu(page, 'menu-search');
    await page.getByLabel('Search messages').fill('quokka');
    await page.getByTestId('search-submit').click();
    const hit = page.getByTestId('search-hit');
    await expect(hit).toHaveCount(1);
    await expect(hit.locator('mark')).toHaveText(['quokka']);
    await hit.click();
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', bob.aor);
    await expect(page.locator('.message-focused')).toContainText('the quokka smiles');

    for (const [button, pattern] of [
      ['export-text', /\.txt$/],
      ['export-json', /\.json$/],
    ] as const) {
      const download = page.waitForEvent('download');
      await page.getByTestId('conversation-menu').click();
      await page.getByTestId(button).click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(pattern);
      const stream = await file.createReadStream();
      const chunks: Buffer[] = [];
      for await (const chunk of stream) chunks.push(chunk as Buffer);
      const content = Buffer.concat(chunks).toString('utf8');
      expect(content).toContain('the quokka smiles');
      expect(content).toContain('something else');
      if (button === 'export-json') expect(() => JSON.parse(content)).not.toThrow();
    }
    expect(pageErrors).toEqual([]);
  });

  test('with typing notifications turned off, the peer is not told', async ({ page, parley, signedInWithBob: bob, pageErrors }) => {
    await chooseFromMenu(page, 'menu-chat-settings');
    const setting = page.getByTestId('setting-send-composing');
    await expect(setting).toBeEnabled();
    await setting.uncheck();
    await expect(setting).not.toBeChecked();
    expect(await parley.core.commands.getChatSettings({})).toMatchObject({ sendComposing: false });

    await chatWith(page, 'bob', bob.aor);
    await page.getByTestId('composer-input').pressSequentially('no one sees me type');
    await page.getByTestId('composer-input').press('Enter');
    // The isComposing notice would have gone out before the message it precedes.
    await bob.waitFor((e: SequencedEvent) => e.type === 'message' && e.body === 'no one sees me type');
    expect(bob.events.filter((e) => e.type === 'composing')).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  test('scrolling up pages back through a long conversation', async ({ page, sip, signedInWithBob: bob, pageErrors }) => {
    // More than the snapshot's recent messages plus the one page looked up on opening.
    const bodies = Array.from({ length: 230 }, (_, i) => `old ${i + 1}`);
    await historyFrom(page, bob, sip, bodies);

    await conversationWith(page, bob.aor).click();
    const shown = page.getByTestId('message-body');
    await expect(shown.last()).toHaveText('old 230');
    await expect(page.getByTestId('load-older')).toBeVisible();
    const before = await shown.count();
    expect(before).toBeLessThan(bodies.length);
    // The list is virtualised: only rows near the view are in the page. Each scroll to the top
    // loads a page and keeps the place, so scroll up until the start of the history is there.
    await expect(async () => {
      // As a reader does: the wheel, over the list.
      await page.getByTestId('message-scroller').hover();
      await page.mouse.wheel(0, -100_000);
      await expect(page.getByTestId('message-pane')).toHaveAttribute('data-count', String(bodies.length), { timeout: 1000 });
      await expect(shown.first()).toHaveText('old 1', { timeout: 1000 });
    }).toPass();
    // The rows on screen are the first ones, in order.
    const top = await shown.allTextContents();
    expect(top).toEqual(bodies.slice(0, top.length));
    await expect(page.getByTestId('load-older')).toHaveCount(0);
    expect(pageErrors).toEqual([]);
  });

  test('a long conversation opens at its end and keeps the place', async ({ page, sip, signedInWithBob: bob, pageErrors }, testInfo) => {
    // Opened at its end; the reader's place kept as pages load and messages arrive; followed only at the end.
    await historyFrom(
      page,
      bob,
      sip,
      Array.from({ length: 400 }, (_, i) => `line ${i + 1}`),
    );
    const scroller = page.getByTestId('message-scroller');
    const pane = page.getByTestId('message-pane');
    const fromEnd = () => scroller.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    // Where a message is in the view (px from the scroller's top), or null when it is not rendered.
    const topOf = async (text: string) => {
      const body = page.getByTestId('message-body').getByText(text, { exact: true });
      if ((await body.count()) === 0) return null;
      return (await body.boundingBox())!.y - (await scroller.boundingBox())!.y;
    };

    // The first frame that shows the latest message shows it at the end of the view.
    const firstFrame = (await page.evaluate(`new Promise((resolve) => {
      document.querySelector('[data-testid="conversation"][data-peer="${bob.aor}"]').click();
      const check = () => {
        const bodies = [...document.querySelectorAll('[data-testid="message-body"]')];
        const scroller = document.querySelector('[data-testid="message-scroller"]');
        if (scroller && bodies.some((b) => b.textContent === 'line 400'))
          resolve(scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })`)) as number;
    expect(firstFrame).toBeLessThanOrEqual(1);
    // The page looked up on opening lands above: the latest message stays in view, at the end.
    const opened = Number(await pane.getAttribute('data-count'));
    await expect(page.getByTestId('load-older')).toHaveText('Load earlier messages');
    expect(await fromEnd()).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('jump-latest')).toHaveCount(0);

    // Scrolled up a little: a new message does not move the view, and "Latest" offers the way back.
    await scroller.hover();
    await page.mouse.wheel(0, -400);
    await expect(page.getByTestId('jump-latest')).toBeVisible();
    const reading = `line ${400 - 12}`;
    await expect.poll(() => topOf(reading)).not.toBeNull();
    const readingAt = (await topOf(reading))!;
    await page.screenshot({ path: testInfo.outputPath('scrolled-up.png') });
    await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'line 401' });
    await expect(pane).toHaveAttribute('data-count', String(opened + 1));
    expect(await topOf(reading)).toBeCloseTo(readingAt, 0);
    // An older page landing above keeps the same rows where they were.
    await page.getByTestId('load-older').dispatchEvent('click');
    await expect.poll(async () => Number(await pane.getAttribute('data-count'))).toBeGreaterThan(opened + 1);
    expect(await topOf(reading)).toBeCloseTo(readingAt, 0);
    // Leaving the conversation and coming back shows the same place.
    await chatWith(page, 'nobody', `sip:nobody@${sip.domain}`);
    await conversationWith(page, bob.aor).click();
    await expect.poll(() => topOf(reading)).not.toBeNull();
    const { height } = (await scroller.boundingBox())!;
    expect(await topOf(reading)).toBeGreaterThanOrEqual(0);
    expect(await topOf(reading)).toBeLessThan(height);
    await page.getByTestId('jump-latest').click();
    await expect(page.getByTestId('jump-latest')).toHaveCount(0);
    await expect.poll(fromEnd).toBeLessThanOrEqual(1);

    // At the end, a new message is followed.
    await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'line 402' });
    await expect(page.getByTestId('message-body').last()).toHaveText('line 402');
    await expect.poll(fromEnd).toBeLessThanOrEqual(1);
    await expect(page.getByTestId('jump-latest')).toHaveCount(0);
    await page.screenshot({ path: testInfo.outputPath('at-the-end.png') });
    expect(pageErrors).toEqual([]);
  });

  test('a conversation renders alone from #/conversation/<id>, for a window of its own', async ({
    page,
    parley,
    sip,
    signedInWithBob: bob,
    pageErrors,
  }) => {
    await chatWith(page, 'bob', bob.aor);
    await send(page, 'in a window of its own');
    const id = await page.getByTestId('conversation').first().getAttribute('data-id');
    expect(id).toBeTruthy();
    // The header's menu opens it in a window of its own, at the conversation's route.
    const popup = page.waitForEvent('popup');
    await page.getByTestId('conversation-menu').click();
    await page.getByTestId('open-window').click();
    expect(new URL((await popup).url()).hash).toBe(`#/conversation/${encodeURIComponent(id!)}`);

    await page.goto(`${parley.origin}/#/conversation/${encodeURIComponent(id!)}`);
    await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', bob.aor);
    await expect(page.getByTestId('message-body')).toHaveText(['in a window of its own']);
    await expect(page.getByTestId('conversation-list')).toHaveCount(0);
    await page.getByTestId('conversation-menu').click();
    await expect(page.getByTestId('open-window')).toHaveCount(0);
    await expect(page.getByTestId('export-text')).toBeVisible();
    await page.keyboard.press('Escape');
    // It is a working chat window: bob's answer arrives in it.
    await bob.core.commands.sendMessage({ to: `sip:alice@${sip.domain}`, body: 'hi, window' });
    await expect(page.getByTestId('message-body')).toHaveText(['in a window of its own', 'hi, window']);
    expect(pageErrors).toEqual([]);
  });
});

/**
 * One MESSAGE straight to a Parley's UDP socket with a body that is not valid UTF-8 (no
 * SIP library would write one). Resolves with the sender's address once Parley answered 200.
 */
async function sendRawMessage(host: string, port: number, body: Buffer): Promise<string> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  const from = `sip:mallory@127.0.0.1:${local}`;
  const head = [
    `MESSAGE sip:alice@${host}:${port} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK${randomBytes(8).toString('hex')};rport`,
    'Max-Forwards: 70',
    `From: <${from}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <sip:alice@${host}:${port}>`,
    `Call-ID: ${randomBytes(8).toString('hex')}@127.0.0.1`,
    'CSeq: 1 MESSAGE',
    'Content-Type: text/plain;charset=utf-8',
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  try {
    const answered = new Promise<string>((resolve) =>
      socket.on('message', (data) => {
        const status = data.toString('latin1').split('\r\n', 1)[0]!;
        if (!/^SIP\/2\.0 1\d\d/.test(status)) resolve(status);
      }),
    );
    socket.send(Buffer.concat([Buffer.from(head, 'latin1'), body]), port, host);
    expect(await answered).toMatch(/^SIP\/2\.0 200/);
    return from;
  } finally {
    socket.close();
  }
}
