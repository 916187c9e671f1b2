/**
 * The chat commands of the contract (shared/contract/chat.ts), answered by the conversation services.
 */
import type { ChatCommandName } from '../../../shared/contract/chat.js';
import type { CommandHandlers } from '../core.js';
import { UserError } from '../core.js';
import type { HistoryCommandName } from './history-commands.js';
import type { Messaging } from './messaging.js';

/** History commands (paging, search, export) live in history-commands.ts. */
export type ChatHandlers = Pick<CommandHandlers, Exclude<ChatCommandName, HistoryCommandName>>;

export function chatHandlers(messaging: Messaging): ChatHandlers {
  const notYet = async (): Promise<never> => {
    throw new UserError('not available yet', 'failed');
  };
  return {
    sendMessage: (request) => messaging.send(request),
    openConversation: notYet,
    retryMessage: notYet,
    cancelMessage: notYet,
    markRead: notYet,
    setComposing: notYet,
    getChatSettings: notYet,
    setChatSettings: notYet,
    getPeerOptions: async ({ peer }) => messaging.peerOptions(peer),
    setPeerOptions: async ({ peer, newCallIdPerMessage }) => messaging.setPeerOptions(peer, newCallIdPerMessage),
  };
}
