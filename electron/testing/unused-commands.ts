/**
 * Host tests write the few commands they exercise by hand; every other command of the contract
 * comes from here and fails loudly if a test reaches it by mistake.
 */
import { commandNames } from '../../shared/ipc.js';
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
