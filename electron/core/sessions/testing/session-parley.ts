/** Test helper: a Parley registered through a test's server, with "prefer session mode" as asked, and its chat-mode events. */
import type { AccountConfig, SequencedEvent } from '../../../../shared/ipc.js';
import { isRegistration, startCore, type TestCore } from '../../../testing/cores.js';

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
