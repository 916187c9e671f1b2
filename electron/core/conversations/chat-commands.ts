/**
 * The chat commands of the contract (shared/contract/chat.ts), answered by the conversation services.
 */
import type { ChatCommandName } from '../../../shared/contract/chat.js';
import type { DraftsRepo } from '../../storage/drafts-repo.js';
import type { Clock } from '../../support/clock.js';
import { UserError, type CommandHandlers } from '../core.js';
import type { HistoryCommandName } from './history-commands.js';
import type { Messaging } from './messaging.js';

/** History commands (paging, search, export) live in history-commands.ts. */
export type ChatHandlers = Pick<CommandHandlers, Exclude<ChatCommandName, HistoryCommandName>>;

export function chatHandlers(messaging: Messaging, drafts: DraftsRepo, clock: Clock): ChatHandlers {
  return {
    sendMessage: (request) => messaging.send(request),
    openConversation: async ({ to }) => messaging.openConversation(to),
    // The core has no windows; a host that has them (Electron) answers this itself.
    openConversationWindow: async () => ({ opened: false }),
    retryMessage: async ({ id }) => messaging.retry(id),
    cancelMessage: async ({ id }) => ({ cancelled: messaging.cancel(id) }),
    markRead: async ({ conversationId }) => messaging.markRead(conversationId),
    setComposing: async ({ conversationId, active }) => ({ sent: messaging.setComposing(conversationId, active) }),
    getChatSettings: async () => messaging.chatSettings(),
    setChatSettings: async (change) => messaging.setChatSettings(change),
    getPeerOptions: async ({ peer }) => messaging.peerOptions(peer),
    setPeerOptions: async ({ peer, newCallIdPerMessage }) => messaging.setPeerOptions(peer, newCallIdPerMessage),
    saveDraft: async ({ conversationId, text }) => {
      if (!drafts.save(conversationId, text, clock.now())) throw new UserError('that conversation does not exist', 'invalid-request');
      return { saved: true };
    },
  };
}
