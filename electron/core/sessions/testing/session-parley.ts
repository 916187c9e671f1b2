/** Test helper: a Parley registered through a test's server, with "prefer session mode" as asked, and its chat-mode events. */
import type { AccountConfig, ChatMessage, SequencedEvent } from '../../../../shared/ipc.js';
import { isDelivery, isIncoming, isRegistration, startCore, type TestCore } from '../../../testing/cores.js';

/** Starts a core for `account` (password "secret"), kept in `started` for the test to stop, once registered. */
export async function sessionParley(
  started: TestCore[],
  account: AccountConfig,
  preferSessionMode: boolean,
  dataDir?: string,
): Promise<TestCore> {
  const core = await startCore({ account, password: 'secret', ...(dataDir ? { dataDir } : {}) });
  started.push(core);
  await core.waitFor(isRegistration('registered'));
  if (preferSessionMode) await core.core.commands.setChatSettings({ preferSessionMode: true });
  return core;
}

/** The event that says chat with `peer` now goes by `mode`. */
export const isMode = (peer: string, mode: 'session' | 'paging') => (e: SequencedEvent) =>
  e.type === 'chat-mode' && e.peer === peer && e.mode === mode;

/** `from` sends `body` to `to` (user name `toUser`): delivered, and received; both copies. */
export async function exchange(
  from: TestCore,
  to: TestCore,
  toUser: string,
  body: string,
): Promise<{ sent: ChatMessage; got: ChatMessage }> {
  const sent = await from.core.commands.sendMessage({ to: toUser, body });
  await from.waitFor(isDelivery(sent.id, 'delivered'));
  const got = (await to.waitFor(isIncoming(body))) as unknown as ChatMessage;
  return { sent, got };
}
