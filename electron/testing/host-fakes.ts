/**
 * What host tests share: a snapshot with nothing in it, and the commands a test does not exercise
 * (it writes the few it does by hand; every other one fails loudly if a test reaches it by mistake).
 */
import { EMPTY_PRESENCE } from '../../shared/contract/presence.js';
import { commandNames, type Snapshot } from '../../shared/ipc.js';
import type { CommandHandlers } from '../core/core.js';

export function unusedCommands(): CommandHandlers {
  const handlers: Record<string, () => Promise<never>> = {};
  for (const name of commandNames) {
    handlers[name] = async () => {
      throw new Error(`command ${name} is not used in this test`);
    };
  }
  return handlers as unknown as CommandHandlers;
}

/** A snapshot of a core with no account, no conversations and no presence, at event `seq`. */
export function emptySnapshot(seq = 0, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    seq,
    account: null,
    registration: { state: 'unregistered' },
    listening: [],
    conversations: [],
    messages: [],
    presence: EMPTY_PRESENCE,
    drafts: {},
    ...overrides,
  };
}
