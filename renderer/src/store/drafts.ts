/** Composer drafts are kept per target: a conversation id, or `new:<address>` before it exists. */

export function draftKey(state: { selectedConversationId: string | null; draftPeer: string | null }): string | null {
  if (state.selectedConversationId) return state.selectedConversationId;
  if (state.draftPeer) return `new:${state.draftPeer}`;
  return null;
}
