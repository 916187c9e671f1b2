import { CONVERSATION_ROUTE_PREFIX as PREFIX, conversationHash } from '../../../shared/contract/routes.js';

/**
 * The renderer's one route besides the main window: `#/conversation/<id>` shows a single chat,
 * so a shell can open a conversation in its own window by loading the app with that hash.
 */

export type Route = { kind: 'main' } | { kind: 'conversation'; conversationId: string };

export { conversationHash };

export function parseRoute(hash: string): Route {
  if (!hash.startsWith(PREFIX)) return { kind: 'main' };
  let id: string;
  try {
    id = decodeURIComponent(hash.slice(PREFIX.length));
  } catch {
    return { kind: 'main' };
  }
  // Same bounds as the contract's conversation ids.
  if (id.length === 0 || id.length > 128) return { kind: 'main' };
  return { kind: 'conversation', conversationId: id };
}
