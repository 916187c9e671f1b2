/**
 * The renderer's routes besides the main window, shared so a shell can open them: `#/conversation/<id>`
 * shows a single chat (a conversation in its own window).
 */
export const CONVERSATION_ROUTE_PREFIX = '#/conversation/';

export function conversationHash(conversationId: string): string {
  return `${CONVERSATION_ROUTE_PREFIX}${encodeURIComponent(conversationId)}`;
}
