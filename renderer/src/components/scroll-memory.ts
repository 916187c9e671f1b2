/**
 * Where the reader was in each conversation (the message at the top of the view), for this window's
 * lifetime: switching back shows the same place. Nothing is kept for a conversation left at its
 * latest message, so it opens at the latest again.
 */
const topMessage = new Map<string, string>();

export function rememberTop(conversationId: string, messageId: string | null): void {
  if (messageId) topMessage.set(conversationId, messageId);
  else topMessage.delete(conversationId);
}

export function rememberedTop(conversationId: string): string | undefined {
  return topMessage.get(conversationId);
}
