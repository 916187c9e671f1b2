/** Steps the chat specs share: open a chat, send a line, find a conversation, a peer's delivered message (signing in is in fixtures.ts). */
import type { Page } from '@playwright/test';
import type { SequencedEvent } from '../shared/ipc.js';
import type { RunningServer } from '../server/kamailio.js';
import { expect, type Peer } from './fixtures.js';

/** "Chat with…" an address or a user name; resolves when that conversation is on screen. */
export async function chatWith(page: Page, who: string, peer: string): Promise<void> {
  await page.getByTestId('new-chat').click();
  await page.getByLabel('Chat with…').fill(who);
  await page.getByTestId('new-chat-open').click();
  await expect(page.getByTestId('conversation-view')).toHaveAttribute('data-peer', peer);
}

export async function send(page: Page, text: string): Promise<void> {
  const composer = page.getByTestId('composer-input');
  await composer.fill(text);
  await composer.press('Enter');
  await expect(composer).toHaveValue('');
}

export const conversationWith = (page: Page, peer: string) => page.getByTestId('conversation').and(page.locator(`[data-peer="${peer}"]`));

/** A peer's core sends `body` to `to`; resolves once it was delivered. */
export async function sendDelivered(peer: Peer, to: string, body: string): Promise<void> {
  const sent = await peer.core.commands.sendMessage({ to, body });
  await peer.waitFor((e: SequencedEvent) => e.type === 'delivery' && e.id === sent.id && e.state === 'delivered');
}

/**
 * A history from `peer` to alice, every line delivered, then the page loaded afresh: it holds only
 * what the snapshot brings, not the whole burst seen live.
 */
export async function historyFrom(page: Page, peer: Peer, sip: RunningServer, bodies: string[]): Promise<void> {
  await Promise.all(bodies.map((body) => sendDelivered(peer, `sip:alice@${sip.domain}`, body)));
  await page.reload();
  await expect(page.getByTestId('app')).toHaveAttribute('data-ready', 'true');
}
