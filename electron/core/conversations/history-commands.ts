/**
 * The history commands of the contract: paging, full-text search and export of conversations.
 * All three are answered by the history worker (storage/history), off the main event loop.
 */
import type { CommandHandlers } from '../core.js';
import { UserError } from '../core.js';
import type { ChatMessage, ParleyEvent } from '../../../shared/ipc.js';
import type { Clock } from '../../support/clock.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';
import { HistoryError } from '../../storage/history/history-reader.js';
import type { HistoryClient } from '../../storage/history/history-client.js';

export type HistoryCommandName = 'getMessages' | 'searchMessages' | 'exportConversation' | 'clearHistory';
export type HistoryHandlers = Pick<CommandHandlers, HistoryCommandName>;

/** An unknown conversation or message is the caller's mistake, told as such; faults pass as they are. */
async function told<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof HistoryError) throw new UserError(error.message, 'invalid-request');
    throw error;
  }
}

export function historyHandlers(
  repo: MessagesRepo,
  history: HistoryClient,
  clock: Clock,
  emit: (event: ParleyEvent) => void,
  /** Messages as they are shown (a received file no longer on disk marked: core/files/file-history.ts). */
  shown: (messages: ChatMessage[]) => Promise<ChatMessage[]> = async (messages) => messages,
): HistoryHandlers {
  // The worker reads committed rows: delivery states still queued for this turn are written first.
  return {
    getMessages: async ({ conversationId, beforeId, beforeAt, limit }) => {
      repo.flush();
      return shown(await told(history.page(conversationId, { beforeId, beforeAt }, limit)));
    },
    searchMessages: async ({ query, conversationId, limit }) => {
      repo.flush();
      const hits = await told(history.search(query, conversationId, limit));
      const messages = await shown(hits.map((hit) => hit.message));
      return hits.map((hit, i) => ({ ...hit, message: messages[i]! }));
    },
    exportConversation: async ({ conversationId, format }) => {
      repo.flush();
      return told(history.exportConversation(conversationId, format, clock.now()));
    },
    clearHistory: async ({ conversationId }) => {
      if (conversationId !== undefined && !repo.conversation(conversationId))
        throw new UserError('that conversation does not exist', 'invalid-request');
      const deleted = repo.clearMessages(conversationId);
      // The unread counts went to 0: screens and badges hear it as for a read conversation.
      for (const conversation of repo.conversations())
        if (conversationId === undefined || conversation.id === conversationId) emit({ type: 'conversation', conversation });
      return { deleted };
    },
  };
}
