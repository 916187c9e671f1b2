/**
 * The history commands of the contract: paging, full-text search and export of conversations.
 */
import type { CommandHandlers } from '../core.js';
import { UserError } from '../core.js';
import type { MessagesRepo } from '../../storage/messages-repo.js';

export type HistoryCommandName = 'getMessages' | 'searchMessages' | 'exportConversation';
export type HistoryHandlers = Pick<CommandHandlers, HistoryCommandName>;

export function historyHandlers(repo: MessagesRepo): HistoryHandlers {
  const notYet = async (): Promise<never> => {
    throw new UserError('not available yet', 'failed');
  };
  return {
    getMessages: async ({ conversationId, beforeAt, limit }) => repo.page(conversationId, beforeAt, limit),
    searchMessages: notYet,
    exportConversation: notYet,
  };
}
